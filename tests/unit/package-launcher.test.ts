import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npxPackages, packageLauncher } from '../../src/core/sandbox/package-launcher';

describe('npxPackages: what an npx command line runs', () => {
  it.each([
    [['-y', '@modelcontextprotocol/server-filesystem', '/home/me/notes'], ['@modelcontextprotocol/server-filesystem']],
    [['--yes', 'mcp-server@1.2.3'], ['mcp-server@1.2.3']],
    [['@scope/server'], ['@scope/server']],
    [['-y', '--package', 'a', '--package=b@2', 'a-cli', '--flag'], ['a', 'b@2']],
    [['-p', 'tool', 'tool-bin'], ['tool']],
    [['-y', '--', 'server', '--port', '1'], ['server']],
  ])('%j runs %j', (args, packages) => {
    expect(npxPackages(args)).toEqual(packages);
  });

  it.each([[['-y']], [['-c', 'echo hi']], [['--call=echo hi']], [['-p']], [[]]])('%j names nothing it can fetch', (args) => {
    expect(npxPackages(args)).toBeNull();
  });
});

describe('packageLauncher', () => {
  it('fetches an npx server from the registry its env names, with install scripts off, and runs it offline', () => {
    const launcher = packageLauncher('files', { command: '/usr/bin/npx', args: ['-y', 'srv'], env: { npm_config_registry: 'https://npm.corp.example/' } }, '/data')!;
    expect(launcher.cacheFolder).toBe(join('/data', 'cache', 'mcp-servers', 'files'));
    expect(launcher.env).toMatchObject({ npm_config_cache: join(launcher.cacheFolder, 'npm'), npm_config_offline: 'true' });
    expect(launcher.fetch).toMatchObject({
      command: '/usr/bin/npx',
      args: ['--yes', '--package', 'srv', '--', 'node', '-e', ''],
      registryHost: 'npm.corp.example',
      env: { npm_config_ignore_scripts: 'true', npm_config_registry: 'https://npm.corp.example/' },
    });
  });

  it('uses the public registry when the env names none, or only a secret reference', () => {
    const launcher = packageLauncher('s', { command: 'npx', args: ['srv'], env: { npm_config_registry: 'secret:registry' } }, '/data')!;
    expect(launcher.fetch?.registryHost).toBe('registry.npmjs.org');
  });

  it('gives uvx a cache of its own, and leaves other commands alone', () => {
    expect(packageLauncher('py', { command: 'uvx', args: ['mcp-server-git'] }, '/data')).toMatchObject({ env: { UV_CACHE_DIR: join('/data', 'cache', 'mcp-servers', 'py', 'uv') } });
    expect(packageLauncher('py', { command: 'uvx', args: ['mcp-server-git'] }, '/data')?.fetch).toBeUndefined();
    expect(packageLauncher('n', { command: 'node', args: ['server.js'] }, '/data')).toBeNull();
  });
});
