import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionChangedAgainError, ToolPinStore, definitionHash } from '../../src/core/mcp/tool-pins';
import { shownHash } from '../../src/shared/shown-hash';
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

  it('moves a broken file aside and reads its last good copy: a tool held back for a changed definition stays held back', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    pins.check('s.t', { description: 'd', inputSchema: schema });
    expect(pins.check('s.t', { description: 'evil', inputSchema: schema })).toBe('changed');
    const whole = readFileSync(file, 'utf8');
    writeFileSync(file, whole.slice(0, 200)); // cut short (a disk error, a hand edit)
    const reopened = new ToolPinStore(file);
    expect(reopened.problem).toMatch(/tool-pins\.json could not be read .* moved to .*tool-pins\.json\.broken; its last good copy .* is used instead/);
    expect(readFileSync(`${file}.broken`, 'utf8')).toBe(whole.slice(0, 200));
    expect(reopened.check('s.t', { description: 'evil', inputSchema: schema })).toBe('changed');
    expect(reopened.check('s.added', { description: 'Sends', inputSchema: schema }, { heldIfNew: true })).toBe('new');
    // The file is whole again, and reads so at the next start.
    expect(new ToolPinStore(file)).toMatchObject({ problem: null });
    expect(new ToolPinStore(file).get('s.t')).toMatchObject({ description: 'd', pending: { description: 'evil' } });
  });

  it('holds back every tool, a new server\'s too, when neither the file nor its last good copy can be read, until each is approved', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    pins.check('s.t', { description: 'd', inputSchema: schema });
    pins.check('s.t', { description: 'evil', inputSchema: schema });
    writeFileSync(file, '{ nope');
    writeFileSync(`${file}.last-good`, '');
    const lost = new ToolPinStore(file, 1_700_000_000_000);
    expect(lost.problem).toMatch(/could not be read .* moved to .*tool-pins\.json\.broken, and its last good copy could not be read either .* every MCP tool is held back until you approve it/);
    expect(readFileSync(`${file}.broken`, 'utf8')).toBe('{ nope');
    expect(lost.check('s.t', { description: 'evil', inputSchema: schema })).toBe('new');
    expect(lost.check('other.t', { description: 'd', inputSchema: schema })).toBe('new');
    // Said as held for the loss, not as added by its server; one its server did add since is said as such.
    expect(lost.arrival('s.t')?.pinsLost).toBe(true);
    expect(lost.check('other.added', { description: 'd', inputSchema: schema }, { heldIfNew: true })).toBe('new');
    expect(lost.arrival('other.added')?.pinsLost).toBeUndefined();
    // Across a restart, with a word on each start while a tool waits.
    const reopened = new ToolPinStore(file);
    expect(reopened.problem).toMatch(/The pins of MCP tools were lost on 2023-11-14 .* every MCP tool not approved since is held back/);
    expect(reopened.check('s.t', { description: 'evil', inputSchema: schema })).toBe('new');
    expect(reopened.approve('s.t', reopened.arrival('s.t')!.hash)).toBe(true);
    expect(reopened.check('s.t', { description: 'evil', inputSchema: schema })).toBe('pinned');
    expect(reopened.get('s.t')).not.toHaveProperty('pinsLost');
    expect(reopened.check('brand-new.t', { description: 'd', inputSchema: schema })).toBe('new');
  });

  it('a damaged file from before the last good copy was kept holds back every tool rather than trusting it again', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pending = { hash: 'b'.repeat(64), description: 'evil', inputSchema: schema, annotations: {}, at: 2 };
    const text = JSON.stringify({ version: 1, pins: { 's.t': { hash: 'a'.repeat(64), description: 'd', inputSchema: schema, annotations: {}, at: 1, pending } } });
    writeFileSync(file, text.slice(0, text.length - 20));
    const lost = new ToolPinStore(file);
    expect(lost.problem).toMatch(/its last good copy is missing/);
    expect(lost.check('s.t', { description: 'evil', inputSchema: schema })).toBe('new');
  });

  it('a good file is kept as its last good copy, and a first-seen tool of a brand new server is still pinned at once', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    expect(pins.check('s.t', { description: 'd', inputSchema: schema })).toBe('pinned');
    expect(readFileSync(`${file}.last-good`, 'utf8')).toBe(readFileSync(file, 'utf8'));
    const reopened = new ToolPinStore(file);
    expect(reopened.problem).toBeNull();
    expect(reopened.check('brand-new.t', { description: 'd', inputSchema: schema })).toBe('pinned');
    expect(reopened.check('s.t', { description: 'd', inputSchema: schema })).toBe('pinned');
    // A file written by hand (or by a Portcullis from before the copy) is copied at the next start.
    writeFileSync(file, JSON.stringify({ version: 1, pins: { 's.t': reopened.get('s.t') } }));
    new ToolPinStore(file);
    expect(readFileSync(`${file}.last-good`, 'utf8')).toBe(readFileSync(file, 'utf8'));
    expect(existsSync(`${file}.broken`)).toBe(false);
  });
});
