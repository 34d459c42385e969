import { describe, expect, it } from 'vitest';
import { toolAfterApproval } from '../../src/core/tools/tool-after-approval';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import { ToolRegistry } from '../../src/core/tools/tool-registry';
import type { ToolRunner } from '../../src/core/tools/tool-runner';

const runner = (): ToolRunner => ({ run: async () => ({ ok: true, result: null }) }) as unknown as ToolRunner;
const definition = (extra: Partial<ToolDefinition> = {}): ToolDefinition => ({
  name: 'files.write_file', remoteName: 'write_file', server: 'files', description: 'Write a file.', sandboxed: true, offline: true,
  inputSchema: { type: 'object', properties: { path: { type: 'string' } } }, annotations: { destructiveHint: true }, describeCall: () => 'Write', ...extra,
});

describe('toolAfterApproval: the tool a call allowed after its server restarted runs on', () => {
  const asked = { definition: definition(), runner: runner() };

  it("the restarted server's, when it offers the tool as the dialog showed it", () => {
    const registry = new ToolRegistry();
    const restarted = { definition: definition(), runner: runner() };
    registry.register(restarted.definition, restarted.runner);
    expect(toolAfterApproval(registry, asked)).toBe(registry.get('files.write_file'));
  });

  it('the one asked about when the tool is gone, changed, or now runs unsandboxed or online', () => {
    expect(toolAfterApproval(new ToolRegistry(), asked)).toBe(asked);
    for (const changed of [{ description: 'Delete everything.' }, { sandboxed: false }, { offline: false }, { annotations: { readOnlyHint: true } }, { inputSchema: { type: 'object' } }]) {
      const registry = new ToolRegistry();
      registry.register(definition(changed), runner());
      expect(toolAfterApproval(registry, asked), JSON.stringify(changed)).toBe(asked);
    }
  });
});
