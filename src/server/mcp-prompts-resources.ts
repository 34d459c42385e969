import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
  type ProgressToken,
  type ReadResourceResult,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { TemplateCompletion } from '../core/mcp/server-prompts';
import type { McpResourceTemplate } from '../core/mcp/server-resources';
import type { InvokeResult } from '../shared/api/wire';
import { AppError } from '../shared/errors';
import type { DirectCallOutcome } from '../shared/domain/direct-call';
import type { McpPromptList } from '../shared/domain/mcp-prompt';
import type { McpResourceList } from '../shared/domain/mcp-resource';
import { mcpToolNames } from './mcp-tool-names';
import { resultMeta, UNTRUSTED_META_KEY, toMcpToolResult } from './mcp-tool-result';

/** What the SDK gives a request's handler: its id, its signal, and a way to send the client notifications. */
export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The local API channels /mcp's prompts/ and resources/ requests and its completions are served by. */
export type PromptsAndResourcesChannel = 'prompts.list' | 'prompts.get' | 'prompts.complete' | 'resources.list';

export interface PromptsAndResourcesDeps {
  /** A local API channel run as the session's credential: its scopes, and what the policy lets a key read. */
  api(channel: PromptsAndResourcesChannel, input: unknown): Promise<InvokeResult>;
  /** Every server's resource templates, whoever asks: the session is given those of the servers it has a reader of. */
  resourceTemplates(): Promise<McpResourceTemplate[]>;
  /** Values a server suggests for a variable of one of its resource templates. */
  completeTemplate(server: string, request: TemplateCompletion): Promise<string[]>;
  /** The name of the tool that reads a server's resources (`everything.read_resource`), while it is offered. */
  resourceReader(server: string): string | undefined;
  /**
   * Records a refusal when the session's key was not listed a resource because it may not read it (its server's
   * `read_resource` is outside the key's tools); nothing when that is not why (no server lists it, the URL did not
   * pick it). The client is told only what it would be told of a URI no server lists.
   */
  recordRefusedRead(uri: string): Promise<void>;
  /**
   * Records a refusal when the session's key was not given a resource template because it may not read it (its
   * server's `read_resource` is outside the key's tools); nothing when that is not why (no server offers it, the URL
   * did not pick it). The client is told only what it would be told of a template no server offers.
   */
  recordRefusedTemplate(uriTemplate: string): Promise<void>;
  /**
   * Records a refusal when the session's key was not given a prompt, by the name the client asked for, because it
   * reaches no tool of its server; nothing when that is not why (no server offers it). The client is told only what
   * it would be told of a prompt no server offers.
   */
  recordRefusedPrompt(name: string): Promise<void>;
  /** Its client is listing `kind`: what it is given is what it knows (for prompts/ and resources/list_changed). */
  listed(kind: 'prompts' | 'resources'): void;
  /** A request is being answered: the changes its client may not have heard of go on its answer stream. */
  answering(extra: HandlerExtra): void;
  /** One call through the governed path, as tools/call makes it, recorded in the client's conversation of the day. */
  call(name: string, args: Record<string, unknown>, extra: HandlerExtra, progressToken: ProgressToken | undefined): Promise<DirectCallOutcome>;
}

/**
 * The prompts and resources of the servers behind Portcullis, passed on to an MCP client as Docker's MCP Gateway
 * does (Claude Code and VS Code offer prompts as slash commands and resources as attachments). A prompt is named
 * `server_prompt`, as tools are, and filled in as the local API's `prompts.get` fills it for the same key (each
 * resource it embeds decided by the policy); a resource is read through its server's `read_resource` tool, so the
 * read is governed, recorded in the client's conversation of the day and counts as untrusted content there, as the
 * call would be, and so is a URI of one of its resource templates. A prompt's argument, or a template's variable, is
 * completed (`completion/complete`, Claude Code's slash-command arguments) by the server that owns it: a prompt as
 * `prompts.complete` asks it for the same key, a template of a server whose `read_resource` the session has.
 * One a key limited to certain servers may not reach is answered as one that does not exist (its refusal recorded):
 * "forbidden" would tell the key what the servers it is kept from offer.
 */
