/** What every command gets: parsed options, the rest of the words, and where to print. */
export interface CommandContext {
  values: {
    json?: boolean;
    port?: string;
    'data-dir'?: string;
    workspace?: string;
    approve?: string;
    conversation?: string;
    args?: string;
  };
  positionals: string[];
  out(line: string): void;
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class CliUsageError extends Error {}
