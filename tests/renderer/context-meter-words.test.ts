import { describe, expect, it } from 'vitest';
import { contextMeterWords } from '../../src/renderer/features/chat/context-meter-words';

const ollama = { tokens: 4_096, source: "Ollama's default context, until the model is loaded" };

describe('the context meter above the message box, in words', () => {
  it('when the instructions and tool definitions fill the context, says so and what to change, not "~535 of 0 tokens"', () => {
    const words = contextMeterWords({ messages: 3, omitted: 13, tokens: 535, budget: 0, overhead: 3_120, context: ollama });
    expect(words).toBe(
      "History sent: only the last turn, ~535 tokens, and it may not fit: the instructions and tool definitions take ~3,120 tokens of the model's 4,096-token context (Ollama's default context, until the model is loaded), leaving no room for earlier turns. Give the model a larger context (Settings → Model), or turn off servers you do not need · 13 earlier messages are not sent",
    );
    expect(words).not.toContain('of 0 tokens');
  });

  it('says how many tools are not offered, when some had to be left out to fit', () => {
    expect(contextMeterWords({ messages: 4, omitted: 0, tokens: 900, budget: 1_500, overhead: 1_200, toolsLeftOut: 21, context: ollama })).toBe(
      "History sent: ~900 of 1,500 tokens (context 4,096, Ollama's default context, until the model is loaded) · 21 tools are not offered, to fit the model's context (those the request least needs)",
    );
  });

  it('says when a tool result was cut to fit, so an answer about a big file is known to rest on its start', () => {
    const lmStudio = { tokens: 32_768, source: 'LM Studio, the loaded model' };
    expect(contextMeterWords({ messages: 3, omitted: 0, tokens: 7_410, budget: 21_228, overhead: 2_000, resultsCut: 1, context: lmStudio })).toBe(
      "History sent: ~7,410 of 21,228 tokens (context 32,768, LM Studio, the loaded model) · a tool result was too long for the model's context: it saw only the start (the chat shows it whole)",
    );
    expect(contextMeterWords({ messages: 5, omitted: 0, tokens: 9_000, budget: 21_228, resultsCut: 2, context: lmStudio })).toContain(
      "· 2 tool results were too long for the model's context: it saw only the start of each (the chat shows them whole)",
    );
    expect(contextMeterWords({ messages: 3, omitted: 0, tokens: 900, budget: 21_228, resultsCut: 0, context: lmStudio })).not.toContain('too long');
  });

  it('otherwise says the history against its budget, as before', () => {
    expect(contextMeterWords({ messages: 4, omitted: 0, tokens: 900, budget: 5_000, overhead: 1_000, context: ollama })).toBe(
      "History sent: ~900 of 5,000 tokens (context 4,096, Ollama's default context, until the model is loaded)",
    );
    expect(contextMeterWords({ messages: 2, omitted: 1, tokens: 6_000, budget: 5_000, context: null })).toBe(
      'History sent: ~6,000 of 5,000 tokens, over the history limit: the last turn is sent whole · 1 earlier message is not sent',
    );
  });
});
