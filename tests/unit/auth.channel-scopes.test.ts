import { describe, expect, it } from 'vitest';
import { CHANNEL_SCOPES, EVENT_SCOPES, mayCall, mayReceive, requiredScope } from '../../src/core/auth/channel-scopes';
import { fullAccessPrincipal, hasScope, parseScopes, SCOPES, terminalPrincipal, type Principal } from '../../src/core/auth/scopes';
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../src/shared/api/channels';

const principal = (...scopes: Principal['scopes']): Principal => ({ kind: 'api-key', id: 'key:t', scopes });

describe('every contract channel needs a scope', () => {
  it('maps every request channel and every event channel, and nothing else', () => {
    expect(Object.keys(CHANNEL_SCOPES).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(Object.keys(EVENT_SCOPES).sort()).toEqual([...EVENT_CHANNELS].sort());
    for (const scope of [...Object.values(CHANNEL_SCOPES), ...Object.values(EVENT_SCOPES)]) expect(SCOPES).toContain(scope);
  });

  it.each([
    ['chat.send', 'chat'],
    ['conversations.list', 'chat'],
    ['approvals.decide', 'approve'],
    ['approvals.pending', 'approve'],
    ['traces.spans', 'traces:read'],
    ['secrets.set', 'admin'],
    ['secrets.list', 'admin'],
    ['apiKeys.create', 'admin'],
    ['localApi.set', 'admin'],
    ['tools.call', 'tools'],
    ['prompts.get', 'tools'],
    ['resources.read', 'tools'],
  ])('%s needs %s', (channel, scope) => {
    expect(requiredScope(channel)).toBe(scope);
  });

  it('an unknown channel needs admin (deny by default)', () => {
    expect(requiredScope('nope.nothing')).toBe('admin');
    expect(mayCall(principal('chat', 'approve', 'traces:read', 'traces:content'), 'nope.nothing')).toBe(false);
  });

  it('a chat key cannot approve, read traces or manage secrets; admin can do everything', () => {
    const chat = principal('chat');
    expect(mayCall(chat, 'chat.send')).toBe(true);
    expect(mayCall(chat, 'approvals.decide')).toBe(false);
    expect(mayCall(chat, 'traces.spans')).toBe(false);
    expect(mayCall(chat, 'secrets.set')).toBe(false);
    expect(mayReceive(chat, 'chat.delta')).toBe(true);
    expect(mayReceive(chat, 'approval.requested')).toBe(false);
    for (const channel of REQUEST_CHANNELS) expect(mayCall(principal('admin'), channel)).toBe(true);
    for (const channel of REQUEST_CHANNELS) expect(mayCall(fullAccessPrincipal('session'), channel)).toBe(true);
  });

  it('a tools key (an MCP client) calls tools and reads prompts and resources, nothing of the person; chat implies it', () => {
    const tools = principal('tools');
    for (const channel of ['tools.call', 'prompts.list', 'prompts.get', 'resources.list', 'resources.read']) expect(mayCall(tools, channel)).toBe(true);
    for (const channel of ['conversations.list', 'messages.list', 'memories.list', 'memories.delete', 'search.query', 'chat.send', 'approvals.decide']) expect(mayCall(tools, channel)).toBe(false);
    expect(mayCall(principal('chat'), 'tools.call')).toBe(true);
    expect(hasScope(principal('tools'), 'chat')).toBe(false);
  });

  it('hasScope: traces:read does not imply traces:content', () => {
    expect(hasScope(principal('traces:read'), 'traces:content')).toBe(false);
    expect(hasScope(principal('traces:content'), 'traces:content')).toBe(true);
    expect(hasScope(null, 'chat')).toBe(false);
  });

  it('parseScopes refuses unknown names instead of dropping them', () => {
    expect(parseScopes(['chat', 'chat', 'approve'])).toEqual(['chat', 'approve']);
    expect(() => parseScopes(['chat', 'root'])).toThrow(/Unknown scope "root"/);
  });
});

describe('handlers can ask for the caller’s scope (e.g. trace content)', () => {
  it('sees the principal of the call it serves, and in-process calls act as the person', async () => {
    const { dispatchAuthorized } = await import('../../src/core/auth/authorized-dispatch');
    const { callerHasScope, currentPrincipal } = await import('../../src/core/auth/request-principal');
    const seen: boolean[] = [];
    const handlers = { 'traces.spans': async () => (seen.push(callerHasScope('traces:content')), []) } as never;
    const traceId = '0'.repeat(32);
    await dispatchAuthorized(handlers, principal('traces:read'), 'traces.spans', { traceId });
    await dispatchAuthorized(handlers, principal('traces:read', 'traces:content'), 'traces.spans', { traceId });
    await dispatchAuthorized(handlers, principal('admin'), 'traces.spans', { traceId });
    expect(seen).toEqual([false, true, true]);
    expect(currentPrincipal()).toBeUndefined();
    expect(callerHasScope('traces:content')).toBe(true);
  });
});

describe('the terminal (a portcullis command beside the running app)', () => {
  it('asks what the same command does alone (policy explain, tools approve|reject|import), never the approvals nor the rest of admin', () => {
    const terminal = terminalPrincipal();
    for (const channel of ['tools.call', 'chat.send', 'policy.explain', 'tools.approveChange', 'tools.rejectChange', 'tools.importSources', 'tools.importServers']) {
      expect([channel, mayCall(terminal, channel)]).toEqual([channel, true]);
    }
    for (const channel of ['approvals.decide', 'approvals.pending', 'policy.rules.revoke', 'secrets.list', 'tools.saveMcpConfig', 'apiKeys.create', 'data.deleteAll', 'nope.nothing']) {
      expect([channel, mayCall(terminal, channel)]).toEqual([channel, false]);
    }
    // A key with chat alone does not reach them: they are the terminal's, as the command alone.
    expect(mayCall(principal('chat'), 'tools.approveChange')).toBe(false);
    // `tools keep-stopped`: of tools.controlServer, only the decline (keep a waiting server stopped); the rest stays admin's.
    expect(mayCall(terminal, 'tools.controlServer', { name: 'downloader', action: 'decline' })).toBe(true);
    for (const action of ['restart', 'enable', 'disable', 'signOut', 'Decline', undefined]) {
      expect([action, mayCall(terminal, 'tools.controlServer', { name: 'downloader', action })]).toEqual([action, false]);
    }
    expect(mayCall(terminal, 'tools.controlServer')).toBe(false);
    expect(mayCall(principal('chat'), 'tools.controlServer', { name: 'downloader', action: 'decline' })).toBe(false);
  });
});
