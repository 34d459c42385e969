import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock';
import { createGovernance } from '../../src/core/runtime/create-governance';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationGrantStore } from '../../src/core/storage/stores/conversation-grant-store';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { ArgumentValidator } from '../../src/core/tools/argument-validator';
import { builtinFsTools } from '../../src/core/tools/builtin-fs-tools';
import { tempDir } from '../helpers/temp-dir';

describe('taint in a long conversation', () => {
  it('each decision names the few most recent sources, and its audit entry does not grow with the conversation', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'portcullis.db'));
    new ConversationStore(db).create({ id: 'c1', title: 'long', createdAt: 0, updatedAt: 0 });
    const grants = new ConversationGrantStore(db);
    // A rule that would let the write run: only the taint makes it ask.
    const policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, 'version: 1\nrules:\n  - id: allow.notes\n    effect: allow\n    reason: Notes are fine.\n    match: { tool: fs.write }\n');
    const governance = createGovernance({ db, clock: systemClock, validator: new ArgumentValidator(), workspace: dir, policyFile, grants });
    const write = builtinFsTools.find((tool) => tool.name === 'fs.write')!;
    const decide = (n: number) =>
      governance.policy.evaluate({ tool: write, arguments: { path: 'notes.md', content: 'x' }, server: 'builtin', conversationId: 'c1', toolCallId: `write-${n}` });

    const taintFrom = (from: number, to: number) => {
      for (let i = from; i < to; i++) grants.addTaint('c1', { toolName: 'web.fetch', toolCallId: `fetch-${i}`, description: `web content from site${i % 5}.example`, at: i });
    };
    taintFrom(0, 10);
    const early = decide(1);
    taintFrom(10, 2_000);
    const late = decide(2);

    for (const decision of [early, late]) {
      expect(decision).toMatchObject({ effect: 'ask', ruleId: 'taint.override' });
      // The three most recent distinct sources (the last call was site4, then site3, site2), not all 2,000.
      expect(decision.reason).toContain('web content from site4.example; web content from site3.example; web content from site2.example');
      expect(decision.reason).not.toContain('site1.example');
    }
    expect(late.reason).toBe(early.reason);
    const entries = governance.audit.entries().filter((e) => e.kind === 'policy.decision');
    expect(entries).toHaveLength(2);
    expect(JSON.stringify(entries[1]!.data).length).toBe(JSON.stringify(entries[0]!.data).length);
    expect(entries[1]!.data).toMatchObject({ tainted: true });
    // The whole list is still there for the fencing of untrusted output.
    expect(governance.taint.untrustedCalls('c1').size).toBe(2_000);
    db.close();
  });
});
