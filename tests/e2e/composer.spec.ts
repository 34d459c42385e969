import { expect, test } from '@playwright/test';
import { useHostPerTest } from './chat-page';

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
