import { describe, expect, it } from 'vitest';
import { grantChanges } from '../../src/core/mcp/mcp-grant-audit';

const files = { command: 'mcp-server-filesystem', args: ['/home/me/notes'] };

describe("grantChanges: what a new version of mcp.json grants or takes back, for the audit chain", () => {
  it('records trust, domains and folders added and taken away, and nothing for an unchanged server', () => {
    const before = { files: { ...files, sandbox: { allowedDomains: ['a.example'], allowWrite: ['/home/me/notes'] } } };
    const after = { files: { ...files, trustedOutput: true, sandbox: { allowedDomains: ['b.example'], allowWrite: ['/home/me/notes'] } } };
    expect(grantChanges(before, after)).toEqual([
      { kind: 'sandbox.granted', data: { server: 'files', trustedOutput: true } },
      { kind: 'sandbox.granted', data: { server: 'files', domain: 'b.example' } },
      { kind: 'sandbox.revoked', data: { server: 'files', domain: 'a.example' } },
    ]);
    expect(grantChanges(after, { files: { ...after.files, timeoutMs: 20_000 } })).toEqual([]);
  });

  it('records a sandbox turned off as a grant and on again as its return, without reading its lists as taken away', () => {
    const sandboxed = { files: { ...files, sandbox: { allowedDomains: ['a.example'] } } };
    const unsandboxed = { files: { ...files, sandbox: false } };
    expect(grantChanges(sandboxed, unsandboxed)).toEqual([{ kind: 'sandbox.granted', data: { server: 'files', sandbox: false } }]);
    expect(grantChanges(unsandboxed, sandboxed)).toEqual([{ kind: 'sandbox.revoked', data: { server: 'files', sandbox: true } }]);
    // Added unsandboxed, or removed with its grants.
    expect(grantChanges({}, unsandboxed)).toEqual([{ kind: 'sandbox.granted', data: { server: 'files', added: true } }, { kind: 'sandbox.granted', data: { server: 'files', sandbox: false } }]);
    expect(grantChanges(sandboxed, {})).toEqual([{ kind: 'sandbox.revoked', data: { server: 'files', removed: true } }, { kind: 'sandbox.revoked', data: { server: 'files', domain: 'a.example' } }]);
  });

  it("records a folder it may read (allowRead) and the whole home folder (readHome) given and taken back", () => {
    const before = { files: { ...files, sandbox: { allowRead: ['~/papers'] } } };
    const after = { files: { ...files, sandbox: { allowRead: ['~/notes'], readHome: true } } };
    expect(grantChanges(before, after)).toEqual([
      { kind: 'sandbox.granted', data: { server: 'files', readHome: true } },
      { kind: 'sandbox.granted', data: { server: 'files', readFolder: '~/notes' } },
      { kind: 'sandbox.revoked', data: { server: 'files', readFolder: '~/papers' } },
    ]);
    expect(grantChanges(after, before)).toContainEqual({ kind: 'sandbox.revoked', data: { server: 'files', readHome: false } });
  });

  it('records the SSH agent given to a server (sshAgent) and taken back', () => {
    const agent = { files: { ...files, sandbox: { sshAgent: true } } };
    expect(grantChanges({ files }, agent)).toEqual([{ kind: 'sandbox.granted', data: { server: 'files', sshAgent: true } }]);
    expect(grantChanges(agent, { files })).toEqual([{ kind: 'sandbox.revoked', data: { server: 'files', sshAgent: false } }]);
  });

  it('records a server added with nothing granted, since its code runs and its first tools are trusted on first use', () => {
    expect(grantChanges({}, { files })).toEqual([{ kind: 'sandbox.granted', data: { server: 'files', added: true } }]);
    expect(grantChanges({ files }, {})).toEqual([{ kind: 'sandbox.revoked', data: { server: 'files', removed: true } }]);
    expect(grantChanges({ files }, { files: { ...files, args: ['/elsewhere'] } })).toEqual([]);
  });
});
