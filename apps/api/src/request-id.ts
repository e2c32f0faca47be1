// The id of the request a piece of work serves (issue 12: "structured logs carry the role and the
// request id end to end (gateway → role → worker job)"). The request logger runs each request
// inside it, so code far down the call chain — the relay publishing the transfer job a commit
// created — reads it without every signature in between passing it along.
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';

/**
 * An X-Request-Id we repeat: short, and only characters that cannot break a log line, a header or
 * a log query (a gateway's UUID or hex id passes).
 */
export const RequestId = z.string().regex(/^[\w.-]{1,64}$/);

const current = new AsyncLocalStorage<string>();

/** Runs `work`, and everything it starts, as serving the request `id`. */
export const withRequestId = <T>(id: string, work: () => T): T => current.run(id, work);

/** The id of the request being served here; undefined outside any request. */
export const currentRequestId = (): string | undefined => current.getStore();
