// After logging in, the app returns to the page that sent the visitor to /login (a share page, a
// folder). Only a path on this site is followed: `?next=https://evil.example` or `//evil.example`
// would otherwise make the login page an open redirect.
const HOME = '/';

export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return HOME;
  return next;
}

/** /login, with the page to come back to when it is not the drive's root. */
export const loginPath = (next: string) =>
  next === HOME ? '/login' : `/login?${new URLSearchParams({ next })}`;
