import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findDefaultPolicyFile } from '../../src/core/policy/policy-source';
import { resourcesDir } from '../../src/core/router/resource-paths';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

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

describe('the packaged app finds its shipped resources', () => {
  const config = parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as { files?: string[] };

  it('packs resources/ next to out/ in app.asar, where the lookups from out/main find the policy and the intents', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/**']));
    // The layout inside app.asar: out/main/index.js and resources/…, as the `files` globs copy them.
    const app = join(tempDir(), 'app.asar');
    mkdirSync(join(app, 'out', 'main'), { recursive: true });
    cpSync(join(repoRoot, 'resources'), join(app, 'resources'), { recursive: true });
    const main = join(app, 'out', 'main');
    expect(resourcesDir(main)).toBe(join(app, 'resources'));
    expect(findDefaultPolicyFile(main)).toBe(join(app, 'resources', 'policy.default.yaml'));
  });
});
