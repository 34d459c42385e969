import { expect, test, type Page } from '@playwright/test';
import { finalReply, send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

test('a message over the length limit is not sent: the box says why in words, starts no conversation, and the note goes once the text changes', async ({ page }) => {
  await page.goto(currentHost().url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('y'.repeat(120_000));
  await box.press('Enter');
  const error = page.getByTestId('composer-error');
  await expect(error).toHaveText('This message is 120,000 characters; a message can hold at most 100,000. Shorten it, or send it in parts.');
  // The text stays, to shorten; no empty "New chat" is left behind.
  expect((await box.inputValue()).length).toBe(120_000);
  await expect(page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation')).toHaveCount(0);
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await box.fill('');
  await expect(error).toHaveCount(0);
});

test('the next message can be written while a turn runs; Enter waits for the turn to end, and Esc in the box stops it', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'write draft.txt with hi');
  await expect(page.getByRole('dialog', { name: 'Write 2 characters to draft.txt' })).toBeVisible();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.click();
  await box.fill('list the files');
  await box.press('Enter');
  await expect(box).toHaveValue('list the files'); // not sent: the turn still runs
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveCount(1);
  await expect(page.getByText('The agent is working: Enter sends once this turn ends')).toBeVisible();

  await box.press('Escape');
  await expect(page.getByTestId('turn-error')).toContainText('You stopped this turn.');
  await expect(box).toHaveValue('list the files');
  await box.press('Enter');
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveCount(2);
  await expect(finalReply(page)).toContainText('no files in your workspace');
});

/** Watches, every frame until read, whether the keyboard focus fell to the page (<body>) meanwhile. */
async function watchFocusFallingToPage(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { fellToPage: boolean; watching: boolean };
    w.fellToPage = false;
    w.watching = true;
    const look = () => {
      if (document.activeElement === document.body) w.fellToPage = true;
      if (w.watching) requestAnimationFrame(look);
    };
    look();
  });
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { fellToPage: boolean; watching: boolean };
      w.watching = false;
      return w.fellToPage;
    });
}

test('sent from the Send button or an example request, the keyboard goes on to the message box, not to the page', async ({ page }) => {
  await page.goto(currentHost().url);
  const box = page.getByRole('textbox', { name: 'Message' });
  // An example on the first screen: it goes with the screen.
  await page.getByTestId('example-request').first().focus();
  let fellToPage = await watchFocusFallingToPage(page);
  await page.keyboard.press('Enter');
  await expect(finalReply(page)).toBeVisible();
  await expect(box).toBeFocused();
  expect(await fellToPage()).toBe(false);

  // Send, pressed from the keyboard: it disables itself (then becomes Stop) as the message goes.
  await box.fill('list the files');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeFocused();
  fellToPage = await watchFocusFallingToPage(page);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="message"][data-answer="true"]')).toHaveCount(2);
  await expect(box).toBeFocused();
  expect(await fellToPage()).toBe(false);
});
