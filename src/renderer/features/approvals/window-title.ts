/**
 * The window's (or the browser tab's) title: the conversation on screen, and first how many calls wait for the
 * person's answer. A call an MCP client or a script made waits while Portcullis sits in the background, where only
 * the title (the taskbar, the tab) can say so; unanswered, it is denied when its time runs out.
 */
export function windowTitle(conversationTitle: string | null, waiting: number): string {
  const base = conversationTitle ? `${conversationTitle} — Portcullis` : 'Portcullis';
  return waiting > 0 ? `(${waiting} waiting for you) ${base}` : base;
}
