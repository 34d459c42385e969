import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpResource } from '../../shared/domain/mcp-resource';
import { partAsText, readMcpContent } from '../../shared/mcp-content';
import { readPages, type ListPage } from './endless-pages';
import { composerText, described, keepsAsIs, LEFT_OUT, MAX_DESCRIPTION, type Clean } from './server-prompts';

/** Enough for the `/` list; a server with more is listed this far (the model reaches the rest with list_resources). */
const MAX_RESOURCES = 500;

/** A server's resources, page after page up to `MAX_RESOURCES`, in the words it gave (cleaned); none when it has none. */
export function listServerResources(client: Client, server: string, options: RequestOptions, clean: Clean): Promise<McpResource[]> {
  return listPaged(
    client,
    async (cursor) => {
      const page = await client.listResources(cursor ? { cursor } : {}, options);
      return { entries: page.resources, nextCursor: page.nextCursor };
    },
    (resource) => (keepsAsIs(clean, resource.uri) ? { server, uri: resource.uri, ...inItsWords(resource, resource.uri, clean) } : null),
  );
}

/** A URI template a server reads resources by (MCP's `resources/templates/list`), in its words cleaned. */
export type McpResourceTemplate = Omit<McpResource, 'uri'> & { uriTemplate: string };

/** A server's resource templates, as `listServerResources` lists its resources; none when it has none or says none. */
export function listServerResourceTemplates(client: Client, server: string, options: RequestOptions, clean: Clean): Promise<McpResourceTemplate[]> {
  return listPaged(
    client,
    async (cursor) => {
      const page = await client.listResourceTemplates(cursor ? { cursor } : {}, options);
      return { entries: page.resourceTemplates, nextCursor: page.nextCursor };
    },
    (template) => (keepsAsIs(clean, template.uriTemplate) ? { server, uriTemplate: template.uriTemplate, ...inItsWords(template, template.uriTemplate, clean) } : null),
  );
}

/** What a server says of a resource or template, cleaned and cut; its address stands in for a name it leaves empty. */
function inItsWords(entry: { name: string; title?: string; description?: string; mimeType?: string }, address: string, clean: Clean) {
  return {
    name: clean(entry.name).slice(0, MAX_DESCRIPTION) || address,
    ...described('title', entry.title, clean),
    ...described('description', entry.description, clean),
    ...described('mimeType', entry.mimeType, clean),
  };
}

/** Every page of one of a server's resource lists, up to `MAX_RESOURCES` entries `keep` keeps (null: left out). */
async function listPaged<Entry, Kept>(client: Client, page: (cursor: string | undefined) => Promise<ListPage<Entry>>, keep: (entry: Entry) => Kept | null): Promise<Kept[]> {
  if (!client.getServerCapabilities()?.resources) return [];
  return readPages(page, keep, MAX_RESOURCES);
}

/**
 * A resource's contents as the text of a message: each part under its URI, a binary one named and left out (a
 * message is text), cleaned and cut like a prompt's.
 */
export function resourceText(result: ReadResourceResult, clean: Clean): string {
  const parts = readMcpContent({ content: result.contents.map((resource) => ({ type: 'resource', resource })) })?.parts ?? [];
  return composerText(clean(parts.map((part) => partAsText(part, LEFT_OUT)).join('\n\n')), 'resource');
}
