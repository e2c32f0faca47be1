// How full the user's quota is, for the bar in the header: a whole percentage and a level that
// colours the bar (the last 10% warns; a full quota refuses uploads with 413 quota_exceeded).
export type QuotaLevel = 'ok' | 'high' | 'full';

const HIGH_SHARE = 0.9;

export function quotaUsage(usedBytes: number, quotaBytes: number) {
  const share = quotaBytes === 0 ? 1 : Math.min(usedBytes / quotaBytes, 1);
  const level: QuotaLevel = share >= 1 ? 'full' : share >= HIGH_SHARE ? 'high' : 'ok';
  // Floor, so a nearly full quota never reads "100%" while there is still room.
  return { percent: Math.floor(share * 100), level };
}
