// The names of the files in one folder, every page of GET /api/files?folderId= (the largest pages
// the API gives): before an upload batch, to ask about names that are taken. The API gives names in
// NFC, as it stores them.
import { apiFetch } from './client.ts';
import type { ListFilesResponse } from '@filestore/contract';

const PAGE_SIZE = 200;

export async function getFileNames(folderId: string | null): Promise<Set<string>> {
  const names = new Set<string>();
  let cursor: string | null = null;
  do {
    const search = new URLSearchParams({ limit: String(PAGE_SIZE), sort: 'name', order: 'asc' });
    if (folderId) search.set('folderId', folderId);
    if (cursor) search.set('cursor', cursor);
    const page: ListFilesResponse = await apiFetch(`/api/files?${search}`);
    for (const file of page.items) names.add(file.name);
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}
