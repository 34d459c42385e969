import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npxPackages, packageLauncher, type UserNpmConfig } from '../../src/core/sandbox/package-launcher';

const noNpmrc: UserNpmConfig = { file: '/home/ada/.npmrc', text: null, env: {} };

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
    const launcher = packageLauncher('files', { command: '/usr/bin/npx', args: ['-y', 'srv'], env: { npm_config_registry: 'https://npm.corp.example/' } }, '/data', () => noNpmrc)!;
    expect(launcher.cacheFolder).toBe(join('/data', 'cache', 'mcp-servers', 'files'));
    expect(launcher.env).toMatchObject({ npm_config_cache: join(launcher.cacheFolder, 'npm'), npm_config_offline: 'true' });
    expect(launcher.fetch).toMatchObject({
      command: '/usr/bin/npx',
      args: ['--yes', '--package', 'srv', '--call', ':'],
      registryHosts: ['npm.corp.example'],
      reads: [],
      env: { npm_config_ignore_scripts: 'true', npm_config_script_shell: '/bin/sh', npm_config_registry: 'https://npm.corp.example/' },
    });
  });

  it('uses the public registry when the env names none, or only a secret reference', () => {
    const launcher = packageLauncher('s', { command: 'npx', args: ['srv'], env: { npm_config_registry: 'secret:registry' } }, '/data', () => noNpmrc)!;
    expect(launcher.fetch?.registryHosts).toEqual(['registry.npmjs.org']);
    expect(launcher.fetch?.env).not.toHaveProperty('npm_config_registry');
  });

  it("follows the user's npmrc: its registries (scoped ones too), its token variables, read by the fetch step alone", () => {
    const user: UserNpmConfig = {
      file: '/home/ada/.npmrc',
      text: 'registry=https://npm.corp.example/\n@acme:registry=https://acme.pkgs.example/npm/\n//npm.corp.example/:_authToken=${NPM_TOKEN}\n',
      env: { NPM_TOKEN: 'token-from-env', OTHER_SECRET: 'not-named' },
    };
    const fetch = packageLauncher('s', { command: 'npx', args: ['@acme/srv'] }, '/data', () => user)!.fetch!;
    expect(fetch.registryHosts).toEqual(['npm.corp.example', 'acme.pkgs.example']);
    expect(fetch.env).toMatchObject({ NPM_TOKEN: 'token-from-env', npm_config_userconfig: '/home/ada/.npmrc' });
    expect(fetch.env).not.toHaveProperty('OTHER_SECRET');
    expect(fetch.reads).toEqual(['/home/ada/.npmrc']);
    // The server's own run gets neither the token nor the npmrc.
    expect(packageLauncher('s', { command: 'npx', args: ['@acme/srv'] }, '/data', () => user)!.env).not.toHaveProperty('NPM_TOKEN');
  });

  it('gives uvx a cache of its own, and leaves other commands alone', () => {
    expect(packageLauncher('py', { command: 'uvx', args: ['mcp-server-git'] }, '/data', () => noNpmrc)).toMatchObject({ env: { UV_CACHE_DIR: join('/data', 'cache', 'mcp-servers', 'py', 'uv') } });
    expect(packageLauncher('py', { command: 'uvx', args: ['mcp-server-git'] }, '/data', () => noNpmrc)?.fetch).toBeUndefined();
    // The user's npmrc is read for npx servers only.
    const unread = (): never => {
      throw new Error('the npmrc was read for a server that is not npx');
    };
    expect(packageLauncher('n', { command: 'node', args: ['server.js'] }, '/data', unread)).toBeNull();
    expect(packageLauncher('py', { command: 'uvx', args: ['mcp-server-git'] }, '/data', unread)).not.toBeNull();
  });
});
