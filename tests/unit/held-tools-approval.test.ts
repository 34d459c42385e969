import { describe, expect, it } from 'vitest';
import type { ToolInfo } from '../../src/shared/domain/tool-catalog';
import { heldToolsApproval } from '../../src/shared/held-tools-approval';

const offered = { description: 'Echo.', inputSchema: { type: 'object' } };
const tool = (name: string, pinState: ToolInfo['pinState'], change?: Partial<NonNullable<ToolInfo['change']>>) =>
  ({ name, server: 'notes', pinState, ...(change ? { change: { approved: null, offered, rejected: false, hash: `${name}-hash`, ...change } } : {}) }) as ToolInfo;

describe('held-back tools approved together', () => {
  it('takes in only the tools held because the pins were lost, each with the hash of the definition shown', () => {
    const { together, apart } = heldToolsApproval([tool('notes.echo', 'new', { pinsLost: true }), tool('notes.read', 'new', { pinsLost: true }), tool('notes.ok', 'pinned')]);
    expect(together).toEqual([
      { name: 'notes.echo', hash: 'notes.echo-hash' },
      { name: 'notes.read', hash: 'notes.read-hash' },
    ]);
    expect(apart).toEqual([]);
  });

  it('never sweeps in a rug pull (a definition changed from one approved), a tool added later, one rejected, or one with nothing waiting: each is named apart, with why', () => {
    const { together, apart } = heldToolsApproval([
      tool('notes.echo', 'changed', { approved: offered }),
      tool('notes.send', 'new', {}),
      tool('notes.wipe', 'new', { pinsLost: true, rejected: true }),
      tool('notes.gone', 'new', { pinsLost: true, hash: null }),
    ]);
    expect(together).toEqual([]);
    expect(apart).toEqual([
      { name: 'notes.echo', why: 'its definition changed from the one you approved: review what changed and approve it on its own' },
      { name: 'notes.send', why: 'its server added it after you approved its tools: review it and approve it on its own' },
      { name: 'notes.wipe', why: 'you rejected it' },
      { name: 'notes.gone', why: 'nothing of it waits to be approved' },
    ]);
  });
});