export function servePromptsAndResources(server: Server, deps: PromptsAndResourcesDeps): void {
  const prompts = async () => {
    const list = output<McpPromptList>(await deps.api('prompts.list', {}));
    const names = mcpToolNames(list.prompts.map((prompt) => `${prompt.server}.${prompt.name}`));
    return list.prompts.map((prompt) => ({ ...prompt, clientName: names.toClient.get(`${prompt.server}.${prompt.name}`) ?? prompt.name }));
  };

  server.setRequestHandler(ListPromptsRequestSchema, async () => {
    deps.listed('prompts');
    return {
      prompts: (await prompts()).map((prompt) => ({
        name: prompt.clientName,
        title: `${prompt.title ?? prompt.name} (${prompt.server})`,
        ...(prompt.description ? { description: prompt.description } : {}),
        arguments: prompt.arguments,
      })),
    };
  });

  /** The prompt the client names, among those its key is given; one it is not given is not found (its refusal recorded). */
  const promptNamed = async (name: string) => {
    const prompt = (await prompts()).find((p) => p.clientName === name);
    if (prompt) return prompt;
    await deps.recordRefusedPrompt(name);
    throw rpcError(ErrorCode.InvalidParams, `No server offers a prompt named "${name}" now; prompts/list says which there are.`);
  };

  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    deps.answering(extra);
    const prompt = await promptNamed(request.params.name);
    const filled = output<{ text: string }>(await deps.api('prompts.get', { server: prompt.server, name: prompt.name, arguments: request.params.arguments ?? {} }));
    return {
      ...(prompt.description ? { description: prompt.description } : {}),
      messages: [{ role: 'user' as const, content: { type: 'text' as const, text: filled.text } }],
      // The server's words: the client's model should not take orders from them.
      _meta: { [UNTRUSTED_META_KEY]: true },
    };
  });

  server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const { ref, argument, context } = request.params;
    if (ref.type === 'ref/resource') {
      const template = (await templates()).find((t) => t.uriTemplate === ref.uri);
      if (!template) {
        await deps.recordRefusedTemplate(ref.uri);
        throw rpcError(ErrorCode.InvalidParams, `No server behind Portcullis offers the resource template ${ref.uri} now; resources/templates/list says which there are.`);
      }
      const asked = { uriTemplate: template.uriTemplate, argument: argument.name, value: argument.value, context: context?.arguments ?? {} };
      const values = await deps.completeTemplate(template.server, asked).catch((error: unknown) => {
        throw error instanceof AppError ? rpcError(ErrorCode.InternalError, `${error.code}: ${error.message}`) : error;
      });
      return { completion: { values, hasMore: false } };
    }
    const prompt = await promptNamed(ref.name);
    const { values } = output<{ values: string[] }>(
      await deps.api('prompts.complete', { server: prompt.server, name: prompt.name, argument: argument.name, value: argument.value, arguments: context?.arguments ?? {} }),
    );
    return { completion: { values, hasMore: false } };
  });

  const resources = async () => output<McpResourceList>(await deps.api('resources.list', {})).resources;
  // Those of the servers whose reader the session has (its key's tools, its URL's pick): it could read no other.
  const templates = async () => (await deps.resourceTemplates()).filter((template) => deps.resourceReader(template.server) !== undefined);

  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    deps.listed('resources');
    const seen = new Set<string>();
    // A URI two servers list is read from the first, as resources/read finds it; one whose server's reader is not
    // offered (turned off, or not picked by the session's URL) is not listed, since it could not be read.
    const listed = (await resources()).filter((resource) => deps.resourceReader(resource.server) !== undefined && !seen.has(resource.uri) && seen.add(resource.uri));
    return {
      resources: listed.map(({ uri, ...said }) => ({ uri, ...asListed(said) })),
    };
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => {
    const seen = new Set<string>();
    // A template two servers give is read and completed by the first, as resources/read finds it.
    const listed = (await templates()).filter((template) => !seen.has(template.uriTemplate) && seen.add(template.uriTemplate));
    return {
      resourceTemplates: listed.map(({ uriTemplate, ...said }) => ({ uriTemplate, ...asListed(said) })),
    };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra): Promise<ReadResourceResult> => {
    deps.answering(extra);
    const { uri } = request.params;
    // A listed resource, else one of a template's URIs (`demo://resource/dynamic/text/{id}`), from its server.
    const listed = (await resources()).find((resource) => resource.uri === uri) ?? (await templates()).find((template) => new UriTemplate(template.uriTemplate).match(uri) !== null);
    const reader = listed ? deps.resourceReader(listed.server) : undefined;
    if (!listed || !reader) {
      await deps.recordRefusedRead(uri);
      throw rpcError(-32002, `No server behind Portcullis lists the resource ${uri} now; resources/list says which there are (a server's read_resource tool takes a URI of its templates).`);
    }
    const outcome = await deps.call(reader, { uri }, extra, request.params._meta?.progressToken);
    const result = toMcpToolResult(outcome);
    if (result.isError) throw rpcError(ErrorCode.InvalidRequest, result.content.map((c) => (c.type === 'text' ? c.text : '')).join(' '));
    const contents = result.content.flatMap((c) => (c.type === 'resource' ? [c.resource] : c.type === 'text' ? [{ uri, text: c.text }] : []));
    return { contents, _meta: resultMeta(outcome) };
  });
}

/** A local API answer's output, or its error as the client's: a prompt filled in or a list refused says why. */
function output<T>(result: InvokeResult): T {
  if (result.ok) return result.output as T;
  throw rpcError(result.error.code === 'FORBIDDEN' || result.error.code === 'POLICY_DENIED' ? ErrorCode.InvalidRequest : ErrorCode.InternalError, `${result.error.code}: ${result.error.message}`);
}

/**
 * A JSON-RPC error whose message is sent as written: the SDK's McpError puts "MCP error -32600:" before it, which
 * the client's SDK then puts before it again.
 */
function rpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** A resource's or template's words as MCP lists them: its name, and only the optional fields the server gave. */
function asListed({ name, title, description, mimeType }: { name: string; title?: string; description?: string; mimeType?: string }) {
  return { name, ...(title ? { title } : {}), ...(description ? { description } : {}), ...(mimeType ? { mimeType } : {}) };
}
