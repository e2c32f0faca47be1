// Bytes per second over a short sliding window of "bytes done" samples: it follows a change of
// pace within seconds without jittering from one progress event to the next.
const WINDOW_MS = 3_000;

export function createSpeedMeter(now: () => number = () => performance.now()) {
  const samples: { at: number; bytes: number }[] = [];
  return (bytesDone: number): number => {
    const at = now();
    samples.push({ at, bytes: bytesDone });
    while (samples.length > 2 && at - samples[0]!.at > WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (bytesDone - first.bytes) / seconds) : 0;
  };
}

/** Seconds left at `bytesPerSecond`, or undefined while the speed is unknown. */
export const secondsLeft = (bytesLeft: number, bytesPerSecond: number) =>
  bytesPerSecond > 0 ? Math.ceil(bytesLeft / bytesPerSecond) : undefined;
