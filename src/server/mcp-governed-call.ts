import type { ProgressToken } from '@modelcontextprotocol/sdk/types.js';
import { credentialHolder } from '../core/auth/caller-label';
import { mcpCallerKey } from '../core/tools/caller-conversations';
import { mcpClientCaller } from '../core/tools/direct-callers';
import type { DirectCallOutcome } from '../shared/domain/direct-call';
import type { ToolProgress } from '../shared/domain/tool-call';
import { AppError } from '../shared/errors';
import type { McpEndpointDeps } from './mcp-endpoint-deps';
import { ProgressSeries, type ProgressFigures } from './mcp-progress-series';
import type { HandlerExtra } from './mcp-prompts-resources';
import type { McpSession } from './mcp-session';

/** How often a call that waits (for the person, most often) tells a client that gave a progressToken it still runs. */
export const PROGRESS_EVERY_MS = 5_000;

/** A session's way into the governed path, for its tools/call and resources/read requests. */
export type GovernedCall = (name: string, args: Record<string, unknown>, extra: HandlerExtra, progressToken: ProgressToken | undefined, method?: 'tools/call' | 'resources/read') => Promise<DirectCallOutcome>;

/**
 * One call through the governed path, recorded in the client's conversation of the day (its taint and allowances are
 * shared by the client's sessions of that day); the client's cancel, a dropped connection or a revoked key stop it, and a client that gave a
 * progressToken hears that it still runs. `keepConversation` writes down the conversation the session's last call went to.
 */
export function governedCall(
  session: McpSession,
  deps: Pick<McpEndpointDeps, 'call' | 'awaitingApproval' | 'keyName' | 'redact'>,
  every: number,
  keepConversation: (sessionId: string, conversationId: string) => void,
): GovernedCall {
  const { server, transport } = session;
  return async (name, args, extra, progressToken, method = 'tools/call') => {
    const client = server.getClientVersion()?.name;
    // The client's cancel reads as its own in the call's record and the approval it withdraws.
    const cancel = new AbortController();
    const stop = (why: string) => cancel.abort(new AppError('TOOL_CANCELLED', why));
    const onAbort = () => stop(session.endedBecause ?? `${client ?? 'The MCP client'} cancelled the call.`);
    if (extra.signal.aborted) onAbort();
    else extra.signal.addEventListener('abort', onAbort, { once: true });
    session.calls.set(extra.requestId, stop);
    let conversationId: string | null = null;
    // Portcullis' beats and the server's reports, as one rising series.
    const series = new ProgressSeries();
    let said = 0;
    const say = (figures: ProgressFigures, message: string | undefined): void => {
      said += 1;
      if (progressToken === undefined) return;
      extra.sendNotification({ method: 'notifications/progress', params: { progressToken, ...figures, ...(message ? { message } : {}) } }).catch(() => undefined);
    };
    // A wait for the person can take minutes: progress keeps the client's own timeout from giving up first. A
    // beat only after a period the server said nothing in: its own reports say more.
    let saidBefore = 0;
    const heartbeat = progressToken === undefined ? undefined : setInterval(() => {
      const quiet = said === saidBefore;
      saidBefore = said;
      if (!quiet) return;
      void (conversationId === null ? Promise.resolve(false) : deps.awaitingApproval(conversationId))
        .then((waiting) => {
          // A report that came meanwhile stands for this beat.
          if (said === saidBefore) say(series.beat(), waiting ? `Waiting for the person to approve ${name} in Portcullis` : `${name} is running in Portcullis`);
          saidBefore = said;
        })
        .catch(() => undefined);
    }, every);
    try {
      const caller = {
        ...mcpClientCaller(name, args, credentialHolder(session.principal, deps.keyName), client, { id: transport.sessionId, clientVersion: server.getClientVersion()?.version, method }),
        // The client's conversation of the day, whichever of its sessions calls: one launch of a client is one session.
        callerKey: mcpCallerKey(session.principal, client),
        sharesConversation: true,
        onConversation: (id: string) => {
          conversationId = id;
          // The newest: the person may have deleted the client's conversation of the day, and this call made another.
          if (session.conversationId !== id && transport.sessionId) keepConversation(transport.sessionId, id);
          session.conversationId = id;
        },
        // What the server that runs the tool reports of a long call (its message is its own, masked).
        onProgress: (progress: ToolProgress) => {
          const figures = series.report(progress);
          if (figures) say(figures, progress.message === undefined ? undefined : deps.redact(progress.message));
        },
      };
      return await deps.call({ name, arguments: args }, { caller, signal: cancel.signal });
    } finally {
      clearInterval(heartbeat);
      extra.signal.removeEventListener('abort', onAbort);
      session.calls.delete(extra.requestId);
    }
  };
}
