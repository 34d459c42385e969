import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { ModelToolSpec } from './model-provider';
import { quotesCall, repeatsShownCall } from './quoted-call';
import { splitThinking } from './think-block';

/**
 * For models that cannot call tools natively: the tools are described in the system prompt and the model
 * answers with one JSON object, validated here. Output that cannot be repaired into that shape is rejected
 * with a clear error; it is never executed.
 */
export const PromptedReplySchema = z.union([
  z.object({ reply: z.string() }).strict(),
  z
    .object({
      tool_calls: z.array(z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) })).min(1),
    })
    .strict(),
]);
export type PromptedReply = z.infer<typeof PromptedReplySchema>;

export function promptedToolInstructions(tools: readonly ModelToolSpec[]): string {
  const list = tools.map((t) => `- ${t.name}: ${t.description}\n  arguments (JSON Schema): ${JSON.stringify(t.inputSchema)}`).join('\n');
  return [
    'You can use these tools:',
    list,
    'Answer with exactly one JSON object and nothing else. Either {"reply": "<your answer to the person>"}',
    'or {"tool_calls": [{"name": "<tool name>", "arguments": {...}}]} to call tools. Arguments must follow the schema.',
  ].join('\n');
}

/**
 * Repairs the usual damage (code fences, prose around the object, trailing commas, smart quotes, line breaks
 * and tabs written raw inside strings) and parses.
 */
export function repairJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  let candidate = (fenced ? fenced[1]! : text).trim();
  const start = candidate.indexOf('{');
  if (start < 0) throw new SyntaxError('no JSON object in the output');
  candidate = balancedObject(candidate.slice(start));
  const cleaned = candidate.replace(/[“”]/g, '"').replace(/,\s*([}\]])/g, '$1');
  return JSON.parse(escapeRawControls(cleaned));
}

const RAW_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes control characters written raw inside strings (a multi-line reply from a model without JSON mode). */
function escapeRawControls(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString && c === '\\') {
      out += c + (json[++i] ?? '');
      continue;
    }
    if (c === '"') inString = !inString;
    const code = c.charCodeAt(0);
    out += inString && code < 0x20 ? (RAW_ESCAPES[c] ?? `\\u${code.toString(16).padStart(4, '0')}`) : c;
  }
  return out;
}

/** The first balanced {...} (string-aware), so trailing prose is dropped. */
function balancedObject(text: string): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(0, i + 1);
  }
  return text;
}

/**
 * Reads a prompted answer. Besides the asked shape, the shapes small models are trained on and write anyway are
 * taken as the tool calls they are: `<tool_call>{"name": …, "arguments": …}</tool_call>` blocks (Hermes, Qwen),
 * and a bare `{"name": …, "arguments"|"parameters": …}` object or a list of them (Llama 3). A name no tool has is
 * left to the gateway, which refuses it as a tool error naming the tool it likely meant, as for a native call, so
 * the model can correct it. Output that is no attempt at a tool call (prose, code with braces in it, JSON the
 * person asked for) is the reply; an attempt that cannot be read is rejected whole, and nothing runs. A call is
 * taken from a `<tool_call>` block wherever it is, else only from output that opens with it or ends with it in a
 * fenced block after a word or two: one the model quotes is not run, and the whole output is its reply (quoted-call.ts).
 */
export function parsePromptedReply(output: string, reading: AnswerReading = {}): PromptedReply {
  const text = answerOf(output, reading);
  // The asked shape, whole, is read as it is: a `<tool_call>` in one of its strings (a page's, which the model reports
  // or writes to a file) is words, where read as a block it broke the answer or named the call.
  const exact = exactReply(text);
  if (exact) return exact;
  if (repeatsShownCall(text, reading.shown)) return quotedReply(text);
  const tagged = taggedCalls(text);
  if (!tagged && quotesCall(text)) return quotedReply(text);
  let value: unknown;
  try {
    value = tagged ?? listedCalls(text) ?? successiveCalls(text) ?? repairJson(text);
  } catch (error) {
    if (!looksLikeToolCall(text)) return { reply: text.trim() };
    throw invalid(`its output is not JSON (${(error as Error).message})`, text);
  }
  const parsed = PromptedReplySchema.safeParse(asToolCalls(value));
  if (parsed.success) return parsed.data;
  if (!looksLikeToolCall(text)) return { reply: text.trim() };
  throw invalid(`its JSON does not match the reply format (${parsed.error.issues[0]!.message} at ${parsed.error.issues[0]!.path.join('.') || 'the top'})`, text);
}

