import { randomBytes } from 'node:crypto';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';

/** Small pieces shared by everything that runs a command through sandbox-runtime. */

/** A launch's id: the proxy binds an allow list to it, and the sandboxed process presents it, so it is 128 random bits. */
export function newCommandId(): string {
  return randomBytes(16).toString('base64url');
}

/** Quotes a word for the shell line sandbox-runtime runs. */
export const shellQuote = (word: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/**
 * What a sandboxed command needs on top of its own environment: the variables the sandbox sets (its proxy), of the
 * full environment it returns, and `SHLVL`. The sandbox runs the command through `bash -c`, twice over (outside
 * and inside bubblewrap); with a socket for stdin (libuv's pipes are socketpairs) a top-level bash takes itself
 * for sshd's and runs ~/.bashrc: pyenv's, nvm's or conda's setup on every server start, and their complaints
 * about the read-only home in the server's stderr. A bash that is not top-level (SHLVL ≥ 1) does not.
 */
export function addedBySandbox(env: NodeJS.ProcessEnv): Record<string, string> {
  const added: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string' && process.env[key] !== value) added[key] = value;
  added.SHLVL = '1';
  return added;
}

/** Network refusals are the proxy's, kept under the launch's id (file refusals show as EACCES/EROFS in stderr). */
export function refusalsOf(commandId: string): string[] {
  return [...new Set(SandboxManager.getSandboxViolationStore().getViolationsForCommand(commandId).map((v) => v.line))];
}

/**
 * `refusalsOf` for a launch that is asked before and after every call: the store is searched again only when it
 * has changed since the last answer (its counts moved), which is rare. Searching it (encoding the id and filtering
 * every kept refusal) twice per call was ~9 µs of each call's path (bench/gateway.bench.ts).
 */
export function refusalReader(commandId: string): () => readonly string[] {
  let seen = '';
  let lines: readonly string[] = [];
  return () => {
    const store = SandboxManager.getSandboxViolationStore();
    const mark = `${store.getTotalCount()}/${store.getCount()}`;
    if (mark !== seen) [seen, lines] = [mark, refusalsOf(commandId)];
    return lines;
  };
}

const NOT_ALLOWED = /^deny network-outbound (.+):\d+ \(host is not on the allow list\)$/;
const HOSTNAME = /^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/**
 * The host names among the refusals that only lacked a grant (not IP literals, not a host a rule denies): those
 * the person could allow for the server.
 */
export function refusedHostNames(refusals: readonly string[]): string[] {
  const hosts = refusals.map((line) => NOT_ALLOWED.exec(line)?.[1]?.toLowerCase()).filter((host): host is string => host !== undefined && HOSTNAME.test(host));
  return [...new Set(hosts)];
}

/**
 * A proxy variable with the credentials in its URL, as the environment has it (`HTTPS_PROXY=http://…`) or as the
 * sandbox's command line sets it (bubblewrap's `--setenv HTTPS_PROXY 'http://…'`).
 */
const PROXY_SETTING = /\b[A-Z_]*PROXY(?:=|\s+)'?[a-z0-9+]+:\/\/([^:@/\s'"]+):([^@/\s'"]+)@/gi;

/**
 * The credentials in a sandboxed command's proxy variables (`HTTPS_PROXY=http://srt.<launch>:<token>@localhost:3128`,
 * set on its command line or in its environment), as written there and decoded. The proxy knows a launch by them and
 * lets it reach that launch's domains: said back by the server (an env dump, an error), they would let another
 * server, handed them by the model, borrow its grants.
 */
export function proxyCredentials(words: readonly string[]): string[] {
  const found = new Set<string>();
  for (const word of words) {
    for (const [, user, password] of word.matchAll(PROXY_SETTING)) {
      for (const part of [user!, password!]) {
        found.add(part);
        found.add(decodeURIComponent(part));
      }
    }
  }
  return [...found];
}
