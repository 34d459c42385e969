/** A conversation another Portcullis process on the data folder (a second window, `serve`, a script) runs a turn in. */
export interface RunningElsewhere {
  conversationId: string;
  pid: number;
}

/** What the running dot says of such a turn, on hover and to a screen reader. */
export function runningElsewhereWords(pid: number): string {
  return `Running in another Portcullis window or process (pid ${pid})`;
}

/** Why its Delete waits: the host refuses to delete a conversation whose turn runs there. */
export function deleteWaitsWords(pid: number): string {
  return `A turn is running here in another Portcullis (pid ${pid}): wait for it or stop it there first.`;
}

/** By conversation, the pid that runs its turn; the one given back when nothing changed, so nothing is drawn again. */
export function runningElsewhereMap(previous: ReadonlyMap<string, number>, running: readonly RunningElsewhere[]): ReadonlyMap<string, number> {
  const same = running.length === previous.size && running.every(({ conversationId, pid }) => previous.get(conversationId) === pid);
  return same ? previous : new Map(running.map(({ conversationId, pid }) => [conversationId, pid]));
}
