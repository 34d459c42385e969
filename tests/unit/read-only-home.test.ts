import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishPrivateHome, linksOut } from '../../src/core/sandbox/read-only-home';
import { tempDir } from '../helpers/temp-dir';

describe("a private home folder under bubblewrap: read-only, with the links out of it that servers run through", () => {
  it('remounts the hidden home read-only just before bubblewrap runs the command, after every mount, links made first', () => {
    const home = realpathSync(tempDir());
    const line = `bwrap --ro-bind / / --tmpfs ${home} --ro-bind ${home}/.nvm ${home}/.nvm --tmpfs /etc/ssh/ssh_config.d --proc /proc -- /usr/bin/bash -c 'node -- x'`;
    const [, , finished] = finishPrivateHome(['/bin/bash', '-c', line], home, [{ name: join(home, '.nix-profile'), target: '/nix/var/nix/profiles/per-user/me/profile' }]);
    expect(finished).toBe(`bwrap --ro-bind / / --tmpfs ${home} --ro-bind ${home}/.nvm ${home}/.nvm --tmpfs /etc/ssh/ssh_config.d --proc /proc --symlink /nix/var/nix/profiles/per-user/me/profile ${home}/.nix-profile --remount-ro ${home} -- /usr/bin/bash -c 'node -- x'`);
    // A line not as expected (the home not hidden there) is left as it is.
    const other = `bwrap --ro-bind / / --proc /proc -- /usr/bin/bash -c 'x'`;
    expect(finishPrivateHome(['/bin/bash', '-c', other], home)).toEqual(['/bin/bash', '-c', other]);
  });

  it('makes again the granted names that lead out of the home folder, not one into what no server may read nor one holding another grant', () => {
    const home = realpathSync(tempDir());
    const outside = realpathSync(tempDir());
    mkdirSync(join(outside, 'store', 'bin'), { recursive: true });
    mkdirSync(join(home, 'dots'));
    symlinkSync(join(outside, 'store'), join(home, '.nix-profile'));
    symlinkSync(join(home, 'dots'), join(home, '.dots-link'));
    symlinkSync(join(outside, 'store'), join(home, '.secret-link'));
    symlinkSync(outside, join(home, '.holder'));
    const granted = [join(home, '.nix-profile'), join(home, '.dots-link'), join(home, '.secret-link'), join(home, '.holder'), join(home, '.holder', 'store')];
    expect(linksOut(granted, home, [join(outside, 'store', 'bin')])).toEqual([]);
    expect(linksOut(granted.slice(0, 2), home, [])).toEqual([{ name: join(home, '.nix-profile'), target: join(outside, 'store') }]);
  });
});
