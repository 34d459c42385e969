import type { Page } from '@playwright/test';

/** How long a refusal or a slowed answer takes: long enough for the page to draw its waiting state. */
const SLOW_MS = 400;

/**
 * Lets a test have the host refuse, or answer slowly, the page's next request on a channel (register before the
 * page loads). A refused request is not passed on: after a moment the page is answered with `message` as the
 * host's error. Every other frame goes through untouched.
 */
export async function refusingRequests(page: Page): Promise<{ refuseNext: (channel: string, message: string) => void; slowNext: (channel: string) => void }> {
  const refusals = new Map<string, string>();
  const slowChannels = new Set<string>();
  const slowIds = new Set<number>();
  await page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number; channel?: string };
      if (frame.channel !== undefined && frame.id !== undefined && slowChannels.delete(frame.channel)) slowIds.add(frame.id);
      const refusal = frame.channel === undefined ? undefined : refusals.get(frame.channel);
      if (refusal === undefined) return server.send(message);
      refusals.delete(frame.channel!);
      const error = { code: 'INTERNAL', message: refusal };
      setTimeout(() => ws.send(JSON.stringify({ type: 'response', id: frame.id, ok: false, error })), SLOW_MS);
    });
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { type?: string; id?: number };
      if (frame.type === 'response' && frame.id !== undefined && slowIds.delete(frame.id)) setTimeout(() => ws.send(message), SLOW_MS);
      else ws.send(message);
    });
  });
  return { refuseNext: (channel, message) => void refusals.set(channel, message), slowNext: (channel) => void slowChannels.add(channel) };
}
