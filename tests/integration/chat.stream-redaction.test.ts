import { describe, expect, it } from 'vitest';
import { StepScriptedModel } from '../helpers/step-scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';

const KNOWN = 'canary-known-Zq8v3Kx9Lm2Pw7Rt';
const API_KEY = 'sk-ant-api03-CANARYa1b2c3d4e5f6g7h8i9';
const REPLY = `The token you stored is ${KNOWN}, and the config also held ${API_KEY}. Both are masked before you see them.`;

describe('a streamed reply', () => {
  it('never sends a piece of a secret to the window, even when the secret is split across deltas', async () => {
    // Nine characters at a time: each secret is cut across several deltas.
    const t = startTestRuntime({ model: new StepScriptedModel([{ text: REPLY }], { pieceChars: 9 }) });
    t.runtime.redactor.register(KNOWN);
    const sent: string[] = [];
    t.runtime.onDidEmit((event) => {
      if (event.channel === 'chat.delta') sent.push(event.payload.text);
    });
    const conversation = await t.runtime.handlers['conversations.create']({});
    const result = await t.runtime.startTurn(conversation.id, 'what did you find?').done;
    expect(result.error).toBeNull();
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.join('')).toBe(t.runtime.redactor.redactText(REPLY));
    expect(sent.join('')).toContain('[REDACTED:secret]');
    for (const secret of [KNOWN, API_KEY]) {
      const windows = Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6));
      for (const text of sent) for (const window of windows) expect(text).not.toContain(window);
    }
  });
});
