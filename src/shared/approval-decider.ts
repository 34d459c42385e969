/**
 * Who answered an approval, as kept with the call and shown in its trace: "person: <choice>" (the person in the app),
 * "api: <caller>" (an API key or JWT allowed to approve, e.g. `api: key "nightly"`), "script: --approve <said>" (a
 * `portcullis` command's fixed answer), "unasked" (its caller does not wait for approvals), "timeout", "stop",
 * "shutdown". The card and what the model is told say the person decided only when they did.
 */
export const UNASKED = 'unasked';
export const TIMEOUT = 'timeout';
export const SHUTDOWN = 'shutdown';

export function personDecided(choice: string): string {
  return `person: ${choice}`;
}

/** An API caller's answer, named as its requests are (`callerLabel`: key "nightly", JWT ci-bot). */
export function apiDecided(caller: string): string {
  return `api: ${caller}`;
}

export function scriptDecided(said: string): string {
  return `script: --approve ${said}`;
}

/** Whether the person answered: also a call recorded before who answered was kept (undefined), read as before. */
export function decidedByPerson(decidedBy: string | undefined): boolean {
  return decidedBy === undefined || decidedBy.startsWith('person: ');
}

/**
 * Who answered, as "approved by …"/"denied by …" goes on: `key "nightly"`, "the script's --approve none", "the script's
 * --approve list" (its globs are in the note). Null for the person, and for an answer no one gave (timeout, stop).
 */
export function deciderWords(decidedBy: string | undefined): string | null {
  if (decidedBy === undefined) return null;
  if (decidedBy.startsWith('api: ')) return decidedBy.slice('api: '.length);
  if (decidedBy.startsWith('script: --approve ')) {
    const said = decidedBy.slice('script: --approve '.length);
    return `the script's --approve ${said === 'all' || said === 'none' ? said : 'list'}`;
  }
  return null;
}
