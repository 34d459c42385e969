import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ToolCallCard } from '../../src/renderer/features/chat/ToolCallCard';
import type { ToolCallRecord } from '../../src/shared/domain/tool-call';

const call: ToolCallRecord = {
  id: 'call-1', conversationId: 'c', turnId: 't', toolName: 'fs.read', arguments: { path: 'big.csv' },
  decision: { effect: 'allow', ruleId: 'default.read-only', reason: 'reads only' }, approval: null, status: 'succeeded',
  result: { content: 'date,region,sales\n' }, error: null, startedAt: 0, endedAt: 12,
};

const cardText = (cut?: { shownChars: number; totalChars: number }) =>
  renderToStaticMarkup(createElement(ToolCallCard, { call, cut })).replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ');

describe("a tool result cut to fit the model's context", () => {
  it('its own card says how much of it the model saw', () => {
    expect(cardText({ shownChars: 28_304, totalChars: 197_149 })).toContain(
      "Too long for the model's context: the model saw the first 28,304 of 197,149 characters (what it says of this result rests on that part); Details show it whole.",
    );
  });

  it('a result sent whole says nothing of the kind', () => {
    expect(cardText()).not.toContain('the model saw');
  });
});
