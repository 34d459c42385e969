import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CompleteRequest, GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import { MAX_PROMPT_TEXT, type McpPrompt } from '../../shared/domain/mcp-prompt';
import { partAsText, readMcpContent } from '../../shared/mcp-content';
import { readPages } from './endless-pages';

/** Why a part is not in the message a prompt or resource fills in: a chat message is text. */
export const LEFT_OUT = { media: 'left out of the message', other: 'left out of the message' };

/** Enough for any real server; a server that pages on and on is not listed further. */
const MAX_PROMPTS = 1_000;
export const MAX_DESCRIPTION = 2_000;

/** The server's words made safe to show: control characters stripped, secrets it was given hidden. */
export type Clean = (text: string) => string;

/** A server's prompts, every page of them, in the words it gave (cleaned); none when it offers no prompts. */
export async function listServerPrompts(client: Client, server: string, options: RequestOptions, clean: Clean): Promise<McpPrompt[]> {
  const capabilities = client.getServerCapabilities();
  if (!capabilities?.prompts) return [];
  const completes = capabilities.completions !== undefined;
  const keep = (prompt: Prompt): McpPrompt | null => {
    if (!keepsAsIs(clean, prompt.name, ...(prompt.arguments ?? []).map((a) => a.name))) return null;
    return {
      server,
      name: prompt.name,
      ...described('title', prompt.title, clean),
      ...described('description', prompt.description, clean),
      arguments: (prompt.arguments ?? []).map((argument) => ({
        name: argument.name,
        ...described('description', argument.description, clean),
        required: argument.required === true,
      })),
      completes,
    };
  };
  return readPages(
    async (cursor) => {
      const page = await client.listPrompts(cursor ? { cursor } : {}, options);
      return { entries: page.prompts, nextCursor: page.nextCursor };
    },
    keep,
    MAX_PROMPTS,
  );
}

/** A prompt filled in: the text the composer is given, and the URIs of the resources it embeds (cleaned as the text is). */
export interface FilledPrompt {
  text: string;
  /** Each resource whose content it holds (not a link), once, as the server named it: what a script's `prompts.get` judges. */
  embeddedUris: string[];
}

/**
 * A prompt's messages as the text the composer is given: each message's text, a resource it embeds as its URI and
 * text, anything else (an image, audio) as a line saying it was left out, since a chat message is text. A prompt of
 * both roles says whose each message is. Cut past `MAX_PROMPT_TEXT`, with a notice. The embedded resources' URIs
 * come with it, read from the parts themselves rather than back from the text (where a URI's end is not certain).
 */
export function promptText(result: GetPromptResult, clean: Clean): FilledPrompt {
  const labelled = new Set(result.messages.map((message) => message.role)).size > 1;
  const uris = new Set<string>();
  const messages = result.messages.map((message) => {
    const parts = readMcpContent({ content: [message.content] })?.parts ?? [];
    for (const part of parts) if (part.kind === 'resource') uris.add(clean(part.uri));
    const body = parts.map((part) => partAsText(part, LEFT_OUT)).join('\n');
    return labelled ? `${message.role === 'user' ? 'User' : 'Assistant'}: ${body}` : body;
  });
  return { text: composerText(clean(messages.join('\n\n')), 'prompt'), embeddedUris: [...uris] };
}

/** What a prompt or resource puts in the message box: at most `MAX_PROMPT_TEXT`, cut with a notice past it. */
export function composerText(text: string, what: 'prompt' | 'resource'): string {
  if (text.length <= MAX_PROMPT_TEXT) return text;
  return `${text.slice(0, MAX_PROMPT_TEXT)}\n[cut here: the ${what} is ${text.length.toLocaleString('en-US')} characters, and a message takes the first ${MAX_PROMPT_TEXT.toLocaleString('en-US')}]`;
}

/** Values a server suggests for one of a prompt's arguments, given what was typed so far: the first 100, cleaned. */
export function completePromptArgument(client: Client, request: PromptCompletion, options: RequestOptions, clean: Clean): Promise<string[]> {
  return completeArgument(client, { type: 'ref/prompt', name: request.prompt }, request, options, clean);
}

/** Values a server suggests for one of a resource template's variables, as for a prompt's argument. */
export function completeTemplateArgument(client: Client, request: TemplateCompletion, options: RequestOptions, clean: Clean): Promise<string[]> {
  return completeArgument(client, { type: 'ref/resource', uri: request.uriTemplate }, request, options, clean);
}

async function completeArgument(client: Client, ref: CompleteRequest['params']['ref'], request: ArgumentCompletion, options: RequestOptions, clean: Clean): Promise<string[]> {
  if (!client.getServerCapabilities()?.completions) return [];
  const { completion } = await client.complete({ ref, argument: { name: request.argument, value: request.value }, context: { arguments: request.context } }, options);
  return completion.values.slice(0, 100).map((value) => clean(value).slice(0, MAX_DESCRIPTION));
}

/** One argument being typed, and the others as filled in. */
interface ArgumentCompletion {
  argument: string;
  /** What the person typed in the argument so far. */
  value: string;
  /** The other arguments as filled in, which some servers narrow by. */
  context: Record<string, string>;
}

export interface PromptCompletion extends ArgumentCompletion {
  prompt: string;
}

export interface TemplateCompletion extends ArgumentCompletion {
  /** The resource template, as the server lists it (`demo://resource/{id}`). */
  uriTemplate: string;
}

/**
 * A name or URI is asked for again as given, so it cannot be cleaned: one that cleaning would change (a secret the
 * server was given, a control character) is left out with what it names.
 */
export function keepsAsIs(clean: Clean, ...names: string[]): boolean {
  return names.every((name) => clean(name) === name);
}

/** `{ [key]: text }` cleaned and cut, or nothing when the server gave no text there. */
export function described<K extends string>(key: K, text: string | undefined, clean: Clean): Partial<Record<K, string>> {
  const cleaned = text ? clean(text).trim().slice(0, MAX_DESCRIPTION) : '';
  return cleaned ? ({ [key]: cleaned } as Record<K, string>) : {};
}