/** A prompted answer as the turn takes it: its reply, or its calls, whose arguments may be text past reading. */
export type PromptedAnswer = { reply: string } | { tool_calls: { name: string; arguments: unknown }[] };

/**
 * `parsePromptedReply`, except that a call attempt past reading whose tool the output still names (a brace left
 * unclosed, a quote missing) becomes a call of it with the output as its arguments: the gateway refuses text for
 * arguments as a tool error with the shape the tool takes (nothing runs), which the model reads and can correct, as
 * for a native call, where the whole turn ended on one slip.
 */
export function readPromptedAnswer(output: string, reading: AnswerReading = {}): PromptedAnswer {
  try {
    return parsePromptedReply(output, reading);
  } catch (error) {
    const text = answerOf(output, reading).trim();
    const name = /"name"\s*:\s*"([^"\\]{1,200})"/.exec(text)?.[1];
    if (!name) throw error;
    return { tool_calls: [{ name, arguments: text }] };
  }
}

/**
 * The output after the `<think>…</think>` a reasoning model (Qwen3, DeepSeek-R1's distills) opens with when its
 * server does not set it apart: its reasoning is not its answer, and a brace or an "arguments" in it was read as a
 * broken call that ended the turn. Output whose reasoning never closed is left whole.
 */
function withoutReasoning(text: string, reading: AnswerReading): string {
  const split = splitThinking(text, reading);
  return split.unclosed ? text : split.answer;
}

/** How an output is read: `lateClose: false` takes a lone `</think>` as words, not as the end of thinking (think-block.ts). */
export interface AnswerReading {
  lateClose?: boolean;
  /** The text of the tools' results the model was shown: a call block it repeats from them among its words is quoted. */
  shown?: string;
}

/**
 * What a model's output answers with: past its opening reasoning, and past the marker its template sets before
 * calls (Mistral's `[TOOL_CALLS]`, Llama 3's `<|python_tag|>`), which a server without the model's tool parser
 * hands on as words.
 */
export function answerOf(output: string, reading: AnswerReading = {}): string {
  return withoutReasoning(output, reading).replace(/^\s*(?:\[TOOL_CALLS\]|<\|python_tag\|>)/, '');
}

/** Output that is exactly one JSON object of the asked shape (`{"reply": …}` or `{"tool_calls": […]}`), or null. */
function exactReply(text: string): PromptedReply | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const parsed = PromptedReplySchema.safeParse(asToolCalls(value));
  return parsed.success ? parsed.data : null;
}

/** Output that quotes a call: its `{"reply": …}` if it wrote one after its words (its reply), else its words whole. */
function quotedReply(text: string): PromptedReply {
  try {
    const parsed = PromptedReplySchema.safeParse(repairJson(text));
    if (parsed.success && 'reply' in parsed.data) return parsed.data;
  } catch {
    // No JSON in it: its words are the reply.
  }
  return { reply: text.trim() };
}

/** The calls of `<tool_call>…</tool_call>` blocks (an unclosed last one too, as a reply cut at its end leaves it), or null when there are none. */
function taggedCalls(text: string): unknown[] | null {
  const blocks = [...text.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((match) => match[1]!);
  return blocks.length > 0 ? blocks.map((block) => repairJson(block)) : null;
}

/** A list of calls written bare or in a fence (`[{"name": …}, {"name": …}]`), whole: `repairJson` reads only its first object. */
function listedCalls(text: string): unknown[] | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidate = (fenced ? fenced[1]! : text).trim();
  if (!candidate.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(candidate.replace(/,\s*([}\]])/g, '$1'));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The calls of output that writes several objects of calls one after another: bare calls (`{"name": …}\n{"name": …}`,
 * as Llama 3 may), or `{"tool_calls": […]}` objects (one per call, as a model may that was asked for one object), each
 * of which `repairJson` would have read alone, dropping the rest unsaid. Null when there are not several, or when any
 * is not calls.
 */
