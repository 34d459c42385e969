import { describe, expect, it } from 'vitest';
import type { GrantChange } from '../../src/shared/domain/grant-change';
import { grantChangeWords } from '../../src/shared/grant-change-words';

const change = (fields: Partial<GrantChange> & Pick<GrantChange, 'change' | 'granted'>): GrantChange => ({ seq: 1, at: 0, server: 'notes', whileClosed: false, ...fields });

describe("grantChangeWords: a change of a grant as Tools & servers' Grant history says it", () => {
  it('says what was allowed, and what is no longer allowed, of a server or of http.fetch', () => {
    expect(grantChangeWords(change({ change: 'server', granted: true }))).toBe('Server "notes" added');
    expect(grantChangeWords(change({ change: 'server', granted: false }))).toBe('Server "notes" removed');
    expect(grantChangeWords(change({ change: 'sandbox', granted: true }))).toBe('Server "notes" runs without its sandbox');
    expect(grantChangeWords(change({ change: 'sandbox', granted: false }))).toBe('Server "notes" runs in its sandbox again');
    expect(grantChangeWords(change({ change: 'trustedOutput', granted: true }))).toBe('Server "notes": its output counts as trusted');
    expect(grantChangeWords(change({ change: 'folder', granted: true, value: '/home/me/notes' }))).toBe('Server "notes" may write to /home/me/notes');
    expect(grantChangeWords(change({ change: 'folder', granted: false, value: '/home/me/notes' }))).toBe('Server "notes" may no longer write to /home/me/notes');
    expect(grantChangeWords(change({ change: 'readFolder', granted: true, value: '~/papers' }))).toBe('Server "notes" may read ~/papers');
    expect(grantChangeWords(change({ change: 'readHome', granted: true }))).toBe('Server "notes" may read your whole home folder but credentials');
    expect(grantChangeWords(change({ change: 'readHome', granted: false }))).toBe('Server "notes": your home folder is private to it again');
    expect(grantChangeWords(change({ change: 'sshAgent', granted: true }))).toBe('Server "notes" may use your SSH agent (it signs with your keys)');
    expect(grantChangeWords(change({ change: 'sshAgent', granted: false }))).toBe('Server "notes" may no longer use your SSH agent');
    const { server: _server, ...fetch } = change({ change: 'domain', granted: false, value: 'example.com', tool: 'http.fetch' });
    expect(grantChangeWords(fetch)).toBe('http.fetch may no longer reach example.com');
  });
});
