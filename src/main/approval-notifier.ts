import { waitingForApprovalWords } from '../shared/approval-waiting-words';
import type { ApprovalRequest } from '../shared/domain/approval';

/** The part of a BrowserWindow the notifier uses; kept structural so it is tested without Electron. */
export interface NotifiedWindow {
  isFocused(): boolean;
  flashFrame(flag: boolean): void;
  once(event: 'focus', listener: () => void): unknown;
}

/** What the system notification says: the action in plain words, and whose call it is (its conversation). */
export interface ApprovalNotice {
  title: string;
  body: string;
}

export interface ApprovalNotifierDeps<W extends NotifiedWindow> {
  window(): W | null;
  /** Shows a system notification; `onClick` brings the window forward. Absent where the system has none. */
  notify?(notice: ApprovalNotice, onClick: () => void): void;
  /** Brings the window forward (restored, focused). */
  show(): void;
  /** The title of the call's conversation ("Cursor (MCP, key "Cursor")"), which says who asks. */
  conversationTitle(conversationId: string): Promise<string | undefined>;
}

/**
 * Tells the person a call waits for them while the window is in the background: an MCP client's or a script's
 * call (Cursor in front, Portcullis minimized) is otherwise seen by no one, and denied when its time runs out. A
 * system notification (its click shows the window) and the taskbar entry flashing until the window is focused.
 * Nothing of the arguments is in it: a notification can show on a locked screen.
 */
export function createApprovalNotifier<W extends NotifiedWindow>(deps: ApprovalNotifierDeps<W>) {
  return async (request: Pick<ApprovalRequest, 'summary' | 'conversationId' | 'requestedBy' | 'sentBy' | 'retriedBy'>): Promise<void> => {
    const window = deps.window();
    if (!window || window.isFocused()) return;
    window.flashFrame(true);
    window.once('focus', () => window.flashFrame(false));
    const who = await deps.conversationTitle(request.conversationId).catch(() => undefined);
    deps.notify?.({ title: waitingForApprovalWords(request), body: who ? `${request.summary}\n${who}` : request.summary }, deps.show);
  };
}
