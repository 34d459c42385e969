import { ErrorCode, McpError, type CreateMessageRequest, type CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import type { SamplingAsk } from '../../shared/domain/elicitation';
import { base64Bytes, formatBytes } from '../../shared/mcp-content';
import type { ElicitationAsker, ElicitationQuestion } from '../approvals/elicitation-gate';
import type { ModelMessage, ModelProvider } from '../model/model-provider';

/** The most a server may have the model write at once, whatever it asks: a hosted model's tokens are the person's. */
export const MAX_SAMPLING_TOKENS = 4_096;
/** The most text a request may bring (its messages and system prompt): more could not be read in a dialog. */
export const MAX_SAMPLING_CHARS = 100_000;

/** MCP's answer to a refused sampling request (the specification's example uses -1 for "the user rejected it"). */
const REFUSED = -1;

type SamplingParams = CreateMessageRequest['params'];
type SamplingContent = SamplingParams['messages'][number]['content'];

/** What the question and the model's request are made of: who asks, cleaned words, and where the answer goes. */
export interface SamplingRequest {
  server: string;
  sandboxed: boolean;
  params: SamplingParams;
  /** The server's words cleaned as its other output is (control characters, secrets it was given). */
  clean(text: string): string;
  call?: ElicitationQuestion['call'];
}

/** How a sampling request ended, for the trace: never the words. */
export interface SamplingOutcome {
  action: 'accept' | 'decline' | 'cancel' | 'refused';
  outputTokens?: number;
}

/**
 * MCP sampling: a server asking the person's model to write something. Each request is shown to the person in
 * full first (the model, the server's system prompt and messages, the most it may write), and runs only once they
 * allow it; the model is offered no tools and sent nothing of any conversation (a request's `includeContext` is
 * not honoured), so all the server gets back is what the model wrote from the server's own words.
 */
export class ServerSampling {
  constructor(
    private readonly model: ModelProvider,
    private readonly asker: ElicitationAsker,
  ) {}

  async sample(request: SamplingRequest, signal: AbortSignal, outcome: SamplingOutcome): Promise<CreateMessageResult> {
    if (this.model.writesFreeText === false) {
      outcome.action = 'refused';
      throw new McpError(REFUSED, `${request.server} asked for the model's words, but no model that writes text is chosen: Portcullis' built-in model only routes requests to tools. Choose a model in Settings → Model.`);
    }
    const ask = samplingAsk(request.params, request.clean, this.model.description);
    const size = (ask.systemPrompt?.length ?? 0) + ask.messages.reduce((sum, m) => sum + m.text.length, 0);
    if (size > MAX_SAMPLING_CHARS) {
      outcome.action = 'refused';
      throw new McpError(ErrorCode.InvalidParams, `The sampling request is ${size.toLocaleString('en-US')} characters; at most ${MAX_SAMPLING_CHARS.toLocaleString('en-US')} can be shown to the person, so it was not asked.`);
    }
    const answer = await this.asker.ask(
      {
        server: request.server,
        sandboxed: request.sandboxed,
        message: `${request.server} asks your model to write a reply to the messages below.`,
        fields: [],
        sampling: ask,
        ...(request.call ? { call: request.call } : {}),
      },
      signal,
    );
    outcome.action = answer.action;
    if (answer.action !== 'accept') throw new McpError(REFUSED, answer.action === 'decline' ? 'The person declined the sampling request.' : 'The sampling request was not answered: the person put it off, it timed out or it was withdrawn.');
    return this.write(ask, signal, outcome);
  }

  /** The model's reply to what the person saw, as the server's words were cleaned for them. */
  private async write(ask: SamplingAsk, signal: AbortSignal, outcome: SamplingOutcome): Promise<CreateMessageResult> {
    const messages: ModelMessage[] = ask.messages.map((m) => ({ role: m.role, content: m.text }));
    let text = '';
    let stopReason: CreateMessageResult['stopReason'] = 'endTurn';
    for await (const chunk of this.model.stream({ messages, tools: [], system: ask.systemPrompt ?? '', maxOutputTokens: ask.maxTokens }, signal)) {
      if (chunk.type === 'text-delta') text += chunk.text;
      else if (chunk.type === 'reasoning-delta' && chunk.recalled) text = ''; // it was thinking, not the answer
      else if (chunk.type === 'finish') {
        if (chunk.reason === 'length') stopReason = 'maxTokens';
        if (chunk.usage) outcome.outputTokens = chunk.usage.outputTokens;
      }
    }
    return { role: 'assistant', content: { type: 'text', text }, model: this.model.name ?? this.model.id, stopReason };
  }
}

/** The request as the person is shown it, and as the model is then sent it. */
export function samplingAsk(params: SamplingParams, clean: (text: string) => string, model: string): SamplingAsk {
  return {
    model,
    ...(params.systemPrompt ? { systemPrompt: clean(params.systemPrompt) } : {}),
    messages: params.messages.map((m) => ({ role: m.role, text: contentText(m.content, clean) })),
    maxTokens: Math.max(1, Math.min(Math.floor(params.maxTokens), MAX_SAMPLING_TOKENS)),
  };
}

/** A message's text; a part of another kind (an image, audio, a tool's use or result) is named in a line, not sent. */
function contentText(content: SamplingContent, clean: (text: string) => string): string {
  const parts = Array.isArray(content) ? content : [content];
  return parts
    .map((part) => {
      if (part.type === 'text') return clean(part.text);
      if (part.type === 'image' || part.type === 'audio') return `[${part.type}: ${clean(part.mimeType)}, ${formatBytes(base64Bytes(part.data))}; not sent to the model]`;
      return `[${part.type}: not sent to the model]`;
    })
    .join('\n');
}
