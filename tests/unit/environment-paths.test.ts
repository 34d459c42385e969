import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentPaths, writtenEnvironmentPaths } from '../../src/core/mcp/environment-paths';

describe("the paths a server's env names", () => {
  it('are its values that are one absolute path or ~/…, not lists, URLs, secret references, words, the PATH or CA certificates', () => {
    const env = {
      MEMORY_FILE_PATH: '/home/me/notes/memory.jsonl',
      DB: '~/data/app.db',
      DATA_DIR: ' /srv/data/ ',
      PYTHONPATH: '/a/lib:/b/lib',
      API_URL: 'https://example.org/v1',
      TOKEN_FILE: 'secret:my_token',
      MODE: 'fast',
      RELATIVE: 'data/x.db',
      PATH: '/usr/bin',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem',
    };
    expect(environmentPaths(env)).toEqual([
      { variable: 'MEMORY_FILE_PATH', path: '/home/me/notes/memory.jsonl' },
      { variable: 'DB', path: join(homedir(), 'data/app.db') },
      { variable: 'DATA_DIR', path: '/srv/data' },
    ]);
    expect(environmentPaths(undefined)).toEqual([]);
  });

  it('that it may write leave out what by its name it only reads (settings, keys, certificates) or where a program is installed', () => {
    const env = {
      MEMORY_FILE_PATH: '/n/memory.jsonl', CONFIG_PATH: '/n/config.yaml', SSH_KEY: '/n/id', GOOGLE_APPLICATION_CREDENTIALS: '/n/sa.json', CA_BUNDLE: '/n/ca.pem', SQLITE_DB: '/n/app.db',
      JAVA_HOME: '/usr/lib/jvm/21', PYTHONHOME: '/opt/py', NODE_PATH: '/opt/node/lib', CHROME_BIN: '/usr/bin/chromium', LD_LIBRARY_PATH: '/opt/lib', DATA_DIR: '/srv/data',
    };
    expect(writtenEnvironmentPaths(env).map((e) => e.variable)).toEqual(['MEMORY_FILE_PATH', 'SQLITE_DB', 'DATA_DIR']);
  });
});
