import type * as NodeFs from 'node:fs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ToolPinStore } from '../../src/core/mcp/tool-pins';
import { tempDir } from '../helpers/temp-dir';

/** Another process (a command beside the app) moves the damaged file aside just before this one does. */
const race = vi.hoisted(() => ({ armed: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const renameSync: typeof fs.renameSync = (from, to) => {
    if (race.armed && String(to).endsWith('.broken')) {
      race.armed = false;
      fs.renameSync(from, to);
      throw Object.assign(new Error(`ENOENT: no such file or directory, rename '${String(from)}'`), { code: 'ENOENT' });
    }
    fs.renameSync(from, to);
  };
  return { ...fs, renameSync, default: { ...fs, renameSync } };
});

describe('tool pins, two processes on one damaged file', () => {
  it('starts when another process set the damaged file aside first, and keeps what the last good copy held', () => {
    const file = join(tempDir(), 'tool-pins.json');
    const pins = new ToolPinStore(file);
    pins.check('s.t', { description: 'd', inputSchema: {} });
    pins.check('s.t', { description: 'evil', inputSchema: {} });
    writeFileSync(file, '{ cut');
    race.armed = true;
    const second = new ToolPinStore(file);
    expect(race.armed).toBe(false);
    expect(readFileSync(`${file}.broken`, 'utf8')).toBe('{ cut');
    expect(existsSync(file)).toBe(true);
    expect(second.check('s.t', { description: 'evil', inputSchema: {} })).toBe('changed');
  });
});
