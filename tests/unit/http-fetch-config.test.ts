import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHttpFetchConfig } from '../../src/core/tools/http-fetch-config';
import { tempDir } from '../helpers/temp-dir';

describe('http-fetch.json that is not JSON', () => {
  it('says where the mistake is, as mcp.json\'s is said, not JSON.parse\'s quote of the file (line breaks and all)', () => {
    const file = join(tempDir(), 'http-fetch.json');
    writeFileSync(file, '{\n  "allowedDomains": ["example.com",]\n}\n');
    expect(loadHttpFetchConfig(file).problem).toBe(`${file} is not valid JSON (line 2 ends its last entry with a comma before the ], which JSON does not allow: remove it); http.fetch allows no domain until it is fixed.`);
    writeFileSync(file, 'nope\n');
    const { problem, config } = loadHttpFetchConfig(file);
    expect(problem).toMatch(/^\S+ is not valid JSON \(it holds an unexpected character\); http\.fetch allows no domain until it is fixed\.$/);
    expect(config.allowedDomains).toEqual([]);
  });
});

describe('http-fetch.json naming a host http.fetch never reaches', () => {
  it('leaves that entry out with a warning naming it, the rest of the list allowed', () => {
    const file = join(tempDir(), 'http-fetch.json');
    writeFileSync(file, JSON.stringify({ allowedDomains: ['example.org', 'LocalHost', '*.local', '127.0.0.1'], maxBytes: 5000 }));
    const { config, problem, warning } = loadHttpFetchConfig(file);
    expect(problem).toBeNull();
    expect(config).toEqual({ allowedDomains: ['example.org'], maxBytes: 5000 });
    expect(warning).toBe(
      `${file}: "LocalHost" in allowedDomains is left out: localhost names this computer; ${never} ` +
        `"*.local" in allowedDomains is left out: *.local is a local-network name (.local); ${never} ` +
        '"127.0.0.1" in allowedDomains is left out: 127.0.0.1 is an IP address; http.fetch reaches domain names only, never addresses. Take them out of the file.',
    );
    writeFileSync(file, JSON.stringify({ allowedDomains: ['example.org', 'docs.localhost.example.com'] }));
    expect(loadHttpFetchConfig(file)).toEqual({ config: { allowedDomains: ['example.org', 'docs.localhost.example.com'] }, problem: null, warning: null });
  });
});

const never = 'http.fetch never reaches this computer or the local network (their addresses are refused, so a page or a model cannot reach the services inside), so it would let nothing through.';
