import { describe, expect, it } from 'vitest';
import { windowTitle } from '../../src/renderer/features/approvals/window-title';

describe("the window's title", () => {
  it('names the conversation on screen, and first how many calls wait for an answer', () => {
    expect(windowTitle(null, 0)).toBe('Portcullis');
    expect(windowTitle('Cursor (MCP, key "Cursor")', 0)).toBe('Cursor (MCP, key "Cursor") — Portcullis');
    // A call an MCP client made while the window was in the background shows in the taskbar or the tab.
    expect(windowTitle(null, 1)).toBe('(1 waiting for you) Portcullis');
    expect(windowTitle('notes', 3)).toBe('(3 waiting for you) notes — Portcullis');
  });
});
