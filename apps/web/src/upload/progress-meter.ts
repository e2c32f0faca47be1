// Turns a stream of "bytes done" counts into throttled reports with a speed: at most one report
// per interval (so the store is not rewritten on every progress event), speed over a short
// sliding window (so it follows changes without jittering).
const REPORT_INTERVAL_MS = 100;
const SPEED_WINDOW_MS = 2_000;

export type ProgressReport = (bytesDone: number, bytesPerSecond: number) => void;

export function createProgressMeter(report: ProgressReport, now = () => performance.now()) {
  const samples: { at: number; bytes: number }[] = [];
  let lastReportAt = -Infinity;
  return (bytesDone: number) => {
    const at = now();
    samples.push({ at, bytes: bytesDone });
    while (samples.length > 2 && at - samples[0]!.at > SPEED_WINDOW_MS) samples.shift();
    if (at - lastReportAt < REPORT_INTERVAL_MS) return;
    lastReportAt = at;
    const first = samples[0]!;
    const seconds = (at - first.at) / 1000;
    report(bytesDone, seconds > 0 ? (bytesDone - first.bytes) / seconds : 0);
  };
}
