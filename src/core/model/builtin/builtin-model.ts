import type { IntentRouter, Route, RouteContext } from '../../router/intent-router';
import { defaultIntentRouter } from '../../router/default-router';
import type { ModelChunk, ModelMessage, ModelProvider, ModelRequest } from '../model-provider';
import { parseDirectCall } from '../../router/direct-call';
import { nearestToolName } from '../../tools/nearest-tool-name';
import { describeToolResult } from './result-description';
import { FORGET_INTENT, planForget } from './forget-plan';

export const BUILTIN_MODEL_HELP =
  "I'm Portcullis's built-in offline model: I can list, read, write, search and delete files in your workspace, " +
  'for example "list the files", "read notes.md", "write hello.txt with hi" or "search for invoice", remember ' +
  'things ("remember that …") and forget them ("forget that …"), and call any tool by its name with JSON ' +
  'arguments, such as an MCP server\'s: everything.echo {"message": "hi"}. For open-ended chat, connect a model ' +
  '(Ollama, llama.cpp, LM Studio or a hosted API) in Settings.';

type PlannedCall = { name: string; arguments: Record<string, unknown> };

const GREETING = 'Hello! Ask me to list, read, write or find files in your workspace, or to fetch a web page.';

/**
 * A model that needs no network and no weights: the intent router classifies the request, its slots fill the
 * intent's tool plan, and the result is described in plain words. Anything the router is not sure about gets
 * an honest "I can't" rather than a guess.
 */
export class BuiltinModel implements ModelProvider {
  readonly id = 'builtin';
  readonly description = 'Built-in offline model (intent router → one tool per request)';
  readonly writesFreeText = false;
  // The router reads the person's message; a result is only described (a forget's second step takes its ids).
  readonly plansFromMessageOnly = true;
  private callCounter = 0;

  constructor(private readonly router: IntentRouter = defaultIntentRouter()) {}

  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    const last = request.messages.at(-1);
    if (last?.role === 'tool') {
      const next = this.forgetFollowUp(request) ?? describeToolResults(request.messages);
      if (typeof next === 'string') yield* streamText(next);
      else yield* this.call(next);
      return;
    }
    if (last?.role !== 'user') {
      yield* streamText(BUILTIN_MODEL_HELP);
      return;
    }
    const names = request.tools.map((tool) => tool.name);
    const direct = parseDirectCall(last.content, (name) => names.includes(name), request.whyAbsent, (name) => nearestToolName(name, names));
    const reply = direct ? ('problem' in direct ? direct.problem : direct) : this.plan(this.router.route(last.content, workspaceContext(request)), request);
    if (typeof reply === 'string') {
      yield* streamText(reply);
      return;
    }
    yield* this.call(reply);
  }

  private *call(call: PlannedCall): Iterable<ModelChunk> {
    yield { type: 'tool-call', id: `builtin-${++this.callCounter}`, name: call.name, arguments: call.arguments };
    yield { type: 'finish', reason: 'tool-calls' };
  }

  /**
   * The second step of a forget request, derived from the messages alone: the person's last message routed to
   * forgetting, and the memory.search its first step made. Undefined for any other tool result (and after the
   * forget itself), which is described as it is.
   */
  private forgetFollowUp(request: ModelRequest): PlannedCall | string | undefined {
    const { messages } = request;
    const last = messages.at(-1);
    const userAt = messages.findLastIndex((message) => message.role === 'user');
    if (last?.role !== 'tool' || last.toolName !== 'memory.search' || userAt < 0) return undefined;
    if (messages.slice(userAt).some((message) => message.role === 'tool' && message.toolName === 'memory.forget')) return undefined;
    const route = this.router.route((messages[userAt] as { content: string }).content);
    const subject = route.slots.subject;
    if (route.intent !== FORGET_INTENT || !route.confident || !subject) return undefined;
    const step = planForget(subject, last);
    if (typeof step === 'object' && !request.tools.some((tool) => tool.name === step.name)) {
      return `I found the memory to forget, but ${step.name} is not available in this conversation.`;
    }
    return step;
  }

  /** The tool call the route asks for, or the sentence to say instead. */
  private plan(route: Route, request: ModelRequest): PlannedCall | string {
    if (route.intent === 'chat.greeting' && route.confident) return GREETING;
    const intent = this.router.intent(route.intent);
    if (!route.confident || !intent?.plan) return BUILTIN_MODEL_HELP;
    if (route.missingSlots.length > 0) {
      const wanted = route.missingSlots.map((name) => intent.slots[name]?.description || name).join(' and ');
      // "the file to read", but "what to look for" and "the page's address" as they are ("the what to look for").
      const named = /^(the|what|which|who|where|when|how)\b/i.test(wanted) ? wanted : `the ${wanted}`;
      return `I understood that you want to ${intent.description.charAt(0).toLowerCase()}${intent.description.slice(1, -1)}, but I could not tell ${named}. Could you say it again with that?`;
    }
    const name = intent.plan.tool;
    if (!request.tools.some((tool) => tool.name === name)) return `I would use ${name} for that, but it is not available in this conversation.`;
    const args = Object.fromEntries(
      Object.entries(intent.plan.arguments).map(([key, template]) => [key, template.replace(/\{(\w+)\}/g, (_, slot: string) => route.slots[slot] ?? '')]),
    );
    return { name, arguments: args };
  }
}

function workspaceContext(request: ModelRequest): RouteContext {
  return request.workspaceHas ? { workspaceHas: request.workspaceHas } : {};
}

/** Describes the tool results that follow the last assistant message. */
function describeToolResults(messages: readonly ModelMessage[]): string {
  const results: Extract<ModelMessage, { role: 'tool' }>[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]!.role === 'tool'; i--) {
    results.unshift(messages[i] as Extract<ModelMessage, { role: 'tool' }>);
  }
  return results.map(describeToolResult).join('\n\n');
}

async function* streamText(text: string): AsyncIterable<ModelChunk> {
  // Word by word, so the built-in model exercises the same streaming path as real models.
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) yield { type: 'text-delta', text: piece };
  yield { type: 'finish', reason: 'stop' };
}
