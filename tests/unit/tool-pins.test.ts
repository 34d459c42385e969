import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionChangedAgainError, ToolPinStore, definitionHash, shownHash } from '../../src/core/mcp/tool-pins';
import { tempDir } from '../helpers/temp-dir';

const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } };

describe('tool pins', () => {
  it('hashes name, description and schema regardless of key order', () => {
    const reordered = { properties: { b: { type: 'number' }, a: { type: 'string' } }, type: 'object' };
    expect(definitionHash({ name: 's.t', description: 'd', inputSchema: schema })).toBe(definitionHash({ name: 's.t', description: 'd', inputSchema: reordered }));
    expect(definitionHash({ name: 's.t', description: 'd', inputSchema: schema })).not.toBe(definitionHash({ name: 's.t', description: 'd!', inputSchema: schema }));
  });

  it('pins first, flags a change, keeps both, and survives a restart', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    expect(pins.check('s.t', { description: 'd', inputSchema: schema })).toBe('pinned');
    expect(pins.check('s.t', { description: 'evil', inputSchema: schema })).toBe('changed');
    const reopened = new ToolPinStore(file);
    expect(reopened.changed()).toEqual([{ name: 's.t', pinned: expect.objectContaining({ description: 'd' }), now: expect.objectContaining({ description: 'evil' }) }]);
    const evil = reopened.get('s.t')!.pending!.hash;
    expect(reopened.approve('s.t', evil)).toBe(true);
    expect(reopened.check('s.t', { description: 'evil', inputSchema: schema })).toBe('pinned');
    expect(reopened.approve('s.t', evil)).toBe(false);
  });

  it('keeps a rejected definition held back across a restart, asks afresh about another, and can still approve it', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    pins.check('s.t', { description: 'd', inputSchema: schema });
    expect(pins.reject('s.t')).toBe(false); // nothing waits
    pins.check('s.t', { description: 'evil', inputSchema: schema });
    expect(pins.reject('s.t')).toBe(true);
    const reopened = new ToolPinStore(file);
    expect(reopened.check('s.t', { description: 'evil', inputSchema: schema })).toBe('changed');
    expect(reopened.get('s.t')?.pending).toMatchObject({ description: 'evil', rejected: true });
    expect(reopened.check('s.t', { description: 'eviler', inputSchema: schema })).toBe('changed');
    expect(reopened.get('s.t')?.pending).toEqual(expect.not.objectContaining({ rejected: true })); // a new definition is asked about
    reopened.reject('s.t');
    expect(reopened.approve('s.t', reopened.get('s.t')!.pending!.hash)).toBe(true);
    expect(reopened.get('s.t')).toEqual({ hash: expect.any(String), description: 'eviler', inputSchema: schema, annotations: {}, at: expect.any(Number) });
  });

  it('holds back a tool whose annotations changed (one that turns itself read-only would run unasked)', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    expect(pins.check('s.t', { description: 'd', inputSchema: schema, annotations: { destructiveHint: true } })).toBe('pinned');
    expect(pins.check('s.t', { description: 'd', inputSchema: schema, annotations: { destructiveHint: true } })).toBe('pinned');
    expect(pins.check('s.t', { description: 'd', inputSchema: schema, annotations: { readOnlyHint: true } })).toBe('changed');
    expect(pins.changed()[0]).toMatchObject({ pinned: { annotations: { destructiveHint: true } }, now: { annotations: { readOnlyHint: true } } });
  });

  it('takes up a pin from before annotations counted without asking again, and pins its annotations from then on', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const legacy = { hash: definitionHash({ name: 's.t', description: 'd', inputSchema: schema }), description: 'd', inputSchema: schema, at: 1 };
    writeFileSync(file, JSON.stringify({ version: 1, pins: { 's.t': legacy } }));
    const pins = new ToolPinStore(file);
    expect(pins.check('s.t', { description: 'd', inputSchema: schema, annotations: { readOnlyHint: true } })).toBe('pinned');
    expect(pins.get('s.t')?.annotations).toEqual({ readOnlyHint: true });
    expect(pins.check('s.t', { description: 'd', inputSchema: schema, annotations: {} })).toBe('changed');
    // A legacy pin whose description changed is a change as before.
    writeFileSync(file, JSON.stringify({ version: 1, pins: { 's.t': legacy } }));
    expect(new ToolPinStore(file).check('s.t', { description: 'evil', inputSchema: schema, annotations: { readOnlyHint: true } })).toBe('changed');
  });

  it('holds back a tool new to a known server until approved or rejected, across a restart; a file without arrivals still reads', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    expect(pins.knowsNamespace('s')).toBe(false);
    expect(pins.check('s.t', { description: 'd', inputSchema: schema })).toBe('pinned');
    expect(pins.knowsNamespace('s')).toBe(true);
    expect(pins.knowsNamespace('s.t')).toBe(false);
    expect(pins.check('s.send', { description: 'Sends', inputSchema: schema }, { heldIfNew: true })).toBe('new');
    const reopened = new ToolPinStore(file);
    expect(reopened.arrival('s.send')).toMatchObject({ description: 'Sends' });
    // Held whatever the caller says now: a relist does not let it in by asking without heldIfNew.
    expect(reopened.check('s.send', { description: 'Sends', inputSchema: schema })).toBe('new');
    expect(reopened.reject('s.send')).toBe(true);
    expect(new ToolPinStore(file).arrival('s.send')?.rejected).toBe(true);
    expect(reopened.approve('s.send', reopened.arrival('s.send')!.hash)).toBe(true);
    expect(reopened.arrival('s.send')).toBeUndefined();
    expect(reopened.check('s.send', { description: 'Sends', inputSchema: schema }, { heldIfNew: true })).toBe('pinned');

    writeFileSync(file, JSON.stringify({ version: 1, pins: { 's.t': reopened.get('s.t') } }));
    expect(new ToolPinStore(file).check('s.t', { description: 'd', inputSchema: schema })).toBe('pinned');
  });

  it('approves only the definition the person was shown, by its hash: one its server offered since is refused, and stays held back', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    pins.check('s.t', { description: 'd', inputSchema: schema });
    pins.check('s.t', { description: 'shown', inputSchema: schema });
    const shown = pins.get('s.t')!.pending!.hash;
    // The server changes it again between the person's look and their approval (another process may hold the file).
    new ToolPinStore(file).check('s.t', { description: 'unseen', inputSchema: schema });
    expect(() => pins.approve('s.t', shown)).toThrow(DefinitionChangedAgainError);
    expect(() => pins.approve('s.t', shown)).toThrow('s.t: the definition changed again since you looked: review it again');
    expect(pins.get('s.t')).toMatchObject({ description: 'd', pending: { description: 'unseen' } });
    expect(pins.check('s.t', { description: 'unseen', inputSchema: schema })).toBe('changed');
    // The same for a tool its server added: what is approved is what was shown.
    pins.check('s.new', { description: 'Reads', inputSchema: schema }, { heldIfNew: true });
    const added = pins.arrival('s.new')!.hash;
    pins.check('s.new', { description: 'Reads, and sends', inputSchema: schema }, { heldIfNew: true });
    expect(() => pins.approve('s.new', added)).toThrow(DefinitionChangedAgainError);
    expect(pins.arrival('s.new')).toMatchObject({ description: 'Reads, and sends' });
    // Named by its first 16 digits (as `tools list` shows it), in either case; fewer name nothing.
    const unseen = pins.get('s.t')!.pending!.hash;
    expect(() => pins.approve('s.t', unseen.slice(0, 15))).toThrow(DefinitionChangedAgainError);
    expect(pins.approve('s.t', shownHash(unseen).toUpperCase())).toBe(true);
    expect(pins.get('s.t')).toMatchObject({ hash: unseen, description: 'unseen' });
  });

  it('moves a broken file aside and says so, rather than trusting everything silently', () => {
    const file = join(tempDir(), 'tool-pins.json');
    writeFileSync(file, '{ nope');
    const pins = new ToolPinStore(file);
    expect(pins.problem).toMatch(/could not be read .* moved to .*tool-pins\.json\.broken/);
    expect(readFileSync(`${file}.broken`, 'utf8')).toBe('{ nope');
    expect(existsSync(file)).toBe(false);
  });
});
