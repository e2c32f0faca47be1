// The transfer role: consume jobs for the configured object store and keep the relay sweeping. It
// runs in the single process of the embedded default and in `npm run worker` processes alike.
import type { Config } from '../config.ts';
import type { Transfer } from '../services.ts';
import type { RemoteStore } from '../storage/remote-store.ts';

/** How often the relay looks for jobs whose publish was lost. */
const RELAY_SWEEP_MS = 30_000;
/** How long a stopping worker lets running jobs finish before handing them back to the queue. */
const STOP_GRACE_MS = 25_000;

/** Starts the worker; the returned function stops taking jobs and finishes or hands back the rest. */
export async function runTransfer(
  transfer: Transfer,
  remote: RemoteStore,
  config: Config,
): Promise<() => Promise<void>> {
  await transfer.relay.start(RELAY_SWEEP_MS);
  await transfer.queue.consume(remote.driver, transfer.worker.handle, config.transferConcurrency);
  return async () => {
    await transfer.relay.stop();
    await transfer.queue.stopConsuming(STOP_GRACE_MS);
  };
}
