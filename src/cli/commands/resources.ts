import type { RequestOutput } from '../../shared/api/contract';
import { CliUsageError, type CommandContext } from '../command';
import { besideRunningPortcullis } from '../running-portcullis';
import { printServerText } from './prompts';
import { noteThrough, withRuntime } from './tools';

export const resourcesHelp = `portcullis resources list [--json] [--data-dir D]
  Lists the resources the MCP servers in <data-dir>/mcp.json offer: server, URI, name.
portcullis resources read SERVER URI [--json] [--data-dir D]
  Prints one resource as the text it would put in the message box.
  Beside a running Portcullis (serve, or the desktop app) both ask that one: its servers, no second copy; the read
  is yours, as alone (not a script's, which its policy decides).`;

export async function resourcesCommand(context: CommandContext): Promise<number> {
  const [sub, ...rest] = context.positionals;
  if (sub === 'list' && rest.length === 0) return list(context);
  if (sub === 'read' && rest.length === 2) return read(context, rest[0]!, rest[1]!);
  throw new CliUsageError('Say "resources list" or "resources read SERVER URI".');
}

async function list(context: CommandContext): Promise<number> {
  const beside = besideRunningPortcullis(context.values['data-dir']);
  if (beside.kind === 'reachable') {
    noteThrough(context, beside.api, 'the resources are its servers\'');
    return printResources(context, await beside.api.call<RequestOutput<'resources.list'>>('resources.list', {}));
  }
  return withRuntime(context, 'none', async (runtime) => printResources(context, await runtime.handlers['resources.list']({})));
}

/** The resources as `resources list` prints them: the same JSON whether they came from this process or the running one. */
function printResources(context: CommandContext, { resources, problems }: RequestOutput<'resources.list'>): number {
  if (context.values.json) {
    context.out(JSON.stringify({ resources, problems }));
    return 0;
  }
  if (resources.length === 0) context.out('No connected MCP server offers resources.');
  for (const resource of resources) context.out(`${resource.server} ${resource.uri}  ${resource.title ?? resource.name}${resource.description ? ` · ${resource.description}` : ''}`);
  for (const problem of problems) context.out(`problem: ${problem}`);
  return 0;
}

async function read(context: CommandContext, server: string, uri: string): Promise<number> {
  const beside = besideRunningPortcullis(context.values['data-dir']);
  if (beside.kind === 'reachable') {
    noteThrough(context, beside.api, `the read is its ${server} server's`);
    return printServerText(context, { server, uri }, async () => (await beside.api.call<RequestOutput<'resources.read'>>('resources.read', { server, uri })).text);
  }
  return withRuntime(context, 'none', (runtime) => printServerText(context, { server, uri }, async () => (await runtime.handlers['resources.read']({ server, uri })).text), [server]);
}
