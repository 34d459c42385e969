import { describe, expect, it } from 'vitest';
import { ServerListCache } from '../../src/core/mcp/server-list-cache';
import type { McpPrompt } from '../../src/shared/domain/mcp-prompt';

const prompt = (name: string): McpPrompt => ({ server: 's', name, arguments: [], completes: false });

/** A server whose answers the test releases one by one. */
function server() {
  const asked: Array<{ answer: (prompts: McpPrompt[]) => void; fail: (error: Error) => void }> = [];
  const ask = () => new Promise<McpPrompt[]>((answer, fail) => asked.push({ answer, fail }));
  return { asked, ask };
}
const never = new AbortController().signal;

describe('ServerListCache', () => {
  it('asks again after a failure, and the failure reaches the one who waited', async () => {
    const { asked, ask } = server();
    const cache = new ServerListCache(ask, true);
    const first = cache.get(never);
    asked[0]!.fail(new Error('refused'));
    await expect(first).rejects.toThrow('refused');
    expect(cache.askedAt).toBeNull();
    const second = cache.get(never);
    expect(asked).toHaveLength(2);
    asked[1]!.answer([prompt('a')]);
    expect(await second).toEqual([prompt('a')]);
  });

  it("drops an answer already on its way when the server says its list changed", async () => {
    const { asked, ask } = server();
    const cache = new ServerListCache(ask, true);
    const stale = cache.get(never);
    cache.changed();
    const fresh = cache.get(never);
    expect(asked).toHaveLength(2);
    asked[0]!.answer([prompt('old')]);
    asked[1]!.answer([prompt('new')]);
    expect(await stale).toEqual([prompt('old')]); // who asked before the change gets what they asked for
    expect(await fresh).toEqual([prompt('new')]);
    expect(await cache.get(never)).toEqual([prompt('new')]);
    expect(asked).toHaveLength(2);
  });

  it('a caller that stops waiting leaves the request out, for the next caller, and says when it was sent', async () => {
    const { asked, ask } = server();
    const cache = new ServerListCache(ask, false);
    const gaveUp = new AbortController();
    const first = cache.get(gaveUp.signal);
    gaveUp.abort(new Error('no answer'));
    await expect(first).rejects.toThrow('no answer');
    expect(cache.askedAt).toBeTypeOf('number');
    const next = cache.get(never);
    expect(asked).toHaveLength(1);
    asked[0]!.answer([prompt('late')]);
    expect(await next).toEqual([prompt('late')]);
    expect(cache.askedAt).toBeNull();
  });
});
