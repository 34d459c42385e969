import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRequest } from '../../src/core/model/model-provider';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import type { ScriptStep } from './scripted-model';

/** A server's tool that stays local by its annotations (read-only, not open-world): what it returns is still its server's words. */
export const lookupTool: ToolDefinition = {
  name: 'lookup.search',
  description: 'Look something up.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { title: 'Search', readOnlyHint: true, openWorldHint: false },
  server: 'lookup',
  sandboxed: true,
  describeCall: () => 'Look it up',
};

/** A policy whose one rule lets fs.write run anywhere in the workspace without asking: only taint can make it ask. */
export function allowWritesPolicy(dataDir: string): void {
  writeFileSync(join(dataDir, 'policy.yaml'), [
    'version: 1',
    'rules:',
    '  - { id: allow.writes, effect: allow, reason: writes are fine, match: { tool: fs.write, args: { path: { within: ["${workspace}"] } } } }',
  ].join('\n'));
}

/** A model step that does what the injection says (writes pwned.txt), keeping the last tool message it was sent. */
export function obeyingStep(): { step: (request: ModelRequest) => ScriptStep; seen: () => string } {
  let seen = '';
  return {
    step: (request) => {
      seen = [...request.messages].reverse().find((m) => m.role === 'tool')?.content ?? '';
      return { calls: [{ name: 'fs.write', arguments: { path: 'pwned.txt', content: 'x' } }] };
    },
    seen: () => seen,
  };
}
