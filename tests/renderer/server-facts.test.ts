import { describe, expect, it } from 'vitest';
import type { McpServerStatusInfo } from '../../src/shared/domain/tool-catalog';
import { serverFacts } from '../../src/renderer/features/tools/server-facts';

const server = (fields: Partial<McpServerStatusInfo>) =>
  ({ name: 'weather', state: 'connected', toolCount: 1, offers: [], sandboxed: true, outputTrusted: false, ...fields }) as McpServerStatusInfo;

describe("a server's row, after its name", () => {
  it('counts one tool in the singular, and says how many of them are held back', () => {
    expect(serverFacts(server({}), 0)).toBe('Connected · 1 tool · sandboxed');
    expect(serverFacts(server({}), 1)).toBe('Connected · 1 tool, 1 held back · sandboxed');
    expect(serverFacts(server({ toolCount: 17, offers: ['prompts', 'resources'], sandboxed: false }), 0)).toBe(
      'Connected · 17 tools · prompts and resources (type / in the chat) · not sandboxed: every tool asks',
    );
    expect(serverFacts(server({ state: 'failed', toolCount: 0, sandboxed: null }), 0)).toBe('Failed · 0 tools');
  });

  it("says that a server down since it ran has its last start's tools listed, none usable, where it read \"Failed · 10 tools\"", () => {
    expect(serverFacts(server({ state: 'failed', toolCount: 10, transport: 'stdio' }), 0)).toBe('Failed · 10 tools, unavailable until it starts again · sandboxed');
    expect(serverFacts(server({ state: 'starting', toolCount: 1, transport: 'http', sandboxed: false }), 0)).toBe(
      'Starting… · 1 tool, unavailable until it connects again · not sandboxed: every tool asks',
    );
  });
});

describe('a server its sandbox refused a host as it started', () => {
  it('says it waits for your decision on that host, not that it failed (it is not restarted until you decide)', () => {
    const waiting = server({ state: 'failed', toolCount: 0, waitingForDomains: ['downloads.example.org'] });
    expect(serverFacts(waiting, 0)).toBe('Waiting for your decision on downloads.example.org · 0 tools · sandboxed');
    expect(serverFacts(server({ state: 'failed', toolCount: 0, waitingForDomains: [] }), 0)).toBe('Failed · 0 tools · sandboxed');
    // Started again with the grant: the decision is behind it.
    expect(serverFacts(server({ state: 'starting', toolCount: 0, waitingForDomains: ['downloads.example.org'] }), 0)).toBe('Starting… · 0 tools · sandboxed');
  });
});
