import type { SpanAttributes } from './tracer';

interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

/**
 * GenAI token usage attributes from a model chunk that reports usage (a provider adds `usage` to its finish
 * chunk when the API returns it); nothing when it does not, rather than a guess.
 */
export function usageAttributes(chunk: object): SpanAttributes {
  const usage = (chunk as { usage?: Usage }).usage;
  if (!usage) return {};
  return { 'gen_ai.usage.input_tokens': usage.inputTokens, 'gen_ai.usage.output_tokens': usage.outputTokens };
}
