import { describe, expect, it } from 'vitest';
import { ScopeSchema } from '../../src/shared/domain/security';
import { SCOPE_WORDS } from '../../src/renderer/features/settings/scope-words';

describe('what each API key scope gives, beside its checkbox in Settings', () => {
  it('says it for every scope, and points an MCP client to tools rather than chat', () => {
    expect(Object.keys(SCOPE_WORDS).sort()).toEqual([...ScopeSchema.options].sort());
    expect(SCOPE_WORDS.tools).toContain('for an MCP client');
    expect(SCOPE_WORDS.chat).toContain('read your conversations and memories');
  });
});
