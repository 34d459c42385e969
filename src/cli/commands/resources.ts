import type { RequestOutput } from '../../shared/api/contract';
import { CliUsageError, type CommandContext } from '../command';
import { hasDataFolder } from '../stored-data';
import { printServerText } from './prompts';
import { throughRunningOrOwn } from './tools';

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
  if (!hasDataFolder(context.values['data-dir'])) return printResources(context, { resources: [], problems: [] });
  return throughRunningOrOwn(context, { channel: 'resources.list', input: {}, what: "the resources are its servers'" }, async (ask) => printResources(context, await ask()));
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

function read(context: CommandContext, server: string, uri: string): Promise<number> {
  return throughRunningOrOwn(context, { channel: 'resources.read', input: { server, uri }, what: `the read is its ${server} server's`, servers: [server] }, (ask) =>
    printServerText(context, { server, uri }, async () => (await ask()).text),
  );
}
