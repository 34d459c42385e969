import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHostOptions } from '../../src/main/host-options';

const switches = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readHostOptions', () => {
  it('returns no overrides when the switches are absent or blank', () => {
    expect(readHostOptions(switches({}), '/home/me')).toEqual({});
    expect(readHostOptions(switches({ 'data-dir': '  ', workspace: '' }), '/home/me')).toEqual({});
  });

  it('reads --data-dir and --workspace, resolving relative paths against the start folder', () => {
    expect(readHostOptions(switches({ 'data-dir': '/var/pc', workspace: 'projects/site' }), '/home/me')).toEqual({
      dataDir: resolve('/var/pc'),
      workspace: resolve('/home/me/projects/site'),
    });
  });
});
