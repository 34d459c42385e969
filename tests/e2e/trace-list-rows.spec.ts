import { expect, test, type Locator } from '@playwright/test';
import { send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

test('a call the person denied reads "1 denied" in the traces list, not an error in red, and its step is drawn as a decision', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(currentHost().url);
  await send(page, 'write a.txt with 1');
  await page.getByRole('dialog', { name: 'Write 1 character to a.txt' }).getByRole('button', { name: 'Deny' }).click();
  const card = page.getByTestId('tool-call').last();
  await expect(card).toHaveAttribute('data-status', 'denied');
  // The card says the refusal in an approval's colour, its reason a note: nothing on it is drawn as an error.
  const colour = (locator: Locator) => locator.evaluate((el) => getComputedStyle(el).color);
  const danger = await page.evaluate(() => {
    const probe = document.body.appendChild(document.createElement('span'));
    probe.style.color = 'var(--danger)';
    const value = getComputedStyle(probe).color;
    probe.remove();
    return value;
  });
  // "denied by you" says who: no note repeats it as "The person denied fs.write." (one the person typed is shown).
  await expect(card.getByTestId('tool-decision')).toHaveText('denied by you');
  await expect(card.getByTestId('tool-refusal')).toHaveCount(0);
  await expect(card.locator('.tool-error')).toHaveCount(0);
  expect(await colour(card.getByTestId('tool-status'))).not.toBe(danger);

  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Traces' }).click();
  const panel = page.getByRole('complementary', { name: 'Trace' });
  // Opened from the sidebar's Traces, the panel is headed as its button was named.
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('Traces');
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
  // Its details say "denied" as the list does, not a red "error", and its message is why, not an Error.
  await tool.click();
  const details = panel.getByTestId('span-details');
  await expect(details.getByTestId('span-status')).toHaveText('denied');
  expect(await colour(details.getByTestId('span-status'))).not.toBe(danger);
  await expect(details.locator('.error-text')).toHaveCount(0);
  await expect(details.getByRole('definition').filter({ hasText: 'The person denied fs.write.' })).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('denied-span.png') });
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

test('each reply\'s Trace button has a name of its own, with the time to the second and what was asked, for turns in the same minute', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'list the files');
  await expect(page.locator('[data-testid="message"][data-answer="true"]')).toHaveCount(1);
  await send(page, 'search for invoice');
  await expect(page.locator('[data-testid="message"][data-answer="true"]')).toHaveCount(2);

  const answers = page.locator('[data-testid="message"][data-answer="true"]').getByTestId('open-trace');
  await expect(answers.nth(0)).toHaveAccessibleName(/^Trace of the turn at \d{1,2}:\d{2}:\d{2}.*, “list the files”$/);
  await expect(answers.nth(1)).toHaveAccessibleName(/^Trace of the turn at \d{1,2}:\d{2}:\d{2}.*, “search for invoice”$/);
  // A step that called a tool says so, so it does not read as its turn's answer.
  await expect(page.getByTestId('open-trace').first()).toHaveAccessibleName(/, “list the files”, calling fs\.list$/);
  const names = await page.getByTestId('open-trace').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
  expect(names.length).toBeGreaterThanOrEqual(4);
  expect(new Set(names).size).toBe(names.length);
});
