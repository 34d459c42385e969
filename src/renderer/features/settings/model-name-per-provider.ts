import type { ModelSelection } from '../../../shared/domain/model-settings';

type Provider = ModelSelection['provider'];

/** What the Model field suggests for each provider: an OpenAI model for OpenAI, not Anthropic's. */
export const MODEL_PLACEHOLDER: Record<Provider, string> = {
  builtin: '',
  'openai-compatible': 'e.g. llama3.2',
  anthropic: 'e.g. claude-sonnet-4-5',
  openai: 'e.g. gpt-4.1',
};

/**
 * The Model field's text once the person picks another provider: what they had typed for that one before, else the
 * name saved for it, else nothing (its placeholder suggests one). The text left behind is kept for a way back. A
 * local model's name ("qwen2.5-7b-instruct") carried over to Anthropic or OpenAI would be sent to them as is.
 */
export function modelNameAfterSwitch(
  typed: Partial<Record<Provider, string>>,
  from: Provider,
  to: Provider,
  current: string,
  saved: ModelSelection | undefined,
): { name: string; typed: Partial<Record<Provider, string>> } {
  const kept = { ...typed, [from]: current };
  const savedName = saved && saved.provider === to && saved.provider !== 'builtin' ? saved.model : '';
  return { name: kept[to] ?? savedName, typed: kept };
}
