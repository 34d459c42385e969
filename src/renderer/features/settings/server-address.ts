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
