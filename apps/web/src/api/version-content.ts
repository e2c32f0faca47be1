// GET /api/files/:id/versions/:versionId/content: a version's bytes (Range and ETag like a file's
// content). A plain link, so the browser streams the download to disk.
export const versionContentUrl = (fileId: string, versionId: string) =>
  `/api/files/${encodeURIComponent(fileId)}/versions/${encodeURIComponent(versionId)}/content`;
