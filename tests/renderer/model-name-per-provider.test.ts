import { describe, expect, it } from 'vitest';
import { MODEL_PLACEHOLDER, modelNameAfterSwitch } from '../../src/renderer/features/settings/model-name-per-provider';

const savedLocal = { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen2.5-7b-instruct', toolMode: 'native' } as const;

describe('Settings → Model: the model name when another provider is picked', () => {
  it("does not carry a local model's name to a hosted API, and gives it back on the way back", () => {
    const toAnthropic = modelNameAfterSwitch({}, 'openai-compatible', 'anthropic', 'qwen2.5-7b-instruct', savedLocal);
    expect(toAnthropic.name).toBe('');
    const back = modelNameAfterSwitch(toAnthropic.typed, 'anthropic', 'openai-compatible', 'claude-sonnet-4-5', savedLocal);
    expect(back.name).toBe('qwen2.5-7b-instruct');
    expect(modelNameAfterSwitch(back.typed, 'openai-compatible', 'anthropic', 'qwen2.5-7b-instruct', savedLocal).name).toBe('claude-sonnet-4-5');
  });

  it("starts from the name saved for that provider when nothing was typed for it", () => {
    const savedAnthropic = { provider: 'anthropic', model: 'claude-opus-4-1' } as const;
    expect(modelNameAfterSwitch({}, 'builtin', 'anthropic', '', savedAnthropic).name).toBe('claude-opus-4-1');
    expect(modelNameAfterSwitch({}, 'anthropic', 'openai', 'claude-opus-4-1', savedAnthropic).name).toBe('');
    expect(modelNameAfterSwitch({}, 'anthropic', 'openai', 'x', undefined).name).toBe('');
  });

  it("suggests each hosted API's own kind of name", () => {
    expect(MODEL_PLACEHOLDER.openai).toMatch(/gpt/);
    expect(MODEL_PLACEHOLDER.anthropic).toMatch(/claude/);
  });
});
