// POST /api/files/instant: 200 {challenge} when the content exists (404 not_found otherwise, 429
// once the caller's probe budget is spent); again with {proof} → 201 {file}, or 403 bad_proof.
// Driven by the upload engine, so no hook.
import type {
  FileItem,
  FileResponse,
  InstantChallenge,
  InstantUploadBody,
} from '@filestore/contract';
import { apiFetch, isApiError } from './client.ts';

export type Challenge = InstantChallenge['challenge'];

/**
 * The server's challenge, or null when it does not have this content or will not say now (429:
 * too many checks this minute); either way the file is uploaded instead.
 */
export async function requestInstantChallenge(
  body: Omit<InstantUploadBody, 'proof'>,
): Promise<Challenge | null> {
  try {
    return (await apiFetch<InstantChallenge>('/api/files/instant', { method: 'POST', body }))
      .challenge;
  } catch (err) {
    if (isApiError(err, 'not_found') || isApiError(err, 'too_many_requests')) return null;
    throw err;
  }
}

export const proveInstantUpload = async (
  body: InstantUploadBody & Required<Pick<InstantUploadBody, 'proof'>>,
): Promise<FileItem> =>
  (await apiFetch<FileResponse>('/api/files/instant', { method: 'POST', body })).file;
