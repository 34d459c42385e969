import { serverAddressKey } from '../../../shared/server-address-key';

/** The address the Server address field starts with before anything is detected or saved: Ollama's, the most common. */
export const DEFAULT_SERVER_ADDRESS = 'http://127.0.0.1:11434/v1';

/**
 * The Server address once the usual ports have been looked at: while the field still holds the untouched default
 * and nothing answers there, the first server found (LM Studio on :1234 when it alone runs). Otherwise the field
 * keeps what it holds: typing a model's name next to an address nothing listens on ends in a failed Test.
 */
export function addressAfterDetection(current: string, servers: readonly { baseUrl: string }[] | null): string {
  if (current !== DEFAULT_SERVER_ADDRESS || !servers || servers.length === 0) return current;
  return servers.some((server) => server.baseUrl === DEFAULT_SERVER_ADDRESS) ? current : servers[0]!.baseUrl;
}

/**
 * The address the person had asked for its models when nothing there listed any, to say so beside the list, and
 * whether /v1 was asked too (the host tries it under an address with no path); null when it answered (it is
 * listed, under /v1 too), when none was asked, or for the untouched default, which the usual ports' "None found"
 * already covers. Without it, Look again on a wrong address changed nothing on the page.
 */
export function unansweredAddress(
  asked: string | null,
  servers: readonly { kind: string; baseUrl: string }[] | null,
): { address: string; v1Too: boolean } | null {
  if (asked === null || servers === null || asked.trim() === DEFAULT_SERVER_ADDRESS) return null;
  const wanted = serverAddressKey(asked);
  if (servers.some((server) => server.kind === 'typed' || [wanted, `${wanted}/v1`].includes(serverAddressKey(server.baseUrl)))) return null;
  return { address: asked.trim(), v1Too: URL.canParse(wanted) && new URL(wanted).pathname === '/' };
}
