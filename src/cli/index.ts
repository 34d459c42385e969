import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';
import { CliUsageError, type CommandContext } from './command';
import { chatCommand, chatHelp } from './commands/chat';
import { serveCommand, serveHelp } from './commands/serve';
import { toolsCommand, toolsHelp } from './commands/tools';
import { packageVersion } from './node-runtime';

const commands: Record<string, { run(context: CommandContext): Promise<number>; help: string }> = {
  serve: { run: serveCommand, help: serveHelp },
  chat: { run: chatCommand, help: chatHelp },
  tools: { run: toolsCommand, help: toolsHelp },
};

const usage = `Portcullis ${packageVersion()}: a local-first AI agent whose every tool call is governed.

Usage:
${Object.values(commands).map((c) => `  ${c.help.replaceAll('\n', '\n  ')}`).join('\n\n')}
`;

/** The `portcullis` command. Returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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
    console.error(`Unknown command "${name}".\n\n${usage}`);
    return 2;
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
        args: { type: 'string' },
      },
    });
    return await command.run({ values, positionals, out: (line) => console.log(line) });
  } catch (error) {
    if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${command.help}`);
      return 2;
    }
    console.error(error instanceof AppError ? `Error: ${error.message}` : error);
    return 1;
  }
}
