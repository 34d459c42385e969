import { describe, expect, it } from 'vitest';
import { catalogFor } from '../../src/core/auth/catalog-access';
import { fullAccessPrincipal, terminalPrincipal, type Principal } from '../../src/core/auth/scopes';
import { turnedOffServerStatus } from '../../src/core/mcp/server-status';
import type { ToolCatalog } from '../../src/shared/domain/tool-catalog';

const SIGN_IN = 'https://auth.example/authorize?client_id=c&state=s3cr3t-state&code_challenge=x';
const catalog: ToolCatalog = {
  tools: [],
  servers: [{ ...turnedOffServerStatus('notion', { url: 'https://mcp.notion.example/mcp' } as never), enabled: true, state: 'failed', signInUrl: SIGN_IN }],
  problems: [],
  configVersion: 'v',
};
const key = (scopes: Principal['scopes'], patterns?: string[]): Principal => ({
  kind: 'api-key',
  id: 'key:k',
  scopes,
  ...(patterns ? { toolLimit: { holder: 'key "k"', source: 'key', patterns } } : {}),
});

describe('tools.catalog as a caller reads it: a server\'s sign-in link', () => {
  it('is the person\'s (the page, an admin key) and no other key\'s, JWT\'s or command\'s, whose holder could sign the server in to an account of their own', () => {
    expect(catalogFor(undefined, catalog).servers[0]!.signInUrl).toBe(SIGN_IN);
    expect(catalogFor(fullAccessPrincipal('session'), catalog).servers[0]!.signInUrl).toBe(SIGN_IN);
    expect(catalogFor(key(['admin']), catalog).servers[0]!.signInUrl).toBe(SIGN_IN);
    for (const caller of [key(['chat']), key(['tools']), key(['tools'], ['notion.*']), terminalPrincipal()]) {
      const seen = catalogFor(caller, catalog);
      expect(seen.servers.map((server) => server.name)).toEqual(['notion']);
      expect(seen.servers[0]).toMatchObject({ state: 'failed', signInUrl: null });
      expect(JSON.stringify(seen)).not.toContain('s3cr3t-state');
    }
  });
});
