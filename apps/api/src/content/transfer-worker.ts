// Runs transfer jobs: copies staged bytes to the object store, verifies them, records the new
// location, and only then removes the staged copy; deletes objects nobody references. Every step
// is idempotent, so a job redelivered after a crash or a retry does no harm.
import type { Contents } from './contents.ts';
import type { JobHandler, TransferJob } from '../queue/transfer-job.ts';
import { timeTransferJob } from '../metrics.ts';
import { digesting } from '../storage/digest-stream.ts';
import type { LocalStore } from '../storage/local-store.ts';
import { ObjectNotFound, objectKeyFor } from '../storage/object-store.ts';
import type { RemoteStore } from '../storage/remote-store.ts';

const MD5_HEX = /^[0-9a-f]{32}$/;

export class TransferWorker {
  constructor(
    private readonly contents: Contents,
    private readonly local: LocalStore,
    private readonly remote: RemoteStore,
  ) {}

  readonly handle: JobHandler = (job) =>
    timeTransferJob(job.action, () =>
      job.action === 'delete' ? this.remove(job) : this.transfer(job),
    );

  private async transfer(job: TransferJob): Promise<void> {
    const key = objectKeyFor(job.sha1);
    const row = await this.contents.current(job.sha1);
    if (!row) {
      // Deleted while staged: drop any copy an earlier, interrupted attempt left in the store.
      await this.remote.delete(key);
      return;
    }
    if (row.state !== 'staged') {
      // Done by an earlier delivery that stopped before its ack; its staged copy may be left.
      if (row.state === 'stored' && row.driver === this.remote.driver) await this.local.delete(key);
      return;
    }
    const size = Number(row.size);
    const source = await this.local.get(row.location).catch((err: unknown) => {
      if (err instanceof ObjectNotFound) return undefined;
      throw err;
    });
    if (!source) {
      if ((await this.contents.current(job.sha1))?.state === 'staged')
        throw new Error(`staged bytes of ${job.sha1} are missing`);
      return; // stored or deleted meanwhile by another delivery
    }
    // An object stored in one piece has its MD5 as ETag on every S3/OSS store: check it. Parts give
    // `<md5 of part md5s>-<n>` ETags the stores compute differently, so those are checked by size
    // (hashing their bytes cost a third of the worker's CPU for nothing; the bytes were verified
    // by SHA-1 when they arrived).
    const md5 = size <= this.remote.partSize ? digesting(source, 'md5') : undefined;
    await this.remote.put(key, md5?.stream ?? source, size);
    await this.verify(key, size, md5?.digest());
    if (!(await this.contents.markStored(job.sha1, this.remote.driver, key))) {
      // Deleted during the copy: nobody references the object just written.
      if (!(await this.contents.current(job.sha1))) await this.remote.delete(key);
      return;
    }
    await this.local.delete(row.location);
  }

  /** The store holds exactly the bytes sent: size, and the MD5 where its ETag is one. */
  private async verify(key: string, size: number, md5: string | undefined): Promise<void> {
    const info = await this.remote.head(key);
    if (!info || info.size !== size)
      throw new Error(`${key}: the store holds ${info?.size ?? 'no'} bytes, expected ${size}`);
    if (md5 && info.etag && MD5_HEX.test(info.etag) && info.etag !== md5)
      throw new Error(`${key}: the store's MD5 ${info.etag} differs from the bytes sent (${md5})`);
  }

  private async remove(job: TransferJob): Promise<void> {
    await this.contents.finishDeletion(job.sha1);
  }
}
