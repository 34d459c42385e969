import type { ModelSelection } from '../../shared/domain/model-settings';

export { ModelSelectionSchema, type ModelSelection } from '../../shared/domain/model-settings';

export const MODEL_SELECTION_KEY = 'model.selection';
export const defaultModelSelection: ModelSelection = { provider: 'builtin' };

/** Keychain entry names of the hosted providers' API keys. */
export const secretNameFor = { anthropic: 'provider.anthropic.apiKey', openai: 'provider.openai.apiKey' } as const;
