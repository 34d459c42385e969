import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

describe('trace context reaches MCP servers', () => {
  it('sends the W3C traceparent of the request span in params._meta, in the same trace as the call', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer, '--log', join(dataDir, 'chaos.log')], sandbox: false } });
    const { runtime } = startTestRuntime({ dataDir, approvalGate: new FixedApprovalGate('all') });
    // Servers connect in the background; wait until the tool is registered.
    for (let waited = 0; !runtime.listTools().some((t) => t.name === 'chaos.trace_context'); waited += 25) {
      if (waited > 15_000) throw new Error('the chaos server never connected');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const { record, traceId } = await runtime.callTool('chaos.trace_context', {});
    expect(record.status, JSON.stringify(record.error)).toBe('succeeded');
    const text = JSON.stringify(record.result);
    const match = /traceparent: 00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]/.exec(text);
    expect(match, text).not.toBeNull();
    expect(match![1]).toBe(traceId);
    // The server received the request's own span: an MCP client span inside the call's sandbox span.
    const spans = await runtime.handlers['traces.spans']({ traceId });
    const request = spans.find((s) => s.spanId === match![2]);
    expect(request).toMatchObject({
      name: 'tools/call trace_context',
      kind: 'mcp',
      attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'trace_context', 'network.transport': 'pipe', 'portcullis.mcp.server': 'chaos' },
    });
    expect(spans.find((s) => s.spanId === request!.parentSpanId)?.name).toBe('sandbox chaos.trace_context');
  });
});
