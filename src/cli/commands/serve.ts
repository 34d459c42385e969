import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startHeadlessServer } from '../../server/headless-server';
import { generateToken } from '../../server/token-auth';
import { loadJwtConfig } from '../../core/auth/jwt-config';
import { JwtVerifier } from '../../core/auth/jwt-verifier';
import { AppError } from '../../shared/errors';
import { CliUsageError, type CommandContext } from '../command';
import { builtFiles, createNodeRuntime } from '../node-runtime';
import { parseDuration } from '../parse-duration';
import type { Runtime } from '../../core/runtime/create-runtime';
import { recordedOwnerPid } from '../../core/runtime/data-folder-owner';

export const serveHelp = `portcullis serve [--port N] [--data-dir D] [--workspace W] [--auth-failure-limit N] [--approval-timeout 120s]
  Runs Portcullis headless on 127.0.0.1 and prints the URL to open in a browser (it carries the access token).
  Scripts use the same API with an API key (portcullis keys create) or a JWT (<data folder>/jwt.json);
  a client is answered 429 for a minute after N failed authentications (default 20).
  --approval-timeout: how long an approval waits before it counts as denied (e.g. 90s, 2m, 1500ms).`;

export async function serveCommand({ values, out }: CommandContext): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliUsageError(`--port must be a number from 0 to 65535, not "${values.port}".`);
  if (!existsSync(join(builtFiles.rendererDir, 'index.html'))) {
    throw new CliUsageError(`The interface is not built (${builtFiles.rendererDir} is missing). Run \`npm run build\` first.`);
  }
  const failureLimit = values['auth-failure-limit'] === undefined ? 20 : Number(values['auth-failure-limit']);
  if (!Number.isInteger(failureLimit) || failureLimit < 1) throw new CliUsageError(`--auth-failure-limit must be a whole number of at least 1, not "${values['auth-failure-limit']}".`);
  const approvalTimeoutMs = values['approval-timeout'] === undefined ? undefined : parseDuration(values['approval-timeout'], '--approval-timeout');
  const runtime = createNodeRuntime({ dataDir: values['data-dir'], workspace: values.workspace, ...(approvalTimeoutMs ? { approvalTimeoutMs } : {}) });
  let server;
  try {
    const jwtConfig = loadJwtConfig(runtime.paths.dataDir);
    const jwt = jwtConfig ? await JwtVerifier.create(jwtConfig, runtime.secretStore) : null;
    server = await startHeadlessServer({
      runtime, rendererDir: builtFiles.rendererDir, token: generateToken(), port, jwt,
      authFailures: { maxFailures: failureLimit, windowMs: 60_000 },
    });
  } catch (error) {
    await runtime.dispose();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new AppError('VALIDATION_FAILED', `Port ${port} on 127.0.0.1 is already in use (by another portcullis serve?). Choose another with --port, or leave --port out to take a free one.`);
    }
    throw error;
  }
  // Listening before the banner: whoever reads it may stop us at once, and an unheard SIGTERM would leave
  // terminal-access.json behind.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const mcpUrl = `http://127.0.0.1:${server.port}/mcp`;
  out(`Portcullis is running headless.\n  Open: ${server.url}\n  MCP clients: ${mcpUrl} (with a key from portcullis keys create --name NAME --scope tools)\n  Data: ${runtime.paths.dataDir}\n  Workspace: ${runtime.paths.workspace}\nPress Ctrl+C to stop.`);
  if (!runtime.ownsDataFolder) console.error(besideAnother(runtime));
  await stopped;
  await server.close();
  await runtime.dispose();
  return 0;
}

/**
 * A second serve (or serve beside the app) on one data folder runs, but beside the first: said on stderr, as a
 * command beside a Portcullis says it, since its approvals, its servers and the commands' way in are not that one's.
 */
function besideAnother(runtime: Runtime): string {
  const pid = recordedOwnerPid(runtime.paths.dataDir);
  const copies = runtime.mcp.connections().length > 0 ? ', with a second copy of each MCP server (a server that holds a lock or a port may fail in one of them)' : '';
  return `portcullis: Portcullis is already running on this data folder${pid ? ` (pid ${pid})` : ''}. This one runs beside it${copies}; each asks its approvals in its own window, and \`portcullis\` commands go through that one, not this one.`;
}
