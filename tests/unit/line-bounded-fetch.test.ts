import { describe, expect, it } from 'vitest';
import { lineBoundedStream } from '../../src/core/model/line-bounded-fetch';

/** What the stream passes on of `chunks` with lines of at most `limit` bytes, or the error it fails with. */
async function through(limit: number, chunks: string[]): Promise<string> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  let out = '';
  const reader = source.pipeThrough(lineBoundedStream('fake-model on test', limit)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out += new TextDecoder().decode(value);
  }
}

describe('lineBoundedStream', () => {
  it('passes on lines up to the limit, counted across chunks and restarted at each CR or LF', async () => {
    expect(await through(4, ['abcd\n', 'ab', 'cd\r\nabcd', '\rab', 'cd\n\n'])).toBe('abcd\nabcd\r\nabcd\rabcd\n\n');
  });

  it('fails a line past the limit, whether it grows over chunks or ends inside one', async () => {
    await expect(through(4, ['ab', 'cd', 'e'])).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: expect.stringContaining('without a line break') });
    await expect(through(4, ['ab', 'cde\nab'])).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    await expect(through(4, ['ab\nabcde\nab'])).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });
});
