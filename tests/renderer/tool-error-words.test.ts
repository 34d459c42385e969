import { describe, expect, it } from 'vitest';
import { toolErrorWords } from '../../src/renderer/features/chat/tool-error-words';

describe("a failed call's error, as its card says it", () => {
  it("leads with the message of a tool's own failure, which says who reported what (or what the sandbox kept from happening)", () => {
    const message = "Portcullis' sandbox kept this write from happening: notes may write nothing of yours. What notes.create_entities reported: ENOENT";
    expect(toolErrorWords({ code: 'TOOL_FAILED', message })).toBe(message);
  });

  it('keeps the code of the other kinds of failure', () => {
    expect(toolErrorWords({ code: 'TOOL_TIMEOUT', message: 'fs.read did not finish within 30 s.' })).toBe('TOOL_TIMEOUT: fs.read did not finish within 30 s.');
  });
});
