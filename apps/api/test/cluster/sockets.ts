// Which process holds which TCP connection, from /proc (Linux): a test tells which replica is
// serving a download, or which worker is sending parts to the store, without instrumenting them.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface TcpSocket {
  localPort: number;
  remotePort: number;
  /** Bytes written but not yet acknowledged by the peer: a reader that stopped reading. */
  sendQueue: number;
}

/** Every TCP socket of the network namespace, by inode. */
function tcpSockets(): Map<string, TcpSocket> {
  const sockets = new Map<string, TcpSocket>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const port = (address: string) => parseInt(address.split(':').at(-1)!, 16);
      sockets.set(fields[9]!, {
        localPort: port(fields[1]!),
        remotePort: port(fields[2]!),
        sendQueue: parseInt(fields[4]!.split(':')[0]!, 16),
      });
    }
  }
  return sockets;
}

/** The TCP sockets the process `pid` has open. */
export function socketsOf(pid: number): TcpSocket[] {
  const all = tcpSockets();
  const owned: TcpSocket[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed since the listing
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    const socket = inode && all.get(inode);
    if (socket) owned.push(socket);
  }
  return owned;
}
