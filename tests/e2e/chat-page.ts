import { expect, test, type Locator, type Page } from '@playwright/test';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { HeadlessHost } from './headless-host';

/** Starts a fresh `portcullis serve` on a temporary data dir before each test and stops it after; returns a getter. */
export function useHostPerTest(): () => HeadlessHost {
  let host: HeadlessHost;
  test.beforeEach(async () => {
    host = new HeadlessHost();
    await host.start();
  });
  test.afterEach(async () => {
    await host.stop();
  });
  return () => host;
}

/** Every request on `channel` the page sends to the host, as the frames on its WebSocket (register before the page loads). */
export function watchRequests(page: Page, channel: string): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('utf8');
      if (text.includes(`"${channel}"`)) frames.push(text);
    });
  });
  return frames;
}

/** Types a message in the composer and sends it with Enter, as a person would. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  // The box stays open while a turn runs (to draft the next message); Send is back once it has ended.
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
  await box.fill(text);
  await box.press('Enter');
}

/**
 * The last answer: an assistant message that asks for no tool and has finished streaming (not the "Calling …" line
 * of a step whose call is still running).
 */
export const finalReply = (page: Page) => page.locator('[data-testid="message"][data-answer="true"]').last();

/**
 * Starts `host` with server-everything configured and opens the page once the server is up with `tool` listed:
 * a message sent sooner finds no such tool.
 */
export async function startWithEverything(page: Page, host: HeadlessHost, tool: string): Promise<void> {
  writeMcpConfig(host.dataDir, { everything: { command: mcpBin('everything') } });
  await host.start();
  await page.goto(host.url);
  await waitForServer(page, 'everything', tool);
}

/** Waits on the Tools & servers page until the server `name` is connected (and lists `tool`, when given), then closes it. */
export async function waitForServer(page: Page, name: string, tool?: string): Promise<void> {
  const tools = page.getByRole('button', { name: 'Tools & servers', exact: true });
  await tools.click();
  await expect(page.getByTestId(`server-${name}`)).toContainText('Connected');
  if (tool) await expect(page.getByTestId(`tool-${tool}`)).toBeVisible();
  await tools.click();
}

/** Opens Tools & servers at its mcp.json editor: the editor's region and its text box. */
export async function openMcpEditor(page: Page): Promise<{ editor: Locator; text: Locator }> {
  await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
  const editor = page.getByTestId('tools-page').getByRole('region', { name: 'Edit mcp.json' });
  return { editor, text: editor.getByRole('textbox', { name: 'mcp.json' }) };
}
