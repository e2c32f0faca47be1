// One file's way to the drive: hash → ask for an instant upload → prove possession, or else send
// the bytes as a form upload. Each step reports its state; errors propagate to the caller.
import { proveInstantUpload, requestInstantChallenge } from '../api/instant-upload.ts';
import { uploadFileForm } from '../api/upload-file.ts';
import { hashInWorker } from './hash-client.ts';
import { createProgressMeter } from './progress-meter.ts';
import type { UploadState } from './upload-store.ts';

export async function uploadOneFile(
  file: File,
  setState: (state: UploadState) => void,
): Promise<void> {
  const { name, size } = file;

  setState({ status: 'hashing', bytesDone: 0, bytesPerSecond: 0 });
  const sha1 = await hashInWorker(
    file,
    createProgressMeter((bytesDone, bytesPerSecond) =>
      setState({ status: 'hashing', bytesDone, bytesPerSecond }),
    ),
  );

  setState({ status: 'checking' });
  const challenge = await requestInstantChallenge({ name, size, sha1 });
  if (challenge) {
    // The server has this content, but a hash alone proves nothing: it asks for the SHA-1 of a
    // random range of our copy.
    setState({ status: 'instant' });
    const { offset, length, token } = challenge;
    const rangeSha1 = await hashInWorker(file.slice(offset, offset + length));
    await proveInstantUpload({ name, size, sha1, proof: { token, sha1: rangeSha1 } });
    setState({ status: 'done', instant: true });
    return;
  }

  setState({ status: 'uploading', bytesDone: 0, bytesPerSecond: 0 });
  await uploadFileForm(file, {
    onProgress: createProgressMeter((bytesDone, bytesPerSecond) =>
      // The request body is a little larger than the file (multipart framing).
      setState({ status: 'uploading', bytesDone: Math.min(bytesDone, size), bytesPerSecond }),
    ),
    onSent: () => setState({ status: 'verifying' }),
  });
  setState({ status: 'done', instant: false });
}
