import type { CreateMessageRequest, CreateMessageResult, ElicitRequest, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitationAsker } from '../approvals/elicitation-gate';
import { keepsSecretsOut, toElicitationFields } from './elicitation-fields';
import type { RunningCall } from './mcp-connection';
import type { SamplingOutcome, ServerSampling } from './server-sampling';

/** What the server's requests to Portcullis (elicitation, sampling) need of its connection. */
export interface AskingServer {
  readonly name: string;
  /** Whether it runs sandboxed now: the person is told, beside its question. */
  sandboxed(): boolean;
  /** Its calls in flight, as the runner registers them. */
  readonly running: ReadonlySet<RunningCall>;
  /** Its words as the person may see them (`cleanText`). */
  clean(text: string): string;
  redact(text: string): string;
}

/**
 * A question of the server's to the person. When exactly one call is in flight the question is about it, and is
 * withdrawn when that call ends; the server's words are cleaned like its other output.
 */
export function askPerson(server: AskingServer, asker: ElicitationAsker, params: ElicitRequest['params'], withdrawn: AbortSignal): Promise<ElicitResult> {
  if (params.mode === 'url') return Promise.resolve({ action: 'decline' }); // not offered (see `newClient`); the SDK refuses it first
  // A field named by a secret the server was given would show it (a field without a title shows its name) and be
  // answered under it: declined unasked, as a tool named by one is left out.
  if (!Object.keys(params.requestedSchema.properties).every((name) => keepsSecretsOut(name, (text) => server.redact(text)))) return Promise.resolve({ action: 'decline' });
  const fields = toElicitationFields(params.requestedSchema, (text) => server.redact(text));
  let action: ElicitResult['action'] = 'cancel';
  return whileServerWaits(
    server.running,
    withdrawn,
    async (about, signal) => {
      const answer = await asker.ask(
        {
          server: server.name,
          sandboxed: server.sandboxed(),
          message: server.clean(params.message).slice(0, 4_000),
          fields,
          ...(about?.about ? { call: about.about } : {}),
        },
        signal,
      );
      action = answer.action;
      return answer;
    },
    // Which fields were asked for and how it ended, never the values.
    (waitMs) => [
      'mcp.elicitation',
      { 'portcullis.elicitation.fields': fields.map((f) => f.name).join(', '), 'portcullis.elicitation.action': action, 'portcullis.elicitation.wait_ms': waitMs },
    ],
  );
}

/** The server asking for the model's words (MCP sampling): the person sees the request first, as a question. */
export function sample(server: AskingServer, sampling: ServerSampling, params: CreateMessageRequest['params'], withdrawn: AbortSignal): Promise<CreateMessageResult> {
  const outcome: SamplingOutcome = { action: 'cancel' };
  return whileServerWaits(
    server.running,
    withdrawn,
    (about, signal) =>
      sampling.sample(
        { server: server.name, sandboxed: server.sandboxed(), params, clean: (text) => server.clean(text), ...(about?.about ? { call: about.about } : {}) },
        signal,
        outcome,
      ),
    // How it ended and what it cost, never the words.
    (waitMs) => [
      'mcp.sampling',
      {
        'portcullis.sampling.action': outcome.action,
        'portcullis.sampling.wait_ms': waitMs,
        ...(outcome.outputTokens !== undefined ? { 'gen_ai.usage.output_tokens': outcome.outputTokens } : {}),
      },
    ],
  );
}

/**
 * Runs `work` while the server waits on Portcullis (for the person, or the model): its calls in flight do not
 * time out meanwhile, since the server is waiting, not stuck. When exactly one call is in flight, what the server
 * waits for is about that call: it is withdrawn when the call ends, and the trace event goes on its span.
 */
async function whileServerWaits<T>(
  running: ReadonlySet<RunningCall>,
  withdrawn: AbortSignal,
  work: (about: RunningCall | undefined, signal: AbortSignal) => Promise<T>,
  traced: (waitMs: number) => [name: string, attributes: Record<string, string | number>],
): Promise<T> {
  const calls = [...running];
  const about = calls.length === 1 ? calls[0]! : undefined;
  const releases = calls.map((call) => call.timers.hold());
  const startedAt = Date.now();
  try {
    return await work(about, about ? AbortSignal.any([withdrawn, (about.ended ??= new AbortController()).signal]) : withdrawn);
  } finally {
    for (const release of releases) release();
    about?.traceEvent?.(...traced(Date.now() - startedAt));
  }
}
