// GET /api/files/:id/content: the bytes as an attachment. Used as a plain link so the browser
// streams the download to disk instead of the page holding it in memory.
export const fileContentUrl = (id: string) => `/api/files/${encodeURIComponent(id)}/content`;
