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
