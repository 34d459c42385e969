import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { counted } from '../../shared/counted';

/**
 * A server's resources, offered to the model as two tools of that server: without them a resource link in a
 * result, or a server that keeps its data as resources, is a pointer nothing can follow. Each is the MCP method
 * it runs (its name on the server is the method, which no tool of the server can be named: tool names have no
 * `/`), so its calls pass the gateway, the policy and the server's sandbox, timeouts and breaker like any other.
 */
const METHODS = {
  'resources/read': 'read_resource',
  'resources/list': 'list_resources',
} as const;
type ResourceMethod = keyof typeof METHODS;

/** How many resources one `list_resources` call returns at most; the rest are a cursor away. */
const MAX_LISTED = 100;

export function isResourceMethod(remoteName: string): remoteName is ResourceMethod {
  return Object.hasOwn(METHODS, remoteName);
}

/** The name the model and the policy see for a tool of the server: a resource method's own, or the tool's. */
export function exposedToolName(remoteName: string): string {
  return isResourceMethod(remoteName) ? METHODS[remoteName] : remoteName;
}

/** The resource tools of a server that has resources (its `resources` capability). */
export function resourceTools(server: string): Tool[] {
  const annotations = { readOnlyHint: true, idempotentHint: true };
  return [
    {
      name: 'resources/read',
      description: `Reads one resource of the ${server} server by its URI, as a resource link in a result or list_resources gives it.`,
      inputSchema: { type: 'object', properties: { uri: { type: 'string', description: 'The resource’s URI.' } }, required: ['uri'], additionalProperties: false },
      annotations: { title: 'Read a resource', ...annotations },
    },
    {
      name: 'resources/list',
      description: `Lists the resources the ${server} server offers (at most ${MAX_LISTED} at a time), with the URI templates it accepts. Read one with read_resource.`,
      inputSchema: { type: 'object', properties: { cursor: { type: 'string', description: 'Where the previous list stopped, to list the next ones.' } }, additionalProperties: false },
      annotations: { title: 'List resources', ...annotations },
    },
  ];
}

/** Runs a resource method on the server, its answer shaped as a tool result (embedded resources, resource links). */
export async function callResourceMethod(client: Client, method: ResourceMethod, args: Record<string, unknown>, options: RequestOptions, meta: Record<string, unknown>): Promise<CallToolResult> {
  if (method === 'resources/read') {
    const { contents } = await client.readResource({ uri: String(args.uri), _meta: meta }, options);
    return { content: contents.map((resource) => ({ type: 'resource' as const, resource })) };
  }
  const cursor = typeof args.cursor === 'string' ? args.cursor : undefined;
  const page = await client.listResources({ ...(cursor ? { cursor } : {}), _meta: meta }, options);
  const resources = page.resources.slice(0, MAX_LISTED);
  // Templates (URIs with parameters the model fills in) come with the first page only.
  const templates = cursor ? [] : await client.listResourceTemplates({ _meta: meta }, options).then((t) => t.resourceTemplates, () => []);
  const more = page.nextCursor ? ` More with cursor "${page.nextCursor}".` : resources.length < page.resources.length ? ' The server listed more than fit.' : '';
  return {
    content: [
      { type: 'text', text: `${counted(resources.length, 'resource')} of the server.${more}` },
      ...resources.map(({ uri, name, title, description, mimeType }) => ({
        type: 'resource_link' as const,
        uri,
        name,
        ...(title ? { title } : {}),
        ...(description ? { description } : {}),
        ...(mimeType ? { mimeType } : {}),
      })),
      ...templates.map((t) => ({ type: 'text' as const, text: `[resource template: ${t.uriTemplate} (${t.title ?? t.name})${t.description ? `: ${t.description}` : ''}]` })),
    ],
  };
}
