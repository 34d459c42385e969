import { existsSync } from 'node:fs';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { AppError } from '../../shared/errors';
import type { SecretStore } from '../secrets/secret-store';
import { argumentCredentials, writtenCredentialValues } from './argument-credentials';
import { boundedFetch, MAX_MESSAGE_BYTES, type OnDropped } from './bounded-fetch';
import { measureEachMessage } from './bounded-read-buffer';
import { assertProgramExists, assertScriptExists } from './find-program';
import { takingTurns } from './fetch-turns';
import { markingGetStreamBreaks } from './get-stream-breaks';
import { expandHome, withHomeExpanded } from './home-path';
import { type HttpServerConfig, isStdio, type McpServerConfig } from './mcp-config';
import type { CommandWrapper, LaunchPlan, LaunchProgress } from './launch-plan';
import type { OAuthCallbackServer } from './oauth/oauth-callback-server';
import { McpOAuthProvider } from './oauth/mcp-oauth-provider';
import { ExitRecordingStdioTransport } from './process-exit';
import { EndingSSEClientTransport, EndingStreamableHTTPClientTransport } from './remote-transports';
import { hasSecretReference, resolveSecretReferences } from './secret-references';
import { proxyCredentials } from '../sandbox/sandbox-command';
import { serverEnvironment } from './server-environment';

/** A remote server's OAuth client, kept across its connections once asked for, and the client secret to hide. */
export interface KeptOAuthClient {
  provider?: McpOAuthProvider;
  secrets: string[];
}

/** How a server runs, as the connection shows it: a stdio server's launch plan, or a remote server's. */
export type Launch = Pick<LaunchPlan, 'sandboxed' | 'note' | 'grants' | 'refusals' | 'release'>;

/** What making a server's transport needs of its connection, and what it tells the connection as it goes. */
export interface TransportSite {
  readonly name: string;
  readonly config: McpServerConfig;
  readonly secrets: SecretStore | undefined;
  readonly wrapCommand: CommandWrapper | undefined;
  /** Where sign-ins return; without it, no OAuth client is made. */
  readonly oauthCallback: OAuthCallbackServer | undefined;
  readonly oauth: KeptOAuthClient;
  /** Whether a remote server speaks the older HTTP+SSE transport, as known when its transport is made. */
  legacySse(): boolean;
  /** The values to hide from its output: told before anything may fail, so the failure is hidden too. */
  hide(values: string[]): void;
  /** How it runs, told before its process starts. */
  launching(launch: Launch): Promise<void>;
  /** What its launch's planning does meanwhile (an npx server's package fetch). */
  readonly progress?: LaunchProgress;
  stderr(chunk: Buffer): void;
  /** A message too large to read was dropped, and the connection goes on; a request of the server's was answered. */
  noteDropped(note: string, request?: { method: string }): void;
}

/** The most requests to one remote server that wait for their answer at once: its connections to it, near enough. */
const MAX_FETCHES_AT_ONCE = 16;

