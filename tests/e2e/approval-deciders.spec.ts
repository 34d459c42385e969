import { expect, test } from '@playwright/test';
import { send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

test('a call an API key denied says so on its card, with the key\'s note, not "denied by you" and "Your note"', async ({ page }) => {
  const host = currentHost();
  await page.goto(host.url);
  const approver = await host.createScriptKey('nightly', ['approve']);
  await send(page, 'write a.txt with 1');
  const dialog = page.getByRole('dialog', { name: 'Write 1 character to a.txt' });
  await expect(dialog).toBeVisible();
  const pending = (await host.api('approvals.pending', {})).output as unknown as Array<{ id: string }>;
  const answered = await approver.api('approvals.decide', { approvalId: pending[0]!.id, choice: 'deny', note: 'too risky' });
  expect(answered.ok).toBe(true);
  await expect(dialog).toHaveCount(0);

  const card = page.getByTestId('tool-call').last();
  await expect(card).toHaveAttribute('data-status', 'denied');
  await expect(card.getByTestId('tool-decision')).toHaveText('denied by key "nightly"');
  await expect(card.getByTestId('tool-refusal')).toHaveText('Note: “too risky”');
  // Read back from the database as drawn live.
  await page.reload();
  await expect(page.getByTestId('tool-call').last().getByTestId('tool-decision')).toHaveText('denied by key "nightly"');
  await expect(page.getByTestId('tool-call').last().getByTestId('tool-duration')).toContainText('waiting for an answer');
});
