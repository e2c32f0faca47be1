// Where a folder lives in the SPA: the root at "/", a folder at "/folders/:id".
export const folderPath = (folderId: string | null) =>
  folderId === null ? '/' : `/folders/${encodeURIComponent(folderId)}`;
