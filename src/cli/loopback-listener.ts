import { listeningSockets, readTcpTables } from '../core/sandbox/listening-sockets';

/** 127.0.0.1, 0.0.0.0 and their IPv6 forms (`::`, `::ffff:127.0.0.1`) as /proc/net/tcp{,6} write them, either byte order. */
const REACHED_BY_LOOPBACK = ['0100007F', '7F000001', '00000000', '00000000000000000000000000000000', '0000000000000000FFFF00000100007F', '0000000000000000FFFF00007F000001', '00000000000000000000FFFF0100007F'];

/**
 * The user ids of the programs listening where a connection to 127.0.0.1:`port` arrives, as Linux's /proc/net/tcp
 * and tcp6 list them (state 0A); none where that cannot be told (another system, /proc not readable).
 */
function loopbackListenerUids(port: number, tables: readonly string[] = readTcpTables()): number[] {
  return listeningSockets(tables)
    .filter((socket) => socket.port === port && REACHED_BY_LOOPBACK.includes(socket.address))
    .map((socket) => socket.uid);
}

/**
 * Why a credential must not be sent to 127.0.0.1:`port`, or null: another user's program listens there. Any user may
 * bind a free port, so one that holds Portcullis' port while Portcullis is not running collects the key of every
 * client that then connects. Linux only; elsewhere null.
 */
export function otherUsersListener(port: number, uid = process.getuid?.(), tables?: readonly string[]): string | null {
  if (process.platform !== 'linux' || uid === undefined) return null;
  const other = loopbackListenerUids(port, tables).find((owner) => owner !== uid);
  return other === undefined ? null : `the program listening on 127.0.0.1:${port} is another user's (uid ${other}), not your Portcullis: the key was not sent to it`;
}
