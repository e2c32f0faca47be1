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
