import type { ModelChunk } from '../../src/core/model/model-provider';

/** Every chunk a model's stream gives, in order, once it ends. */
export async function collect(stream: AsyncIterable<ModelChunk>): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}
