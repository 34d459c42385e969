import { describe, expect, it } from 'vitest';
import { grantsWidenedNotice } from '../../src/core/runtime/grants-widened-notice';

const granted = (data: object) => ({ kind: 'sandbox.granted' as const, data: { ...data, while: 'Portcullis was not running' } });

describe('grantsWidenedNotice: what a start says of more granted while Portcullis was not running', () => {
  it('names each grant in words, says nothing of what was taken back, and nothing at all when nothing was granted', () => {
    expect(grantsWidenedNotice([{ file: 'mcp.json', entries: [granted({ server: 'notes', trustedOutput: true })] }])?.message).toBe(
      'While Portcullis was not running, mcp.json was changed: the server "notes" has its output counted as trusted. If you did not make this change, undo it on Tools & servers. It is in the audit log: Tools & servers → Grant history, or "portcullis audit list sandbox".',
    );
    const revoked = { kind: 'sandbox.revoked' as const, data: { server: 'files', domain: 'a.example' } };
    expect(grantsWidenedNotice([{ file: 'mcp.json', entries: [revoked] }, { file: 'http-fetch.json', entries: [] }])).toBeNull();
    expect(grantsWidenedNotice([{ file: 'mcp.json', entries: [revoked, granted({ server: 'files', domain: 'b.example' })] }])?.message).toMatch(
      /^While Portcullis was not running, mcp.json was changed: the server "files" may reach b\.example\. If you did not make this change/,
    );
  });

  it('says each server once, with all it was granted', () => {
    const entries = [granted({ server: 'notes', added: true }), granted({ server: 'notes', folder: '/home/me/notes' }), granted({ server: 'web', domain: 'a.example' }), granted({ server: 'notes', domain: 'b.example' })];
    expect(grantsWidenedNotice([{ file: 'mcp.json', entries }])?.message).toMatch(
      /^While Portcullis was not running, mcp.json was changed: the server "notes" was added, may write to \/home\/me\/notes and may reach b\.example and the server "web" may reach a\.example\. If you did not make these changes/,
    );
  });

  it('says a folder a server may read and the whole home folder given to one', () => {
    const entries = [granted({ server: 'notes', readFolder: '~/papers' }), granted({ server: 'shell', readHome: true })];
    expect(grantsWidenedNotice([{ file: 'mcp.json', entries }])?.message).toMatch(/the server "notes" may read ~\/papers and the server "shell" may read your whole home folder\./);
  });

  it('names five grants, those of one kind to one server in one phrase, and counts the rest, which the audit log lists', () => {
    const domains = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => granted({ tool: 'http.fetch', domain: `${name}.example` }));
    expect(grantsWidenedNotice([{ file: 'mcp.json', entries: [granted({ server: 'shell', sandbox: false })] }, { file: 'http-fetch.json', entries: domains }])?.message).toBe(
      'While Portcullis was not running, mcp.json was changed: the server "shell" runs without its sandbox; http-fetch.json was changed: http.fetch may reach a.example, b.example, c.example and d.example (and 3 more grants). If you did not make these changes, undo them on Tools & servers. Each is in the audit log: Tools & servers → Grant history, or "portcullis audit list sandbox".',
    );
  });

  it('spells out the control and bidirectional characters a file edited behind the person\'s back may put in a name or folder, so the terminal\'s line is not cleared nor the name reversed', () => {
    const entries = [granted({ server: 'x\r\u001b[2Knotes', added: true }), granted({ server: 'web', folder: '/home/me/\u202egnp.sgat' }), granted({ server: 'web', domain: 'evil.example\u001b[8m' })];
    const message = grantsWidenedNotice([{ file: 'mcp.json', entries }])!.message;
    // eslint-disable-next-line no-control-regex
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(message).toContain('the server "x\\u000d\\u001b[2Knotes" was added; the server "web" may write to /home/me/\\u202egnp.sgat and may reach evil.example\\u001b[8m'.split('; ')[0]);
    expect(message).toContain('may write to /home/me/\\u202egnp.sgat and may reach evil.example\\u001b[8m');
  });
});
