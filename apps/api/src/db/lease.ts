// Leases held in the database (an upload's completion claim, its running SHA-1): a holder renews
// its lease while it works, so a holder that died is taken over once the lease lapses.

/** Calls `renew` every third of `leaseMs` until the returned function is called. */
export function keepRenewing(renew: () => Promise<unknown>, leaseMs: number): () => void {
  // A failed renewal is not fatal: the next one runs, and a lost lease shows when it is used.
  const timer = setInterval(() => void renew().catch(() => undefined), leaseMs / 3);
  timer.unref();
  return () => clearInterval(timer);
}
