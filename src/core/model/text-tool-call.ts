import { AppError } from '../../shared/errors';
import type { ModelToolSpec } from './model-provider';
import { answerOf, parsePromptedReply, type AnswerReading } from './prompted-tool-calls';

/**
 * A reply that is a tool call written out as text, where the model was offered tools natively: a local server
 * whose chat template has no tool calls for the model (llama.cpp without --jinja, a GGUF with a plain template)
 * hands the model's `<tool_call>` block or JSON object to Portcullis as its words. Shown as the answer, it read as
 * if the model had done something when nothing ran. Read as a call only when it is unmistakably one: a
 * `<tool_call>` block, or a reply that is nothing but a call, naming an offered tool (by its name or as the API was
 * sent it). Null for any other reply.
 */
export function toolCallWrittenAsText(text: string, tools: readonly ModelToolSpec[], reading: AnswerReading = {}): AppError | null {
  const trimmed = answerOf(text, reading).trim();
  if (!trimmed.includes('<tool_call>') && !/^(```(json)?\s*)?[[{][\s\S]*[\]}](\s*```)?$/.test(trimmed)) return null;
  let calls: { name: string; arguments: unknown }[];
  try {
    const reply = parsePromptedReply(trimmed, reading);
    if (!('tool_calls' in reply)) return null;
    calls = reply.tool_calls;
  } catch {
    return null;
  }
  const offered = (name: string) => tools.find((tool) => tool.name === name || tool.name.replace(/[^a-zA-Z0-9_-]/g, '__') === name);
  const call = calls.find((c) => offered(c.name));
  if (!call) return null;
  const name = offered(call.name)!.name;
  const written = `${name} ${JSON.stringify(call.arguments)}`;
  return new AppError(
    'MODEL_OUTPUT_INVALID',
    `The model wrote its call of ${name} as text (${written.length > 120 ? `${written.slice(0, 119)}…` : written}) instead of calling the tool, so nothing ran. ` +
      'Its server did not pass the call on as one: its chat template may not support tool calls (llama.cpp needs --jinja). ' +
      'Press Test in Settings → Model: a model that calls tools only in text is then given prompted tool calls, which Portcullis reads.',
    { data: { output: text.slice(0, 500) } },
  );
}
