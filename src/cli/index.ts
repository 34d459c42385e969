import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';
import { CliUsageError, type CommandContext } from './command';
import { chatCommand, chatHelp } from './commands/chat';
import { conversationsCommand, conversationsHelp } from './commands/conversations';
import { keysCommand, keysHelp } from './commands/keys';
import { secretsCommand, secretsHelp } from './commands/secrets';
import { searchCommand, searchHelp } from './commands/search';
import { evalCommand, evalHelp } from './commands/eval';
import { routeCommand, routeHelp } from './commands/route';
import { serveCommand, serveHelp } from './commands/serve';
import { policyCommand, policyHelp } from './commands/policy';
import { auditCommand, auditHelp } from './commands/audit';
import { dbCommand, dbHelp } from './commands/db';
import { toolsCommand, toolsHelp } from './commands/tools';
import { promptsCommand, promptsHelp } from './commands/prompts';
import { resourcesCommand, resourcesHelp } from './commands/resources';
import { mcpCommand, mcpHelp } from './commands/mcp-bridge';
import { webCommand, webHelp } from './commands/web';
import { tracesCommand, tracesHelp } from './commands/traces';
import { packageVersion } from './node-runtime';
import { terminalLine } from './terminal-line';
import { shellWord } from './shell-word';

const commands: Record<string, { run(context: CommandContext): Promise<number>; help: string }> = {
  serve: { run: serveCommand, help: serveHelp },
  chat: { run: chatCommand, help: chatHelp },
  conversations: { run: conversationsCommand, help: conversationsHelp },
  keys: { run: keysCommand, help: keysHelp },
  secrets: { run: secretsCommand, help: secretsHelp },
  policy: { run: policyCommand, help: policyHelp },
  audit: { run: auditCommand, help: auditHelp },
  db: { run: dbCommand, help: dbHelp },
  search: { run: searchCommand, help: searchHelp },
  route: { run: routeCommand, help: routeHelp },
  eval: { run: evalCommand, help: evalHelp },
  tools: { run: toolsCommand, help: toolsHelp },
  traces: { run: tracesCommand, help: tracesHelp },
  web: { run: webCommand, help: webHelp },
  prompts: { run: promptsCommand, help: promptsHelp },
  resources: { run: resourcesCommand, help: resourcesHelp },
  mcp: { run: mcpCommand, help: mcpHelp },
};

const usage = `Portcullis ${packageVersion()}: a local-first AI agent whose every tool call is governed.

Usage:
${Object.values(commands).map((c) => `  ${c.help.replaceAll('\n', '\n  ')}`).join('\n\n')}
`;

/** The `portcullis` command. Returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  // A reader that stops early (`portcullis tools list | head -3`) closes the pipe: the output ends there, quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  const [name, ...rest] = argv;
  // `portcullis help tools`: that command's usage, as `portcullis tools --help` prints it.
  const asked = name === 'help' && rest[0] !== undefined ? commands[rest[0]] : undefined;
  if (asked) {
    console.log(asked.help);
    return 0;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    console.log(packageVersion());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`${unknownCommand(name, rest)}\n\n${usage}`);
    return 2;
  }
  // `portcullis chat --help` is asking, not a mistake: its usage, and success (it said "Unknown option").
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        workspace: { type: 'string' },
        approve: { type: 'string' },
        conversation: { type: 'string' },
        name: { type: 'string' },
        scope: { type: 'string', multiple: true },
        expires: { type: 'string' },
        'auth-failure-limit': { type: 'string' },
        tool: { type: 'string' },
        tools: { type: 'string' },
        'all-tools': { type: 'boolean' },
        args: { type: 'string' },
        server: { type: 'string' },
        intent: { type: 'string' },
        confidence: { type: 'string' },
        tainted: { type: 'boolean' },
        'approval-timeout': { type: 'string' },
        suite: { type: 'string', multiple: true },
        out: { type: 'string' },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        live: { type: 'boolean' },
        content: { type: 'boolean' },
        limit: { type: 'string' },
        hash: { type: 'string' },
      },
    });
    return await command.run({ values, positionals, out: (line) => console.log(terminalLine(line)) });
  } catch (error) {
    if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${usageMistake(name, error as Error & { code?: string })}\n\n${command.help}`);
      return 2;
    }
    console.error(error instanceof AppError ? terminalLine(`Error: ${error.message}`) : error);
    return 1;
  }
}

/**
 * Why `name` is no command, in a sentence. An option put before the command (`portcullis --data-dir D tools list`,
 * as other tools take them) is said with the line as it should be.
 */
function unknownCommand(name: string, rest: readonly string[]): string {
  if (!name.startsWith('-')) return `Unknown command "${name}".`;
  const at = rest.findIndex((word) => commands[word] !== undefined);
  if (at === -1) return `${name} is an option: name the command first, its options after it (portcullis COMMAND --help lists them).`;
  const before = [name, ...rest.slice(0, at)];
  const command = rest[at]!;
  const after = rest.slice(at + 1);
  // The command's own words (tools list) before the options: a subcommand read as an option's value would move too.
  const words = after.findIndex((word) => word.startsWith('-'));
  const subcommand = words === -1 ? after : after.slice(0, words);
  const line = ['portcullis', command, ...subcommand, ...before, ...after.slice(subcommand.length)].map(shellWord).join(' ');
  return `The command comes first, its options after it: ${line}`;
}

/**
 * A mistake in how a command was called, in a sentence. Node's words for an unknown option ("…place it at the end of
 * the command after '--', as in '-- "--foo"") speak of its parser, not of the command.
 */
function usageMistake(command: string, error: Error & { code?: string }): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1] ?? 'that option';
    // Commands that take free text: a message or query may start with "-" itself.
    const text = ['chat', 'search', 'route'].includes(command) ? ` (Text that starts with "-" goes after --: portcullis ${command} -- "${option}".)` : '';
    return `portcullis ${command} has no option ${option}; its options are below.${text}`;
  }
  return error.message;
}
