import { AppError } from '../../shared/errors';
import type { RequestOutput } from '../../shared/api/contract';
import { CliUsageError, type CommandContext } from '../command';
import { hasDataFolder } from '../stored-data';
import { jsonArgs, throughRunningOrOwn } from './tools';

export const promptsHelp = `portcullis prompts list [--json] [--data-dir D]
  Lists the prompts the MCP servers in <data-dir>/mcp.json offer, with their arguments.
portcullis prompts get SERVER NAME [--args JSON] [--json] [--data-dir D]
  Prints one prompt filled in with --args ({"city":"Lyon"}), as the text it would put in the message box.
  Beside a running Portcullis (serve, or the desktop app) both ask that one: its servers, no second copy; the
  same output as alone.`;

export async function promptsCommand(context: CommandContext): Promise<number> {
  const [sub, ...rest] = context.positionals;
  if (sub === 'list' && rest.length === 0) return list(context);
  if (sub === 'get') return get(context, rest);
  throw new CliUsageError(sub === 'list' ? 'prompts list takes no names.' : 'Say "prompts list" or "prompts get SERVER NAME".');
}

async function list(context: CommandContext): Promise<number> {
  if (!hasDataFolder(context.values['data-dir'])) return printPrompts(context, { prompts: [], problems: [] });
  return throughRunningOrOwn(context, { channel: 'prompts.list', input: {}, what: "the prompts are its servers'" }, async (ask) => printPrompts(context, await ask()));
}

/** The prompts as `prompts list` prints them: the same JSON whether they came from this process or the running one. */
function printPrompts(context: CommandContext, { prompts, problems }: RequestOutput<'prompts.list'>): number {
  if (context.values.json) {
    context.out(JSON.stringify({ prompts, problems }));
    return 0;
  }
  if (prompts.length === 0) context.out('No connected MCP server offers prompts.');
  for (const prompt of prompts) {
    const args = prompt.arguments.map((a) => (a.required ? a.name : `[${a.name}]`)).join(' ');
    context.out(`${prompt.server} ${prompt.name}${args ? ` ${args}` : ''}${prompt.description ? `  ${prompt.description}` : ''}`);
  }
  for (const problem of problems) context.out(`problem: ${problem}`);
  return 0;
}

async function get(context: CommandContext, rest: string[]): Promise<number> {
  const [server, name, ...extra] = rest;
  if (!server || !name || extra.length > 0) throw new CliUsageError('Name the server and the prompt, e.g. portcullis prompts get everything args-prompt --args \'{"city":"Lyon"}\'.');
  const args = jsonArgs(context, '{"city":"Lyon"}');
  if (typeof args !== 'object' || args === null || Array.isArray(args) || !Object.values(args).every((v) => typeof v === 'string')) {
    throw new CliUsageError('--args must be a JSON object of strings, e.g. \'{"city":"Lyon"}\'.');
  }
  const input = { server, name, arguments: args as Record<string, string> };
  return throughRunningOrOwn(context, { channel: 'prompts.get', input, what: `the prompt is its ${server} server's`, servers: [server] }, (ask) =>
    printServerText(context, { server, name }, async () => (await ask()).text),
  );
}

/** Prints the text a server gave (with --json, beside `which`); its refusal as the error, with exit code 1. */
export async function printServerText(context: CommandContext, which: Record<string, string>, ask: () => Promise<string>): Promise<number> {
  try {
    const text = await ask();
    context.out(context.values.json ? JSON.stringify({ ...which, text }) : text);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    context.out(context.values.json ? JSON.stringify({ ...which, error: error.toWire() }) : error.message);
    return 1;
  }
}
