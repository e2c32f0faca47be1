// POST /api/files/archive {fileIds, folderIds} → a zip the server streams. The body is JSON, so a
// plain link cannot ask for it: the answer is read into a Blob (Chromium spills large blobs to
// disk) and handed to the browser's download through an object URL.
import type { ArchiveBody } from '@filestore/contract';
import { apiRequest } from './client.ts';

export async function downloadArchive(body: ArchiveBody, fileName: string): Promise<void> {
  const response = await apiRequest('/api/files/archive', { method: 'POST', body });
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
  } finally {
    // The download has taken its own reference by now; a moment later the URL can go.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
