// Loaded into a spawned API (spawnApi's `preload`) so that a test can SIGKILL it in the middle of a
// complete: the process stops at the step PAUSE_COMPLETE names, writes PAUSE_MARKER to say it is
// there, and waits to be killed. The API itself has no such hook.
import { writeFileSync } from 'node:fs';
import { Contents } from '../../src/content/contents.ts';
import { FileService } from '../../src/files/service.ts';

export type PauseStep = 'referenced' | 'committed';

const step = process.env.PAUSE_COMPLETE as PauseStep | undefined;

function stopHere(): Promise<never> {
  writeFileSync(process.env.PAUSE_MARKER!, step!);
  return new Promise<never>(() => undefined);
}

if (step === 'referenced') {
  // The content holds the new file's reference; the file's entry is not written yet.
  const addUploaded = Contents.prototype.addUploaded;
  Contents.prototype.addUploaded = async function (this: Contents, ...args) {
    await addUploaded.apply(this, args);
    return stopHere();
  };
} else if (step === 'committed') {
  // The file and the upload's completed mark are committed; the answer is not sent.
  const addUploaded = FileService.prototype.addUploaded;
  FileService.prototype.addUploaded = async function (this: FileService, ...args) {
    await addUploaded.apply(this, args);
    return stopHere();
  };
}