function successiveCalls(text: string): { tool_calls: unknown[] } | null {
  const calls: unknown[] = [];
  let objects = 0;
  for (let rest = text, start = rest.indexOf('{'); start >= 0; start = rest.indexOf('{')) {
    const object = balancedObject(rest.slice(start));
    let value: unknown;
    try {
      value = repairJson(object);
    } catch {
      return null;
    }
    const listed = callsListed(value);
    if (!listed) return null;
    calls.push(...listed);
    objects++;
    rest = rest.slice(start + object.length);
  }
  return objects > 1 ? { tool_calls: calls } : null;
}

/** An object's calls: a bare call is one, `{"tool_calls": […]}` lists them; null for anything else. */
function callsListed(value: unknown): unknown[] | null {
  if (isCall(value)) return [value];
  const listed = (value as { tool_calls?: unknown } | null)?.tool_calls;
  return Array.isArray(listed) && Object.keys(value as object).length === 1 ? listed : null;
}

/** Whether output reads as an attempt at a tool call, so that failing to read it is the model's error, not its prose. */
function looksLikeToolCall(text: string): boolean {
  return /<tool_call>|"tool_calls"|"arguments"\s*:|"parameters"\s*:/.test(text);
}

/** `{ tool_calls: [...] }` from a call written in another shape (see `parsePromptedReply`); anything else as it is. */
function asToolCalls(value: unknown): unknown {
  const calls = Array.isArray(value) ? value : isCall(value) ? [value] : null;
  if (calls?.every(isCall)) return { tool_calls: calls.map(asCall) };
  const listed = (value as { tool_calls?: unknown } | null)?.tool_calls;
  if (Array.isArray(listed)) return { ...(value as object), tool_calls: listed.map((call) => (isCall(call) ? asCall(call) : call)) };
  return value;
}

type WrittenCall = { name: string; arguments?: unknown; parameters?: unknown };

function isCall(value: unknown): value is WrittenCall {
  if (typeof value !== 'object' || value === null || typeof (value as WrittenCall).name !== 'string') return false;
  const keys = Object.keys(value);
  return keys.every((key) => key === 'name' || key === 'arguments' || key === 'parameters') && keys.length === 2;
}

/** `parameters` read as `arguments`, and arguments written as a JSON string read as the object it holds. */
function asCall(call: WrittenCall): { name: string; arguments: unknown } {
  const args = 'arguments' in call ? call.arguments : call.parameters;
  return { name: call.name, arguments: typeof args === 'string' ? parseToolArguments(args) : args };
}

function invalid(why: string, text: string): AppError {
  return new AppError('MODEL_OUTPUT_INVALID', `The model's answer was rejected and nothing was run: ${why}. Try again, or choose a model that supports tool calling in Settings.`, {
    data: { output: text.slice(0, 500) },
  });
}

/**
 * Parses a native tool call's JSON arguments, repairing them if needed. Arguments past repair stay the text the
 * model sent: the gateway refuses them as a tool error (nothing runs), which the model reads and can correct,
 * as it would a call that broke the tool's schema, rather than the whole turn ending on one bad call.
 */
export function parseToolArguments(input: string): unknown {
  if (input.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch {
    try {
      return repairJson(input);
    } catch {
      return input;
    }
  }
  return typeof value === 'string' ? (encodedObject(value) ?? value) : value;
}

/**
 * The object in arguments encoded twice over (`"{\"path\": \"a.md\"}"`), as some models and chat templates send
 * them: told "not a JSON object", such a model sends the same string again.
 */
function encodedObject(text: string): Record<string, unknown> | null {
  if (!text.trim().startsWith('{')) return null;
  try {
    const inner: unknown = JSON.parse(text);
    return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
