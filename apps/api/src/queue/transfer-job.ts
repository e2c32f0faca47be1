// The messages of the transfer queue. A job names content by SHA-1 only; the worker reads the row
// to learn where the bytes are now, so a stale or repeated job does no harm.
import { z } from 'zod';
import { RequestId } from '../request-id.ts';

const Sha1 = z.string().regex(/^[0-9a-f]{40}$/);
const RemoteDriver = z.enum(['oss', 's3']);
// The request that created the job (the upload's complete, the delete), for the worker's log lines.
const traced = { requestId: RequestId.optional() };

export const TransferJob = z.discriminatedUnion('action', [
  // Move staged bytes from local disk to the object store `to`.
  z.object({
    action: z.literal('transfer'),
    sha1: Sha1,
    size: z.number().int().nonnegative(),
    from: z.literal('local'),
    to: RemoteDriver,
    ...traced,
  }),
  // Delete content nobody references any more from the store that holds it.
  z.object({
    action: z.literal('delete'),
    sha1: Sha1,
    size: z.number().int().nonnegative(),
    from: RemoteDriver,
    to: RemoteDriver,
    ...traced,
  }),
]);
export type TransferJob = z.infer<typeof TransferJob>;
export type RemoteDriver = z.infer<typeof RemoteDriver>;

/** Runs one job; resolving means done (ack), throwing means try again later. */
export type JobHandler = (job: TransferJob) => Promise<void>;

/** The wait before the next attempt after `attempt` failed (1-based); undefined: dead-letter it. */
export function retryDelay(attempt: number, delaysMs: readonly number[]): number | undefined {
  return delaysMs[attempt - 1];
}
