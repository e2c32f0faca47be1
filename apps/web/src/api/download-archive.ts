// POST /api/files/archive as a form posted into a hidden frame: the browser downloads the zip the
// server streams straight to disk, however large (a fetch would hold it in the page as a Blob). An
// attachment never loads into the frame; an error answer (JSON) does, and goes to `onError`.
import type { ArchiveBody } from '@filestore/contract';
import { toApiError, type ApiError } from './client.ts';

/** How long the frame waits for an error answer before it is removed. */
const FRAME_LIFETIME_MS = 60_000;

export function downloadArchive(selection: ArchiveBody, onError: (err: ApiError) => void): void {
  const frame = document.createElement('iframe');
  frame.name = `archive-${crypto.randomUUID()}`;
  frame.hidden = true;
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = '/api/files/archive';
  form.target = frame.name;
  form.hidden = true;
  const field = document.createElement('input');
  field.type = 'hidden';
  field.name = 'selection';
  field.value = JSON.stringify(selection);
  form.append(field);
  document.body.append(frame, form);
  frame.addEventListener('load', () => {
    const page = frame.contentDocument;
    if (!page || page.URL === 'about:blank') return;
    // The status is not visible from here; the JSON body carries the code and the message.
    onError(toApiError(400, page.body.textContent ?? ''));
    frame.remove();
  });
  form.submit();
  form.remove();
  setTimeout(() => frame.remove(), FRAME_LIFETIME_MS);
}
