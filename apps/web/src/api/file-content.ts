// GET /api/files/:id/content: the bytes. Used as a plain link so the browser streams the download
// to disk instead of the page holding it in memory; `inline` opens it in the browser (the viewer).
import { apiRequest } from './client.ts';

export const fileContentUrl = (id: string, { inline = false } = {}) =>
  `/api/files/${encodeURIComponent(id)}/content${inline ? '?disposition=inline' : ''}`;

/** The first `maxBytes` of a file as text (a Range request: a big log is not read whole). */
export async function fetchTextStart(id: string, maxBytes: number, signal?: AbortSignal) {
  const response = await apiRequest(fileContentUrl(id, { inline: true }), {
    headers: { Range: `bytes=0-${maxBytes - 1}` },
    signal,
  });
  // A cut may fall inside a multi-byte character: the decoder shows it as one replacement mark.
  return new TextDecoder().decode(await response.arrayBuffer());
}
