import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpResource } from '../../shared/domain/mcp-resource';
import { partAsText, readMcpContent } from '../../shared/mcp-content';
import { composerText, described, keepsAsIs, LEFT_OUT, MAX_DESCRIPTION, type Clean } from './server-prompts';

/** Enough for the `/` list; a server with more is listed this far (the model reaches the rest with list_resources). */
const MAX_RESOURCES = 500;

/** A server's resources, page after page up to `MAX_RESOURCES`, in the words it gave (cleaned); none when it has none. */
export async function listServerResources(client: Client, server: string, options: RequestOptions, clean: Clean): Promise<McpResource[]> {
  if (!client.getServerCapabilities()?.resources) return [];
  const resources: McpResource[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listResources(cursor ? { cursor } : {}, options);
    for (const { uri, name, title, description, mimeType } of page.resources) {
      if (!keepsAsIs(clean, uri)) continue;
      resources.push({
        server,
        uri,
        name: clean(name).slice(0, MAX_DESCRIPTION) || uri,
        ...described('title', title, clean),
        ...described('description', description, clean),
        ...described('mimeType', mimeType, clean),
      });
    }
    cursor = page.nextCursor;
  } while (cursor && resources.length < MAX_RESOURCES);
  return resources.slice(0, MAX_RESOURCES);
}

/** A URI template a server reads resources by (MCP's `resources/templates/list`), in its words cleaned. */
export type McpResourceTemplate = Omit<McpResource, 'uri'> & { uriTemplate: string };

/** A server's resource templates, as `listServerResources` lists its resources; none when it has none or says none. */
export async function listServerResourceTemplates(client: Client, server: string, options: RequestOptions, clean: Clean): Promise<McpResourceTemplate[]> {
  if (!client.getServerCapabilities()?.resources) return [];
  const templates: McpResourceTemplate[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listResourceTemplates(cursor ? { cursor } : {}, options);
    for (const { uriTemplate, name, title, description, mimeType } of page.resourceTemplates) {
      if (!keepsAsIs(clean, uriTemplate)) continue;
      templates.push({
        server,
        uriTemplate,
        name: clean(name).slice(0, MAX_DESCRIPTION) || uriTemplate,
        ...described('title', title, clean),
        ...described('description', description, clean),
        ...described('mimeType', mimeType, clean),
      });
    }
    cursor = page.nextCursor;
  } while (cursor && templates.length < MAX_RESOURCES);
  return templates.slice(0, MAX_RESOURCES);
}

/**
 * A resource's contents as the text of a message: each part under its URI, a binary one named and left out (a
 * message is text), cleaned and cut like a prompt's.
 */
export function resourceText(result: ReadResourceResult, clean: Clean): string {
  const parts = readMcpContent({ content: result.contents.map((resource) => ({ type: 'resource', resource })) })?.parts ?? [];
  return composerText(clean(parts.map((part) => partAsText(part, LEFT_OUT)).join('\n\n')), 'resource');
}
