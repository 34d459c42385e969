import { distinctToolName, fittedToolName } from '../tools/distinct-tool-name';

/** Portcullis' tool names (`fs.read`) ↔ the names a model's API is given (`fs__read`). */
export interface WireToolNames {
  toWire(name: string): string;
  fromWire(name: string): string;
}

/**
 * Provider APIs allow only [a-zA-Z0-9_-]{1,64} in tool names; ours use dots (fs.read ↔ fs__read). A name too long is
 * cut with a hash of the whole (a server's name may be 64 characters and its tool's 128), and two that come out the
 * same (`my.srv.x` and `my__srv.x`, two servers' tools) are told apart by a number, in the order given: the model's
 * call of one went to the other, whichever was listed last. A name the model made up in the wire form (fs__raed)
 * comes back dotted, so the gateway's "Did you mean fs.read?" finds its neighbour and the card names it as the Tools
 * page would.
 */
export function wireToolNames(names: readonly string[]): WireToolNames {
  const wire = new Map<string, string>();
  const back = new Map<string, string>();
  for (const name of names) {
    if (wire.has(name)) continue;
    const candidate = distinctToolName(wireForm(name), name, back);
    wire.set(name, candidate);
    back.set(candidate, name);
  }
  return {
    toWire: (name) => wire.get(name) ?? wireForm(name),
    fromWire: (name) => back.get(name) ?? name.replace(/__/g, '.'),
  };
}

function wireForm(name: string): string {
  return fittedToolName(name.replace(/[^a-zA-Z0-9_-]/g, '__') || 'tool', name);
}
