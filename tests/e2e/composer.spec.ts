import { expect, test } from '@playwright/test';
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
