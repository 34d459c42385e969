import { AppError } from '../../shared/errors';

/**
 * A server's OS sandbox cannot be made as its mcp.json entry asks (a profile past bubblewrap's limits, arguments too
 * long for its line): it is not started rather than run without one. Starting it again would build the same sandbox
 * and fail the same way, so it is not restarted on its own (mcp-connection.ts); an edit of mcp.json or Restart tries again.
 */
export class SandboxNotMade extends AppError {
  constructor(server: string, why: string) {
    super(
      'MCP_SERVER_UNAVAILABLE',
      `its OS sandbox could not be made, so it is not started rather than run without one. Change its command or its sandbox in mcp.json, or set "sandbox": false there to run the ${server} server unsandboxed if you trust it with all your files; then Restart. The sandbox said: ${why}`,
    );
  }
}
