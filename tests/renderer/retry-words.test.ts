import { describe, expect, it } from 'vitest';
import { retryWords } from '../../src/renderer/features/tools/retry-words';

describe("a failed server's next try, as the Tools & servers page says it", () => {
  it('a local server restarts; a remote one, which runs elsewhere, is reconnected to', () => {
    expect(retryWords('stdio')).toEqual({ next: 'restarts', now: 'restarting…', done: 'restarted' });
    expect(retryWords('http')).toEqual({ next: 'reconnects', now: 'reconnecting…', done: 'tried again' });
  });
});
