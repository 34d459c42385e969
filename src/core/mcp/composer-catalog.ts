import type { McpPrompt, McpPromptList } from '../../shared/domain/mcp-prompt';
import type { McpResource, McpResourceList } from '../../shared/domain/mcp-resource';
import { AppError, messageOf } from '../../shared/errors';
import type { McpConnection } from './mcp-connection';
import { mcpErrorWords } from './mcp-error-words';
import type { FilledPrompt, PromptCompletion, TemplateCompletion } from './server-prompts';
import type { McpResourceTemplate } from './server-resources';

/** How long the composer's `/` list waits for a server to say its prompts or resources. */
const LIST_TIMEOUT_MS = 5_000;

/** Each list a server is asked for, in the words of a problem with it. */
const LIST_WORDS = { prompts: 'prompts', resources: 'resources', templates: 'resource templates' } as const;

/**
 * What the connected MCP servers offer the composer: their prompts and resources, listed when the person asks
 * (each server's lists kept as `ServerListCache` says), and one filled in or read as the text of a message the
 * person reads before sending. A server that cannot answer is named, never holds up the others.
 */
export class ComposerCatalog {
  constructor(private readonly mcp: { connections(): readonly McpConnection[] }) {}

  /** `servers`: which servers to ask (a key limited to certain tools is given only some); absent: every one. */
  async prompts(servers?: (server: string) => boolean): Promise<McpPromptList> {
    const { items: prompts, problems } = await this.gather('prompts', (connection, signal) => connection.listPrompts(signal), servers);
    return { prompts, problems };
  }

  async resources(servers?: (server: string) => boolean): Promise<McpResourceList> {
    const { items: resources, problems } = await this.gather('resources', (connection, signal) => connection.listResources(signal), servers);
    return { resources, problems };
  }

  /** Every server's resource templates (for /mcp's resources/templates/list), gathered as its resources are. */
  async resourceTemplates(servers?: (server: string) => boolean): Promise<{ templates: McpResourceTemplate[]; problems: string[] }> {
    const { items: templates, problems } = await this.gather('templates', (connection, signal) => connection.listResourceTemplates(signal), servers);
    return { templates, problems };
  }

  /** A prompt filled in: its text, and the URIs of the resources it embeds. */
  get(server: string, name: string, args: Record<string, string>): Promise<FilledPrompt> {
    return this.ask(server, `give its prompt ${name}`, (connection, signal) => connection.getPrompt(name, args, signal));
  }

  /** Suggestions for one argument of a prompt as the person types it; none when the server gives none. */
  complete(server: string, request: PromptCompletion): Promise<string[]> {
    return this.ask(server, `suggest values for ${request.argument}`, (connection, signal) => connection.completePrompt(request, signal));
  }

  /** Suggestions for one variable of a server's resource template; none when the server gives none. */
  completeTemplate(server: string, request: TemplateCompletion): Promise<string[]> {
    return this.ask(server, `suggest values for ${request.argument}`, (connection, signal) => connection.completeTemplate(request, signal));
  }

  read(server: string, uri: string): Promise<string> {
    return this.ask(server, `give its resource ${uri}`, (connection, signal) => connection.readResource(uri, signal));
  }

  /** Every server's list of `kind`, each within 5 s of when it was asked; one still starting is waited for too. */
  private async gather<T extends McpPrompt | McpResource | McpResourceTemplate>(kind: keyof typeof LIST_WORDS, list: (connection: McpConnection, signal: AbortSignal) => Promise<T[]>, servers = (_server: string) => true) {
    const asked = this.mcp.connections().filter((connection) => (connection.state === 'connected' || connection.state === 'starting') && servers(connection.name));
    const now = Date.now();
    const listed = await Promise.all(
      asked.map((connection) => {
        // A request already out counts from when it was sent: a server that does not answer costs 5 s once.
        const waited = now - (connection.askedAt(kind) ?? now);
        const deadline = AbortSignal.timeout(Math.max(0, LIST_TIMEOUT_MS - waited));
        return list(connection, deadline).then(
          (items) => ({ items, problem: null }),
          (error: unknown) => {
            const why = deadline.aborted ? `no answer in ${Math.round((Date.now() - now + waited) / 1000)} s` : connection.redact(messageOf(error));
            return { items: [], problem: `The ${connection.name} server did not list its ${LIST_WORDS[kind]}: ${why}.` };
          },
        );
      }),
    );
    return { items: listed.flatMap((outcome) => outcome.items), problems: listed.flatMap((outcome) => (outcome.problem ? [outcome.problem] : [])) };
  }

  /** One request to a server, within its call timeout; its failure told in its words (its secrets hidden). */
  private async ask<T>(server: string, what: string, request: (connection: McpConnection, signal: AbortSignal) => Promise<T>): Promise<T> {
    const connection = this.mcp.connections().find((c) => c.name === server);
    if (!connection) throw new AppError('NOT_FOUND', `No MCP server named ${server} is configured.`);
    try {
      return await request(connection, AbortSignal.timeout(connection.config.timeoutMs));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('TOOL_FAILED', `The ${server} server could not ${what}: ${connection.redact(mcpErrorWords(error))}`);
    }
  }
}
