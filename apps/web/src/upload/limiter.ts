// A first-in, first-out queue that runs at most `limit` tasks at once.
export function createLimiter(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };

  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running < limit) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // slot handed over by release
    try {
      return await task();
    } finally {
      release();
    }
  };
}
