import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import type { ToolRunner } from '../../src/core/tools/tool-runner';

/** A tool (for `extraTools`) whose call runs until the test lets it finish: `began` once a call runs, `finish()` to end it. */
export function gatedTool(name: string): { definition: ToolDefinition; runner: ToolRunner; began: Promise<void>; finish: () => void } {
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let began: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (began = resolve));
  const definition: ToolDefinition = {
    name,
    description: 'Waits until the test lets it finish.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: { title: 'Wait', readOnlyHint: true, openWorldHint: false },
    server: name.split('.')[0]!,
    sandboxed: true,
    describeCall: () => 'Wait',
  };
  return { definition, runner: { run: async () => (began(), await finished, { ok: true, result: { done: true } }), dispose() {} }, began: running, finish };
}
