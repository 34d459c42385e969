import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpPrompt } from '../../shared/domain/mcp-prompt';
import type { McpResource } from '../../shared/domain/mcp-resource';
import { ServerListCache } from './server-list-cache';
import { listServerResources, listServerResourceTemplates, resourceText, type McpResourceTemplate } from './server-resources';
import { completePromptArgument, completeTemplateArgument, listServerPrompts, promptText, type FilledPrompt, type PromptCompletion, type TemplateCompletion } from './server-prompts';

/** What a server's lists need of its connection: the connected client, waited for, and its words cleaned. */
export interface ListedServer {
  readonly name: string;
  /** Each request's limit: the server's call timeout. */
  readonly timeoutMs: number;
  ready(signal: AbortSignal): Promise<Client>;
  clean(text: string): string;
}

/**
 * One server's prompts, resources and resource templates, kept per running client (a restarted server is asked
 * afresh), with what it suggests for their arguments and what they hold.
 */
export class ServerLists {
  private lists: { client: Client; prompts: ServerListCache<McpPrompt>; resources: ServerListCache<McpResource>; templates: ServerListCache<McpResourceTemplate> } | null = null;
  /** How many times it said its prompts or its resources changed (MCP's list_changed), since it was made. */
  private changes = { prompts: 0, resources: 0 };

  constructor(private readonly server: ListedServer) {}

  async prompts(signal: AbortSignal): Promise<McpPrompt[]> {
    return (await this.listsOf(signal)).prompts.get(signal);
  }

  async resources(signal: AbortSignal): Promise<McpResource[]> {
    return (await this.listsOf(signal)).resources.get(signal);
  }

  async templates(signal: AbortSignal): Promise<McpResourceTemplate[]> {
    return (await this.listsOf(signal)).templates.get(signal);
  }

  /** Its list of `kind` as of connection `connectionNumber` and the changes it announced since it was made. */
  version(kind: 'prompts' | 'resources', connectionNumber: number): string {
    return `${connectionNumber}.${this.changes[kind]}`;
  }

  /** When its list of `kind` was asked for, if that request is still unanswered (epoch ms). */
  askedAt(kind: 'prompts' | 'resources' | 'templates'): number | null {
    return this.lists?.[kind].askedAt ?? null;
  }

  /** `client` said its prompts changed. */
  promptsChanged(client: Client): void {
    this.changes.prompts++;
    if (this.lists?.client === client) this.lists.prompts.changed();
  }

  /** `client` said its resources changed, which says its templates changed too: MCP has no notification of their own. */
  resourcesChanged(client: Client): void {
    this.changes.resources++;
    if (this.lists?.client === client) {
      this.lists.resources.changed();
      this.lists.templates.changed();
    }
  }

  async readResource(uri: string, signal: AbortSignal): Promise<string> {
    const client = await this.server.ready(signal);
    return resourceText(await client.readResource({ uri }, { signal, timeout: this.server.timeoutMs }), (text) => this.server.clean(text));
  }

  async getPrompt(name: string, args: Record<string, string>, signal: AbortSignal): Promise<FilledPrompt> {
    const client = await this.server.ready(signal);
    const result = await client.getPrompt({ name, arguments: args }, { signal, timeout: this.server.timeoutMs });
    return promptText(result, (text) => this.server.clean(text));
  }

  async completePrompt(request: PromptCompletion, signal: AbortSignal): Promise<string[]> {
    const client = await this.server.ready(signal);
    return completePromptArgument(client, request, { signal, timeout: this.server.timeoutMs }, (text) => this.server.clean(text));
  }

  async completeTemplate(request: TemplateCompletion, signal: AbortSignal): Promise<string[]> {
    const client = await this.server.ready(signal);
    return completeTemplateArgument(client, request, { signal, timeout: this.server.timeoutMs }, (text) => this.server.clean(text));
  }

  private async listsOf(signal: AbortSignal): Promise<NonNullable<ServerLists['lists']>> {
    const client = await this.server.ready(signal);
    if (this.lists?.client !== client) {
      const { name } = this.server;
      const options = { timeout: this.server.timeoutMs };
      const clean = (text: string) => this.server.clean(text);
      const capabilities = client.getServerCapabilities();
      this.lists = {
        client,
        prompts: new ServerListCache(() => listServerPrompts(client, name, options, clean), capabilities?.prompts?.listChanged === true),
        resources: new ServerListCache(() => listServerResources(client, name, options, clean), capabilities?.resources?.listChanged === true),
        templates: new ServerListCache(() => listServerResourceTemplates(client, name, options, clean), capabilities?.resources?.listChanged === true),
      };
    }
    return this.lists;
  }
}
