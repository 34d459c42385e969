import type { ServerWordsOrigin } from './offerings';

/** A prompt or resource the message box holds: where it came from, and its name as the person reads it. */
export interface ServerWordsSource {
  origin: ServerWordsOrigin;
  label: string;
  /** One per prompt or resource, so one put in twice is named once. */
  key: string;
}

/** "the everything server's resource “a.md”, and the memory server's resource “graph”". */
function named(sources: readonly ServerWordsSource[]): string {
  const each = sources.map(({ origin, label }) => `the ${origin.server} server's ${origin.kind} “${label}”`);
  return each.length <= 1 ? (each[0] ?? '') : `${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}

/** Under the message box: whose words it holds, to read before sending, and what sending them does. */
export function ServerWordsNote({ id, sources }: { id: string; sources: readonly ServerWordsSource[] }) {
  const servers = new Set(sources.map((source) => source.origin.server));
  return (
    <p id={id} className="composer-source" data-testid="composer-source">
      From {named(sources)}. Read {sources.length === 1 ? 'it' : 'them'} before you send {sources.length === 1 ? 'it' : 'them'}: {sources.length === 1 ? 'it goes' : 'they go'} to the
      model as your message, and the conversation then counts as holding {servers.size === 1 ? "that server's" : "those servers'"} words (what could send data out asks).
    </p>
  );
}
