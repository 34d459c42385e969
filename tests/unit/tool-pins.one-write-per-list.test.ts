import type * as NodeFs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ToolPinStore } from '../../src/core/mcp/tool-pins';
import { tempDir } from '../helpers/temp-dir';

/** Every file renamed into place (the pins file and its last good copy are written whole, then renamed). */
const written = vi.hoisted(() => ({ files: [] as string[] }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const renameSync: typeof fs.renameSync = (from, to) => {
    written.files.push(String(to));
    fs.renameSync(from, to);
  };
  return { ...fs, renameSync, default: { ...fs, renameSync } };
});

const definition = (n: number) => ({ description: `tool ${n}`, inputSchema: { type: 'object', properties: { a: { type: 'string' } } } });

describe("tool pins and a server's whole list", () => {
  it('writes the file once for a first list of 2,000 tools, where each new pin wrote the whole file again', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    written.files = [];
    const states = pins.checkAll(() => Array.from({ length: 2_000 }, (_, n) => pins.check(`s.t${n}`, definition(n))));
    expect(new Set(states)).toEqual(new Set(['pinned']));
    expect(written.files.filter((to) => to === file)).toHaveLength(1);
    // As written: another process (or the next start) reads every pin.
    expect(new ToolPinStore(file).check('s.t1999', definition(1999))).toBe('pinned');
    expect(new ToolPinStore(file).check('s.t0', { ...definition(0), description: 'changed' })).toBe('changed');
  });

  it('writes nothing for a list that matches its pins', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    pins.checkAll(() => [0, 1, 2].map((n) => pins.check(`s.t${n}`, definition(n))));
    written.files = [];
    pins.checkAll(() => [0, 1, 2].map((n) => pins.check(`s.t${n}`, definition(n))));
    expect(written.files).toEqual([]);
  });
});
