import { randomBytes } from 'node:crypto';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';

/** Small pieces shared by everything that runs a command through sandbox-runtime. */

/** A launch's id: the proxy binds an allow list to it, and the sandboxed process presents it, so it is 128 random bits. */
export function newCommandId(): string {
  return randomBytes(16).toString('base64url');
}

/** Quotes a word for the shell line sandbox-runtime runs. */
export const shellQuote = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** The variables the sandbox sets for a command (its proxy), of the full environment it returns. */
export function addedBySandbox(env: NodeJS.ProcessEnv): Record<string, string> {
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string' && process.env[key] !== value) added[key] = value;
  return added;
}

/** Network refusals are the proxy's, kept under the launch's id (file refusals show as EACCES/EROFS in stderr). */
export function refusalsOf(commandId: string): string[] {
  return [...new Set(SandboxManager.getSandboxViolationStore().getViolationsForCommand(commandId).map((v) => v.line))];
}
