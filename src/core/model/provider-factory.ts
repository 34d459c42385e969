import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { AppError } from '../../shared/errors';
import type { SecretStore } from '../secrets/secret-store';
import { AiSdkModel, type SpecLanguageModel } from './ai-sdk-model';
import { BuiltinModel } from './builtin/builtin-model';
import { contextWindowOf } from './context-window';
import { lineBoundedFetch } from './line-bounded-fetch';
import type { ModelProvider } from './model-provider';
import { secretNameFor, type ModelSelection } from './model-selection';

/** Builds the ModelProvider for a selection. Hosted keys are read from the keychain at each call, never stored. */
/** `apiKey`, when given, is used for a hosted provider in place of the keychain's (a key typed in, tested before it is saved). */
export function createModelProvider(selection: ModelSelection, secrets: SecretStore | undefined, apiKey?: string): ModelProvider {
  switch (selection.provider) {
    case 'builtin':
      return new BuiltinModel();
    case 'openai-compatible': {
      const label = `${selection.model} on ${selection.baseUrl}`;
      const provider = createOpenAICompatible({ name: 'local', baseURL: selection.baseUrl, includeUsage: true, fetch: lineBoundedFetch(label) });
      return new AiSdkModel(
        `${selection.model}@${selection.baseUrl}`,
        label,
        () => provider.chatModel(selection.model),
        {
          name: selection.model,
          toolMode: selection.toolMode,
          context: contextWindowOf(selection.baseUrl, selection.model, selection.contextTokens),
          // A vision model on a local server: the OpenAI chat API it speaks takes images from the user only.
          ...(selection.vision ? { toolImages: 'after-results' as const } : {}),
        },
      );
    }
    case 'anthropic':
      return anthropicModel(selection.model, async () => apiKey ?? hostedKey(secrets, 'anthropic'));
    case 'openai':
      return new AiSdkModel(`openai/${selection.model}`, `OpenAI ${selection.model}`, async () =>
        createOpenAI({ apiKey: apiKey ?? (await hostedKey(secrets, 'openai')), fetch: lineBoundedFetch(`OpenAI ${selection.model}`) }).chat(selection.model) as unknown as SpecLanguageModel,
      );
  }
}

async function hostedKey(secrets: SecretStore | undefined, provider: 'anthropic' | 'openai'): Promise<string> {
  const key = await secrets?.get(secretNameFor[provider]);
  if (!key) {
    const name = provider === 'anthropic' ? 'Anthropic' : 'OpenAI';
    throw new AppError('SECRET_MISSING', `No ${name} API key is set. Add it in Settings → Model; it is kept in your OS keychain.`);
  }
  return key;
}

/** A Claude model over Anthropic's API (at `baseURL`, else the API's own address or ANTHROPIC_BASE_URL). */
export function anthropicModel(model: string, apiKey: () => Promise<string>, baseURL?: string): AiSdkModel {
  return new AiSdkModel(
    `anthropic/${model}`,
    `Anthropic ${model}`,
    async () => createAnthropic({ apiKey: await apiKey(), ...(baseURL ? { baseURL } : {}), fetch: lineBoundedFetch(`Anthropic ${model}`) })(model) as unknown as SpecLanguageModel,
    { toolImages: 'in-result' },
  );
}
