import { describe, expect, it } from 'vitest';
import { protocolErrorOutcome } from '../../src/core/mcp/protocol-error-outcome';

/** A schema's refusal as the SDK words it: many lines of JSON. */
const zodWords = JSON.stringify([{ expected: 'number', code: 'invalid_type', path: ['params', 'progress'], message: 'Invalid input: expected number, received string' }], null, 2);

describe('what an error reported on a connected client means', () => {
  it('drops a notification whose params break its schema, saying so in one line, where the connection ended for it', () => {
    expect(protocolErrorOutcome(new Error(`Uncaught error in notification handler: ${zodWords}`), false)).toEqual({
      kind: 'dropped',
      note: 'dropped a notification of the server\'s that does not follow MCP ([ { "expected": "number", "code": "invalid_type", "path": [ "params", "progress" ], "message": "Invalid input: expected number, received string" } ])',
    });
  });

  it('quotes malformed JSON-RPC on one line and at most 300 characters', () => {
    const outcome = protocolErrorOutcome(new Error(`${zodWords}\n${'x'.repeat(1_000)}`), false);
    expect(outcome.kind).toBe('ends');
    const { reason } = outcome as { reason: string };
    expect(reason).toMatch(/^it sent malformed JSON-RPC \(\[ \{ "expected": "number", .*…\)$/);
    expect(reason).not.toContain('\n');
    expect(reason.length).toBeLessThan(340);
  });
});
