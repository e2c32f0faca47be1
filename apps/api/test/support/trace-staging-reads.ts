// Loaded into a spawned API (spawnApi's `imports`): every read of staged bytes appends
// "<uploadId> <start> <end>" to the file STAGING_READ_LOG, so a test sees what a process read back.
import { appendFileSync } from 'node:fs';
import { UploadStaging } from '../../src/content/staging.ts';

const read = UploadStaging.prototype.read;
UploadStaging.prototype.read = function (this: UploadStaging, uploadId, start, end) {
  if (end > start) appendFileSync(process.env.STAGING_READ_LOG!, `${uploadId} ${start} ${end}\n`);
  return read.call(this, uploadId, start, end);
};
