import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { CallerConversations, mcpCallerKey } from '../../src/core/tools/caller-conversations';
import type { DirectCaller } from '../../src/core/tools/direct-tool-call';
import { tempDir } from '../helpers/temp-dir';

const caller: DirectCaller = { title: 'fs.read · local API (key "backup")', author: 'Local API (key "backup")', callerName: 'backup · API key', request: 'tools.call fs.read {}', note: '…' };

describe('CallerConversations', () => {
  it("gives a caller's calls of one day one conversation, titled by the caller (its own name first) and day; the next day a new one", () => {
    const settings = new SettingsStore(openDatabase(join(tempDir(), 'portcullis.db')));
    let now = new Date(2026, 10, 25, 9, 0).getTime();
    const byCaller = new CallerConversations(settings, { now: () => now });

    const first = byCaller.shared('api-key:k1', caller);
    expect(first).toMatchObject({ title: 'backup · API key · 25 Nov', sharesConversation: true, callerOfTheDay: 'backup' });
    expect(first.conversationId).toBeUndefined();
    first.onConversation!('c1');
    expect(byCaller.shared('api-key:k1', caller).conversationId).toBe('c1');
    // Another caller: its own.
    expect(byCaller.shared('api-key:k2', caller).conversationId).toBeUndefined();

    // The next day: a new one, and yesterday's are let go once it is written down.
    now = new Date(2026, 10, 26, 0, 5).getTime();
    const tomorrow = byCaller.shared('api-key:k1', caller);
    expect(tomorrow).toMatchObject({ title: 'backup · API key · 26 Nov' });
    expect(tomorrow.conversationId).toBeUndefined();
    tomorrow.onConversation!('c2');
    expect(byCaller.shared('api-key:k1', caller).conversationId).toBe('c2');
  });

  it("keeps two MCP clients apart whose credential and name joined alike (a JWT's subject with ':' in it)", () => {
    expect(mcpCallerKey({ kind: 'jwt', id: 'jwt:repo:a', scopes: ['tools'] }, 'b:Cursor')).not.toBe(mcpCallerKey({ kind: 'jwt', id: 'jwt:repo:a:b', scopes: ['tools'] }, 'Cursor'));
    // One client's sessions still share theirs, whatever its name's spacing.
    expect(mcpCallerKey({ kind: 'api-key', id: 'key:k1', scopes: ['tools'] }, 'Claude Code')).toBe(mcpCallerKey({ kind: 'api-key', id: 'key:k1', scopes: ['tools'] }, 'claude-code'));
  });

  it('titles a caller without a name of its own (the terminal) by its author', () => {
    const settings = new SettingsStore(openDatabase(join(tempDir(), 'portcullis.db')));
    const byCaller = new CallerConversations(settings, { now: () => new Date(2026, 10, 25, 9, 0).getTime() });
    expect(byCaller.shared('terminal', { title: 'Direct call: fs.read', author: 'Terminal', request: 'portcullis tools call fs.read', note: '…' })).toMatchObject({ title: 'Terminal · 25 Nov', callerOfTheDay: 'Terminal' });
  });
});