/** The transport for one attempt to connect: a stdio server's process (sandboxed when it can be), or a remote server's HTTP. */
export async function createTransport(site: TransportSite): Promise<Transport> {
  const { name, config } = site;
  if (isStdio(config)) {
    const { resolved: env, secrets } = await resolveSecretReferences(withHomeExpanded(config.env), site.secrets, `The ${name} server`);
    // Arguments take `secret:NAME` too: servers that take a connection string or a token as one are common.
    const byPlace = Object.fromEntries(config.args.map((arg, i) => [`argument ${i + 1}`, arg]));
    const { resolved: resolvedArgs, secrets: argSecrets } = await resolveSecretReferences(byPlace, site.secrets, `The ${name} server`);
    // Credentials still written out in its arguments or env (no keychain to move them to) are hidden from its output too.
    const { args } = config;
    const written = argumentCredentials(args, (value) => !hasSecretReference(value)).map((c) => args[c.index]!.slice(c.start, c.end));
    const hidden = [...secrets, ...argSecrets, ...written, ...writtenCredentialValues(config.env)];
    site.hide(hidden);
    // Its folder as a shell reads it (`~/project`); one that is not there is said plainly, not as `spawn /bin/sh ENOENT`.
    const cwd = config.cwd === undefined ? undefined : expandHome(config.cwd);
    if (cwd !== undefined && !existsSync(cwd)) throw new AppError('MCP_SERVER_UNAVAILABLE', `its "cwd" folder ${cwd} does not exist: create it, or fix "cwd" in mcp.json`);
    const launched = { ...config, args: config.args.map((_, i) => resolvedArgs[`argument ${i + 1}`]!), ...(cwd !== undefined ? { cwd } : {}) };
    assertProgramExists(launched.command, env.PATH ?? serverEnvironment().PATH, launched.cwd);
    assertScriptExists(launched.command, launched.args);
    const plan: LaunchPlan = site.wrapCommand
      ? await site.wrapCommand(name, launched, site.progress)
      : { command: launched.command, args: launched.args, sandboxed: false, note: 'No OS sandbox is configured for this host.' };
    // Its proxy credentials would let another server borrow its domains: hidden from its output as its secrets are.
    site.hide([...hidden, ...proxyCredentials([...plan.args, ...Object.entries(plan.env ?? {}).map(([key, value]) => `${key}=${value}`)])]);
    await site.launching(plan);
    const transport = new ExitRecordingStdioTransport({
      command: plan.command,
      args: plan.args,
      env: { ...serverEnvironment(), ...withoutNames(env, plan.keptFromHost ?? []), ...plan.env },
      stderr: 'pipe',
      ...(launched.cwd ? { cwd: launched.cwd } : {}),
    });
    transport.stderr?.on('data', (chunk: Buffer) => site.stderr(chunk));
    // A message beyond 10 MB fails only what it was for, as on a remote server's streams (`bounded-read-buffer.ts`).
    measureEachMessage(transport, answeringDropped(site, () => transport));
    return transport;
  }
  const { resolved: headers, secrets } = await resolveSecretReferences(config.headers, site.secrets, `The ${name} server`);
  await site.launching({ sandboxed: false, note: 'A remote server runs elsewhere; Portcullis cannot sandbox it.' });
  const authProvider = await oauthProvider(site, config, headers);
  site.hide([...secrets, ...site.oauth.secrets, ...writtenCredentialValues(config.headers)]);
  // No answer is read beyond the 10 MB one JSON-RPC message may have, as over stdio (`bounded-fetch.ts`).
  // A GET stream that breaks is told from an answer that does (`get-stream-breaks.ts`).
  // The transport is made below; the fetch is first used once it is.
  // At most MAX_FETCHES_AT_ONCE requests to it wait for an answer at once (`fetch-turns.ts`).
  const fetch = boundedFetch(MAX_MESSAGE_BYTES, markingGetStreamBreaks(takingTurns(MAX_FETCHES_AT_ONCE)), answeringDropped(site, () => transport));
  const options = { requestInit: { headers }, fetch, ...(authProvider ? { authProvider } : {}) };
  const transport = site.legacySse() ? new EndingSSEClientTransport(new URL(config.url), options) : new EndingStreamableHTTPClientTransport(new URL(config.url), options);
  return transport;
}

/**
 * Tells the connection of a message too large to read; a request of the server's among them is answered at once with
 * the error that names the limit, sent past the SDK (which never saw the request): the server would otherwise wait
 * for ever, and the call it asked about would run until its timeout.
 */
function answeringDropped(site: TransportSite, transport: () => Transport): OnDropped {
  return (note, request) => {
    site.noteDropped(note, request);
    // A connection already closing has no one left to answer.
    if (request) void transport().send(request.answer).catch(() => undefined);
  };
}

/** The OAuth client for a remote server, unless the person gives it a credential of their own in its headers. */
async function oauthProvider(site: TransportSite, config: HttpServerConfig, headers: Record<string, string>): Promise<McpOAuthProvider | undefined> {
  const { oauthCallback: callback, oauth: kept, name } = site;
  if (!callback || Object.keys(headers).some((header) => header.toLowerCase() === 'authorization')) return undefined;
  if (!kept.provider) {
    const { callbackPort, clientId, clientSecret, scopes } = config.oauth ?? {};
    await callback.start(callbackPort);
    const where = `The ${name} server's oauth`;
    const secret = clientSecret ? (await resolveSecretReferences({ clientSecret }, site.secrets, where)).resolved.clientSecret : undefined;
    kept.secrets = secret ? [secret] : [];
    const client = { clientId, clientSecret: secret, scopes };
    kept.provider = new McpOAuthProvider(name, callback.redirectUrl(name, callbackPort), site.secrets, client);
  }
  kept.provider.attempted = false;
  return kept.provider;
}

/** `env` without the variables named. */
function withoutNames(env: Record<string, string>, names: readonly string[]): Record<string, string> {
  return names.length === 0 ? env : Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}
