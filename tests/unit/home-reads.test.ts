import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeReads, type HomeReadInputs } from '../../src/core/sandbox/home-reads';
import { tempDir } from '../helpers/temp-dir';

function fakeHome(files: string[]): string {
  const home = tempDir();
  for (const file of files) {
    mkdirSync(join(home, file, '..'), { recursive: true });
    writeFileSync(join(home, file), 'x');
  }
  return home;
}

const inputs = (home: string, more: Partial<HomeReadInputs> = {}): HomeReadInputs => ({
  home, workspace: '/srv/ws', readHome: false, allowRead: [], writable: [], packageCache: null, command: 'node', args: [], denied: [], ...more,
});

describe('what of the home folder a sandboxed server may read', () => {
  it('by default: the workspace and the runtime places that are there, nothing else', () => {
    const home = fakeHome(['.nvm/nvm.sh', 'Documents/x', '.cache/pip/y']);
    const reads = homeReads(inputs(home));
    expect(reads.home).toBe('private');
    expect(reads.grants).toEqual([{ path: '/srv/ws', from: 'workspace' }, { path: join(home, '.nvm'), from: 'runtime' }, { path: join(home, '.cache'), from: 'runtime' }]);
  });

  it("what its command line names: a folder as it is, a script's program folder, any other file alone, never the home folder itself", () => {
    const home = fakeHome(['Documents/x', 'code/srv/package.json', 'code/srv/build/server.js', 'notes/config.json', 'server.py', 'scripts/run.sh', '.config/.git/HEAD', '.config/srv/server.py']);
    const reads = homeReads(inputs(home, { args: [join(home, 'code/srv/build/server.js'), join(home, 'Documents'), `--config=${join(home, 'notes/config.json')}`, join(home, 'server.py'), join(home, 'scripts/run.sh'), join(home, '.config/srv/server.py'), '~/missing'] }));
    expect(reads.home).toBe('private');
    expect(reads.grants.filter((g) => g.from === 'arguments').map((g) => g.path)).toEqual([
      join(home, 'code/srv'), join(home, 'Documents'), join(home, 'notes/config.json'), join(home, 'server.py'), join(home, 'scripts'), join(home, '.config/srv'),
    ]);
  });

  it('its cwd and relative arguments from there; the PATH\'s folders, a bin folder with what holds it', () => {
    const home = fakeHome(['code/srv/main.py', 'opt/node/bin/node', 'opt/node/lib/x', 'code/bin/tool', 'code/lib/y', '.local/bin/uvx', 'bin/tool']);
    const path = [join(home, 'opt/node/bin'), join(home, 'code/bin'), join(home, '.local/bin'), join(home, 'bin'), '/usr/bin'].join(':');
    const reads = homeReads(inputs(home, { cwd: join(home, 'code/srv'), args: ['main.py'], pathVariable: path }));
    expect(reads.grants).toEqual(expect.arrayContaining([{ path: join(home, 'code/srv'), from: 'arguments' }, { path: join(home, 'opt/node'), from: 'runtime' }, { path: join(home, 'code/bin'), from: 'runtime' }, { path: join(home, '.local/bin'), from: 'runtime' }, { path: join(home, 'bin'), from: 'runtime' }]));
    expect(reads.grants.map((g) => g.path)).not.toContain(join(home, 'code'));
  });

  it('a grant at or inside what no server may read is dropped; one holding it stays, the denial deeper wins', () => {
    const home = fakeHome(['.ssh/id', '.cache/huggingface/token']);
    const denied = [join(home, '.ssh'), join(home, '.cache/huggingface/token')];
    const reads = homeReads(inputs(home, { allowRead: [join(home, '.ssh')], args: [join(home, '.ssh/id')], denied }));
    expect(reads.grants.map((g) => g.path)).toEqual(['/srv/ws', join(home, '.cache')]);
  });

  it('a workspace inside a denied folder (the data folder): a grant inside the workspace stays, one beside it in that folder or at a denial inside the workspace is dropped', () => {
    const home = fakeHome(['data/workspace/docs/a.md', 'data/workspace/keys/k', 'data/mcp.json']);
    const data = join(home, 'data');
    const workspace = join(data, 'workspace');
    const reads = homeReads(inputs(home, { workspace, allowRead: [join(workspace, 'docs'), join(workspace, 'keys'), join(data, 'mcp.json')], denied: [data, join(workspace, 'keys')] }));
    expect(reads.grants.map((g) => g.path)).toEqual([workspace, join(workspace, 'docs')]);
  });

  it('the whole home folder but credentials: readHome, a workspace holding it, an allowRead or arguments naming it', () => {
    const home = fakeHome([]);
    expect(homeReads(inputs(home, { readHome: true })).home).toBe('readHome');
    expect(homeReads(inputs(home, { workspace: home })).home).toBe('workspace');
    expect(homeReads(inputs(home, { allowRead: [home] })).home).toBe('allowRead');
    expect(homeReads(inputs(home, { args: ['-y', 'server-filesystem', home] })).home).toBe('arguments');
    expect(homeReads(inputs(home, { cwd: home })).home).toBe('private');
  });
});
