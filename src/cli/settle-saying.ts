import type { McpServerStatusInfo } from '../shared/domain/tool-catalog';

/**
 * Waits for the MCP servers to start, as a command alone on the data folder does before it lists or calls, saying on
 * stderr which ones it waits for after 2 s and every 10 s after: a first `npx` start downloads its package (a minute
 * on a slow line), and a command that printed nothing all that time read as hung. Stderr, so --json stays whole.
 */
export async function settleSaying(
  mcp: { settled(): Promise<void>; status(): McpServerStatusInfo[] },
  say: (line: string) => void = (line) => console.error(line),
  { firstAfterMs = 2_000, everyMs = 10_000 } = {},
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const tell = (): void => {
    const starting = mcp.status().filter((server) => server.state === 'starting');
    if (starting.length > 0) {
      const names = starting.map((server) => (server.startingNote ? `${server.name} (${server.startingNote})` : server.name));
      say(`portcullis: waiting for ${starting.length === 1 ? 'an MCP server' : `${starting.length} MCP servers`} to start: ${names.join(', ')}…`);
    }
    timer = setTimeout(tell, everyMs);
  };
  timer = setTimeout(tell, firstAfterMs);
  try {
    await mcp.settled();
  } finally {
    clearTimeout(timer);
  }
}
