import { describe, expect, it } from 'vitest';
import { turnErrorWords } from '../../src/renderer/features/chat/turn-error-words';

describe("a turn's error, as the chat says it", () => {
  it('says the turn stopped before an error that does not say what became of it', () => {
    expect(turnErrorWords('The model server answered HTTP 503.')).toBe('The turn stopped: The model server answered HTTP 503.');
  });

  it('does not say it twice when the error already does', () => {
    const silent = 'The model m did not finish its reply: its server sent nothing more for 90 s, so the turn was ended. Check that the server is still running and not stuck, then Retry.';
    expect(turnErrorWords(silent)).toBe(silent);
    expect(turnErrorWords('The turn ended: it used 9000 tokens, over its budget of 8000. Start a new message to continue.')).toBe('The turn ended: it used 9000 tokens, over its budget of 8000. Start a new message to continue.');
  });
});
