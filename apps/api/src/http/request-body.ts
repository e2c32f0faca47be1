// Streaming request bodies whatever state their connection is in. An answer given before the body
// was read (404 for an unknown upload, 413, 507 on a full disk…) must reach a client that is still
// sending: closing a socket with unread bytes makes the kernel reset the connection, and the client
// loses the answer (browsers and fetch report a network error and retry). Issue 10: "Drain the body
// up to a bound … or do a lingering close so the answer is readable, on every streaming route."
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import type { Request, Response } from 'express';

/** Bytes of an unwanted body read after the answer: a whole chunk of the default size. */
const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;
/** How long the connection stays half-closed for the client to read the answer. */
const LINGER_MS = 2000;

/** The body's stream failed because the client went away (or was cut) before sending it all. */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection mid-body');
  }
}

/**
 * The body as a stream its consumer may destroy on a failure (too many bytes, a full disk, a bad
 * multipart header) without destroying `req`: that would reset the connection before the error
 * could be answered. A client that goes away still fails the consumer.
 */
export function bodyOf(req: IncomingMessage): Readable {
  const body = new PassThrough();
  req.pipe(body);
  body.once('close', () => req.unpipe(body));
  req.once('close', () => {
    if (!req.complete) body.destroy(new ClientGone());
  });
  return body;
}

/**
 * Lets the error answer out before the body has ended: it says `Connection: close`, our side closes
 * first, and the rest of the body is read and dropped up to DRAIN_LIMIT_BYTES; past that we stop
 * reading, so the client's writes wait instead of meeting a reset. The connection goes when the
 * client closes its side, or after LINGER_MS.
 */
export function discardUnreadBody(req: Request, res: Response): void {
  // Null or destroyed once the client has gone: there is nobody left to answer.
  const socket = req.socket as Socket | null;
  if (!socket || socket.destroyed) return;
  res.set('Connection', 'close');
  // Node ends a `Connection: close` exchange with destroySoon(), which resets a connection that
  // still has unread bytes.
  socket.destroySoon = () => lingeringClose(socket);
  req.unpipe(); // what read it before (a failed upload's pipe) lets go first
  let unread = DRAIN_LIMIT_BYTES;
  req.on('data', (chunk: Buffer) => {
    unread -= chunk.length;
    if (unread < 0) req.pause();
  });
  req.resume();
}

function lingeringClose(socket: Socket): void {
  socket.end();
  socket.once('end', () => socket.destroy());
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
