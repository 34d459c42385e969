/**
 * The most a model server's own API answer (its models, its props) is read: far past a real one (a list of hundreds
 * of models is some 100 KB). Read whole into memory, an answer without end (a misconfigured address, a proxy) took
 * hundreds of megabytes a second until its time ran out.
 */
export const MAX_API_ANSWER_BYTES = 4 * 1024 * 1024;

/** The JSON of a response's body; an error once it goes past `limit` bytes, and the rest is not read. */
export async function readJsonUpTo(response: Response, limit: number = MAX_API_ANSWER_BYTES): Promise<unknown> {
  const reader = response.body?.getReader();
  if (!reader) return null;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`${response.url || 'The server'} answered more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}
