// A delete goes to the trash (issue 13); tests about what a delete used to free purge it too.
import type { Answer, Client } from './client.ts';

/** Deletes a file or folder and purges it from the trash: the second answer, unless the first failed. */
export async function deleteForever(
  client: Client,
  id: string,
  kind: 'files' | 'folders' = 'files',
): Promise<Answer> {
  const trashed = await client.call('DELETE', `/api/${kind}/${id}`);
  if (trashed.status !== 204) return trashed;
  return client.call('DELETE', `/api/trash/${id}`);
}

/** Creates a folder (201 expected). */
export async function makeFolder(
  client: Client,
  name: string,
  parentId?: string,
): Promise<{ id: string; name: string; parentId: string | null }> {
  const res = await client.call('POST', '/api/folders', { name, ...(parentId && { parentId }) });
  if (res.status !== 201)
    throw new Error(`folder ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.folder;
}

/** A form upload into a folder (undefined: the root); the answer. */
export async function uploadInto(
  client: Client,
  folderId: string | undefined,
  name: string,
  bytes: Uint8Array | string,
): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const query = folderId ? `?folderId=${folderId}` : '';
  const res = await client.raw('POST', `/api/files${query}`, { body: form });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
