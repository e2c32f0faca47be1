// HTTP/1.1 over a bare TCP socket, for the requests fetch cannot express: a chunked body longer than
// it may be, headers or a body that stall, a reader that stops reading.
import { once } from 'node:events';
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The first whole response in `bytes` (bodies with a Content-Length), or undefined if incomplete. */
function parseResponse(bytes: Buffer): RawResponse | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (bytes.length < end + 4 + length) return undefined;
  const status = Number(statusLine!.split(' ')[1]);
  return { status, headers, body: bytes.subarray(end + 4, end + 4 + length) };
}

export class RawConnection {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private wake = () => {};
  /** Settles when the connection is closed, by either side (or reset). */
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (data: Buffer) => {
      this.chunks.push(data);
      this.total += data.length;
      this.wake();
    });
    socket.on('error', () => undefined); // a reset is one of the outcomes the tests look at
    this.closed = once(socket, 'close').then(() => this.wake());
  }

  static async open(baseUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    const socket = net.connect(Number(port), hostname);
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  get isClosed(): boolean {
    return this.socket.closed;
  }

  /** Bytes received so far, head and body. */
  get receivedBytes(): number {
    return this.total;
  }

  /** Writes, unless the server has closed the connection already. */
  write(data: string | Uint8Array): void {
    if (this.socket.writable) this.socket.write(data);
  }

  /** Waits until `condition` holds or the connection closes. */
  async until(condition: () => boolean): Promise<void> {
    while (!condition() && !this.socket.closed) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The first whole response; rejects when the connection closes before it is complete. */
  async response(): Promise<RawResponse> {
    let parsed: RawResponse | undefined;
    await this.until(() => (parsed = parseResponse(Buffer.concat(this.chunks))) !== undefined);
    if (!parsed) throw new Error(`the connection closed after ${this.total} bytes of answer`);
    return parsed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The head of a request (the body follows with `write`). */
export function requestHead(
  method: string,
  path: string,
  headers: Record<string, string | number>,
): string {
  const lines = Object.entries({ host: 'localhost', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** One chunk of a `Transfer-Encoding: chunked` body; an empty one ends the body. */
export const chunkOfBody = (data: Uint8Array) =>
  Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
