// The API answers the public page as a path ("/s/<token>"); people paste links elsewhere, so the
// app shows and copies it as a full URL on this origin.
export const absoluteShareUrl = (url: string, origin: string) => new URL(url, origin).href;
