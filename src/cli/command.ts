/** What every command gets: parsed options, the rest of the words, and where to print. */
export interface CommandContext {
  values: {
    json?: boolean;
    port?: string;
    'data-dir'?: string;
    workspace?: string;
    approve?: string;
    conversation?: string;
    name?: string;
    scope?: string[];
    expires?: string;
    'auth-failure-limit'?: string;
    tool?: string;
    tools?: string;
    'all-tools'?: boolean;
    args?: string;
    server?: string;
    intent?: string;
    confidence?: string;
    tainted?: boolean;
    'approval-timeout'?: string;
    suite?: string[];
    out?: string;
    baseline?: string;
    'update-baseline'?: boolean;
    live?: boolean;
    content?: boolean;
    limit?: string;
    /** `tools approve`: the hash of the definition approved, as `tools list` showed it. */
    hash?: string;
  };
  positionals: string[];
  out(line: string): void;
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class CliUsageError extends Error {}
