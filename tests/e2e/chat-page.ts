import { expect, test, type Page } from '@playwright/test';
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

/** Types a message in the composer and sends it with Enter, as a person would. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(box).toBeEnabled();
  await box.fill(text);
  await box.press('Enter');
}

/** The last assistant message that has finished streaming. */
export const finalReply = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]:not([data-streaming="true"])').last();
