import { describe, expect, it } from 'vitest';
import { createApprovalNotifier, type ApprovalNotice, type NotifiedWindow } from '../../src/main/approval-notifier';

function fakeWindow(focused: boolean) {
  const flashes: boolean[] = [];
  let onFocus: (() => void) | null = null;
  const window: NotifiedWindow & { flashes: boolean[]; focus(): void } = {
    flashes,
    isFocused: () => focused,
    flashFrame: (flag) => void flashes.push(flag),
    once: (_event, listener) => void (onFocus = listener),
    focus: () => onFocus?.(),
  };
  return window;
}

describe('a call that waits for the person while the window is in the background', () => {
  const request = { summary: 'Write 2 lines to notes.txt', conversationId: 'c1' };

  it('is told by a system notification naming who asks, and the taskbar entry flashes until the window is focused', async () => {
    const window = fakeWindow(false);
    const notices: ApprovalNotice[] = [];
    let shown = 0;
    const notify = createApprovalNotifier({
      window: () => window,
      notify: (notice, onClick) => {
        notices.push(notice);
        onClick();
      },
      show: () => void (shown += 1),
      conversationTitle: async (id) => (id === 'c1' ? 'Cursor (MCP, key "Cursor")' : undefined),
    });
    await notify(request);
    expect(notices).toEqual([{ title: 'Portcullis is waiting for your approval', body: 'Write 2 lines to notes.txt\nCursor (MCP, key "Cursor")' }]);
    expect(shown).toBe(1);
    expect(window.flashes).toEqual([true]);
    window.focus();
    expect(window.flashes).toEqual([true, false]);
  });

  it("is said to be the MCP client's or the script's wait, when one of them asked for the call", async () => {
    const notices: ApprovalNotice[] = [];
    const notify = createApprovalNotifier({
      window: () => fakeWindow(false),
      notify: (notice) => void notices.push(notice),
      show: () => undefined,
      conversationTitle: async () => 'Cursor · 11:08 (MCP, key "Cursor")',
    });
    await notify({ ...request, requestedBy: 'Cursor (MCP)' });
    expect(notices).toEqual([{ title: 'Cursor (MCP) is waiting for your approval', body: 'Write 2 lines to notes.txt\nCursor · 11:08 (MCP, key "Cursor")' }]);
  });

  it('is not told twice when the person is looking at the window, nor when there is none', async () => {
    const notices: ApprovalNotice[] = [];
    const deps = { notify: (notice: ApprovalNotice) => void notices.push(notice), show: () => undefined, conversationTitle: async () => 'x' };
    await createApprovalNotifier({ ...deps, window: () => fakeWindow(true) })(request);
    await createApprovalNotifier({ ...deps, window: () => null })(request);
    expect(notices).toEqual([]);
  });
});
