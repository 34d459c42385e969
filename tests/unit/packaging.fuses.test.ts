import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/paths';

/** Electron's security checklist: the fuses that stop a packaged app from running as Node or loading foreign code. */
const REQUIRED_FUSES: Record<string, boolean> = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};

describe('the packaging config sets the Electron fuses', () => {
  const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { asar?: boolean; electronFuses?: Record<string, unknown> };

  it.each(Object.entries(REQUIRED_FUSES))('%s is %s', (fuse, value) => {
    expect(config.electronFuses?.[fuse]).toBe(value);
  });

  it('packs the app into an asar archive (the integrity fuses need one)', () => {
    expect(config.asar).toBe(true);
  });

  it('enables no fuse that would loosen the app', () => {
    expect(config.electronFuses?.['grantFileProtocolExtraPrivileges']).not.toBe(true);
  });
});
