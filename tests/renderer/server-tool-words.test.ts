import { describe, expect, it } from 'vitest';
import { serverToolWords } from '../../src/renderer/features/approvals/server-tool-words';

describe("an MCP tool's own words in the approval dialog", () => {
  it("gives its server's title and description, to be shown labelled as the server's", () => {
    expect(serverToolWords({ server: 'notes', annotations: { title: 'Read notes' }, serverDescription: 'Reads your notes.' })).toEqual({ title: 'Read notes', description: 'Reads your notes.' });
    expect(serverToolWords({ server: 'notes', annotations: {}, serverDescription: 'Reads your notes.' })).toEqual({ title: null, description: 'Reads your notes.' });
  });

  it('has nothing to show for a built-in tool, or a tool that says nothing', () => {
    expect(serverToolWords({ server: 'builtin', annotations: { title: 'Write' }, serverDescription: 'Writes a file.' })).toBeNull();
    expect(serverToolWords({ annotations: {} })).toBeNull();
    expect(serverToolWords({ server: 'notes', annotations: { title: '  ' }, serverDescription: '' })).toBeNull();
  });

  it('spells out invisible characters, so that its text cannot pass for other text, and cuts a long description', () => {
    const words = serverToolWords({ server: 'notes', annotations: { title: 'Read\u202eetirw' }, serverDescription: 'x'.repeat(2_000) });
    expect(words?.title).toBe('Read\\u202eetirw');
    expect(words?.description?.length).toBeLessThanOrEqual(600);
    expect(words?.description?.endsWith('…')).toBe(true);
  });
});
