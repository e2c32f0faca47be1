// Graceful shutdown of the HTTP server (issue 12: "stop accepting, finish in-flight requests
// (uploads get a bounded grace)"): the listening socket closes at once, so a new connection is
// refused and the gateway tries another replica; requests in flight run on for up to `graceMs`.
import type { Server } from 'node:http';

const SWEEP_MS = 100;

export async function closeGracefully(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A kept-alive connection whose request has finished would otherwise wait for its idle timeout.
  const sweeper = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  // Past the grace, what is still running (a stalled upload) is cut: the client resumes elsewhere.
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
  }
}
