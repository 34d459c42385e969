import { expect, test } from '@playwright/test';
import { send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

test('a call the person denied reads "1 denied" in the traces list, not an error in red, and its step is drawn as a decision', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(currentHost().url);
  await send(page, 'write a.txt with 1');
  await page.getByRole('dialog', { name: 'Write 1 character to a.txt' }).getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByTestId('tool-call').last()).toHaveAttribute('data-status', 'denied');

  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Traces' }).click();
  const panel = page.getByRole('complementary', { name: 'Trace' });
  const summary = panel.getByTestId('trace-summary');
  await expect(summary).toHaveCount(1);
  await expect(summary.locator('.span-status')).toHaveText(['1 denied']);
  await expect(summary.locator('.status-error')).toHaveCount(0);
  // A deny is not a failed step.
  await panel.getByRole('checkbox', { name: /With a failed step/ }).check();
  await expect(summary).toHaveCount(0);
  await panel.getByRole('checkbox', { name: /With a failed step/ }).uncheck();

  await summary.click();
  const tool = panel.getByTestId('waterfall').locator('[data-testid="span-row"][data-kind="tool"]');
  await expect(tool).toHaveAttribute('data-status', 'denied');
  await expect(tool).not.toHaveClass(/span-error/);
  await expect(panel.getByTestId('waterfall').locator('.span-error')).toHaveCount(0);
});

test('each turn in the traces list says what it was asked, beside its conversation\'s title', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(currentHost().url);
  await send(page, 'list the files');
  await expect(page.locator('[data-testid="message"][data-answer="true"]')).toHaveCount(1);
  await send(page, 'write report.md with due friday');
  await page.getByRole('dialog', { name: /report\.md/ }).getByRole('button', { name: 'Allow once' }).click();
  await expect(page.locator('[data-testid="message"][data-answer="true"]')).toHaveCount(2);

  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Traces' }).click();
  const summary = page.getByRole('complementary', { name: 'Trace' }).getByTestId('trace-summary');
  await expect(summary).toHaveCount(2);
  await expect(summary.getByTestId('trace-request')).toHaveText(['write report.md with due friday', 'list the files']);
  await page.screenshot({ path: test.info().outputPath('trace-rows.png') });
});
