import { describe, expect, it } from 'vitest';
import { takingTurns } from '../../src/core/mcp/fetch-turns';
import { protocolErrorOutcome } from '../../src/core/mcp/protocol-error-outcome';

/** A fetch whose answers wait until `answer` is called, counting the requests it was given. */
function heldFetch() {
  const pending: Array<() => void> = [];
  const fetch = (_url: string | URL) => new Promise<Response>((resolve) => pending.push(() => resolve(new Response(null, { status: 202 }))));
  return { fetch, pending, answer: () => pending.shift()!() };
}

/** Portcullis' answer to the server's request `index`, as the SDK POSTs it. */
const answer_ = (index: number) => JSON.stringify({ jsonrpc: '2.0', id: `s${index}`, result: {} });

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('takingTurns (a remote server that sends thousands of requests at once, each answered with a POST)', () => {
  it('sends at most `most` at once and the rest in order as each is answered, where 5,000 answers opened 3,850 connections at once', async () => {
    const { fetch, pending, answer } = heldFetch();
    const turns = takingTurns(32, fetch);
    const all = Array.from({ length: 5_000 }, (_, index) => turns('http://127.0.0.1/mcp', { method: 'POST', body: answer_(index) }));
    await turn();
    expect(pending).toHaveLength(32);
    answer();
    await turn();
    expect(pending).toHaveLength(32);
    while (pending.length > 0) {
      answer();
      await turn();
    }
    expect((await Promise.all(all)).every((response) => response.status === 202)).toBe(true);
  });

  it('lets a request that waits its turn be aborted, and it takes no turn then', async () => {
    const { fetch, pending, answer } = heldFetch();
    const turns = takingTurns(1, fetch);
    const first = turns('http://127.0.0.1/mcp');
    const stop = new AbortController();
    const aborted = turns('http://127.0.0.1/mcp', { signal: stop.signal });
    const third = turns('http://127.0.0.1/mcp');
    stop.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    answer();
    await first;
    await turn();
    expect(pending).toHaveLength(1); // the third's, not the aborted one's
    answer();
    await expect(third).resolves.toMatchObject({ status: 202 });
  });

  it('gives the turn back when a request fails', async () => {
    const turns = takingTurns(1, () => Promise.reject(new Error('refused')));
    await expect(turns('http://127.0.0.1/mcp')).rejects.toThrow('refused');
    await expect(turns('http://127.0.0.1/mcp')).rejects.toThrow('refused');
  });

  it("never holds back a request of Portcullis' own (a call), however many answers wait", async () => {
    const { fetch, pending } = heldFetch();
    const turns = takingTurns(1, fetch);
    void turns('http://127.0.0.1/mcp', { method: 'POST', body: answer_(1) });
    void turns('http://127.0.0.1/mcp', { method: 'POST', body: answer_(2) });
    void turns('http://127.0.0.1/mcp', { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } }) });
    await turn();
    expect(pending).toHaveLength(2); // the first answer and the call
  });

  it('refuses a message once as many wait as it allows (10,000 unless told), saying the server takes none, and the connection is then dropped with those words', async () => {
    const { fetch } = heldFetch();
    const turns = takingTurns(1, fetch, 3);
    for (let index = 0; index < 4; index++) void turns('http://127.0.0.1/mcp', { method: 'POST', body: answer_(index) });
    const refused = await turns('http://127.0.0.1/mcp', { method: 'POST', body: answer_(9) }).catch((error: unknown) => error as Error);
    expect((refused as Error).message).toBe('it stopped taking what Portcullis sent it (3 answers to its requests were waiting), so Portcullis dropped its connection');
    // As the SDK reports it: a response it could not send.
    expect(protocolErrorOutcome(new Error(`Failed to send response: Error: ${(refused as Error).message}`), true)).toEqual({ kind: 'ends', reason: (refused as Error).message, misbehaved: true });
  });
});
