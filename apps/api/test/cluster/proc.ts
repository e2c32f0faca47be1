// What a process holds open, from /proc (Linux): a test tells which replica is serving a download,
// which worker is sending parts to the store, or whether a replica is writing a chunk right now,
// without instrumenting them.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** The targets of the process's open file descriptors, by fd number. */
function openFiles(pid: number): Map<string, string> {
  const files = new Map<string, string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      files.set(fd, readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed since the listing
    }
  }
  return files;
}

/** Files under `dir` the process has open for writing (a chunk PUT writing its staging file). */
export function filesWrittenUnder(pid: number, dir: string): string[] {
  const O_ACCMODE = 0o3;
  return [...openFiles(pid)].flatMap(([fd, target]) => {
    if (path.dirname(target) !== dir) return [];
    let flags: number;
    try {
      flags = parseInt(
        /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1]!,
        8,
      );
    } catch {
      return []; // closed since the listing
    }
    return (flags & O_ACCMODE) !== 0 ? [target] : []; // O_WRONLY or O_RDWR
  });
}

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
  return [...openFiles(pid).values()].flatMap((target) => {
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    const socket = inode && all.get(inode);
    return socket ? [socket] : [];
  });
}
