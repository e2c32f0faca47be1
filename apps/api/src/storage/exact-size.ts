import { pipeline, Transform, type Readable } from 'node:stream';

/**
 * Passes `body` through, failing as soon as it carries more than `size` bytes and at its end
 * unless it carried exactly `size`: a store never keeps a truncated or padded object.
 */
export function exactly(body: Readable, size: number, key: string): Readable {
  let seen = 0;
  const mismatch = () => new Error(`${key}: received ${seen} bytes, expected ${size}`);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > size ? mismatch() : null, chunk);
    },
    flush(done) {
      done(seen === size ? null : mismatch());
    },
  });
  // The reader of the returned stream sees every error: pipeline destroys both streams with it.
  return pipeline(body, counter, () => undefined);
}
