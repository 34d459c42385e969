import { readFileSync } from 'node:fs';

/** A TCP socket listening in this network namespace, as Linux's /proc/net/tcp and tcp6 list it. */
export interface ListeningSocket {
  /** The local address in /proc's hex, as written there (`0100007F` is 127.0.0.1). */
  address: string;
  port: number;
  uid: number;
}

/** The text of /proc/net/tcp and tcp6; none where they cannot be read (another system, /proc not mounted). */
export function readTcpTables(): string[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
    try {
      return [readFileSync(file, 'utf8')];
    } catch {
      return [];
    }
  });
}

/** The sockets in state 0A (LISTEN) of the tables' text, IPv4 and IPv6 alike. */
export function listeningSockets(tables: readonly string[] = readTcpTables()): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const table of tables) {
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [address = '', port = ''] = (fields[1] ?? '').split(':');
      if (fields[3] === '0A') sockets.push({ address, port: parseInt(port, 16), uid: Number(fields[7]) });
    }
  }
  return sockets;
}
