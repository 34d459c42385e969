import { AppError } from '../../shared/errors';
import type { ModelProvider, ModelToolSpec } from './model-provider';

export interface ModelCapabilities {
  /** Answered the probe with a well-formed native tool call. */
  toolCalling: boolean;
  /** Answered a prompted request with JSON in the asked shape. */
  jsonOutput: boolean;
  /** What to use: native tool calls when they work, otherwise prompted JSON. */
  recommendedToolMode: 'native' | 'prompted';
  error: string | null;
}

const probeTool: ModelToolSpec = {
  name: 'probe.echo',
  description: 'Echo a word back. Call this tool when asked to.',
  inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'], additionalProperties: false },
};

/**
 * Asks the model once to call a tool natively and once (through the prompted fallback) for JSON. Weak local
 * models often fail the first and pass the second; a model that passes neither is reported as unable.
 */
export async function probeCapabilities(native: ModelProvider, prompted: ModelProvider, signal?: AbortSignal): Promise<ModelCapabilities> {
  const messages = [{ role: 'user' as const, content: 'Call the tool probe.echo with the word "portcullis". Do not answer in text.' }];
  let error: string | null = null;
  const callsEcho = async (model: ModelProvider) => {
    try {
      for await (const chunk of model.stream({ messages, tools: [probeTool] }, signal)) {
        if (chunk.type === 'tool-call' && chunk.name === probeTool.name && (chunk.arguments as { word?: unknown })?.word === 'portcullis') return true;
      }
    } catch (e) {
      error = e instanceof AppError ? e.message : String(e);
    }
    return false;
  };
  const toolCalling = await callsEcho(native);
  const jsonOutput = await callsEcho(prompted);
  return { toolCalling, jsonOutput, recommendedToolMode: toolCalling || !jsonOutput ? 'native' : 'prompted', error: toolCalling || jsonOutput ? null : error };
}
