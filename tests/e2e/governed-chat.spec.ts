import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { finalReply, send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();


test('"list files" shows the workspace files', async ({ page }) => {
  writeFileSync(join(currentHost().workspace, 'report.md'), '# Q3');
  writeFileSync(join(currentHost().workspace, 'budget.csv'), 'a,b');
  await page.goto(currentHost().url);
  await expect(page.getByTestId('workspace-path')).toContainText(currentHost().workspace);
  await send(page, 'list files');
  const card = page.getByTestId('tool-call').first();
  await expect(card).toHaveAttribute('data-status', 'succeeded');
  await expect(card).toHaveAttribute('data-tool', 'fs.list');
  await expect(card.getByTestId('tool-decision')).toContainText('allowed by rule default.read-only');
  await expect(finalReply(page)).toContainText('report.md');
  await expect(finalReply(page)).toContainText('budget.csv');
});

test('a write waits in the approval dialog; Allow once writes the file', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'write hello.txt with hi');
  const dialog = page.getByRole('dialog', { name: 'Write 2 characters to hello.txt' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('approval-reason')).toContainText('default.mutating');
  await expect(dialog.getByTestId('approval-arguments')).toContainText('hello.txt');
  await expect(dialog.getByTestId('approval-countdown')).toContainText('means deny');
  expect(existsSync(join(currentHost().workspace, 'hello.txt'))).toBe(false);
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('tool-call').first()).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('tool-call').first().getByTestId('tool-decision')).toContainText('approved by you');
  // Its time is the write's own, with the wait for the person told apart.
  await expect(page.getByTestId('tool-call').first().getByTestId('tool-duration')).toHaveText(/^[\d.]+ m?s, after [\d.]+ (m?s|min \d+ s) waiting for you$/);
  await expect(finalReply(page)).toContainText('hello.txt');
  expect(readFileSync(join(currentHost().workspace, 'hello.txt'), 'utf8')).toBe('hi');
});

test('Deny leaves no file and the chat says it was denied', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'write hello.txt with hi');
  const dialog = page.getByRole('dialog', { name: 'Write 2 characters to hello.txt' });
  await dialog.getByRole('textbox', { name: 'Note to the agent' }).fill('not today');
  await dialog.getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByTestId('tool-call').first()).toHaveAttribute('data-status', 'denied');
  // It never ran: its time is the wait for the person alone, not a few ms of "running" before it.
  await expect(page.getByTestId('tool-call').first().getByTestId('tool-duration')).toHaveText(/^[\d.]+ (m?s|min \d+ s) waiting for you$/);
  await expect(finalReply(page)).toContainText('denied');
  expect(existsSync(join(currentHost().workspace, 'hello.txt'))).toBe(false);

  // One a rule denies never ran: its card says by which rule, and shows no time.
  await send(page, 'read .env');
  await expect(page.getByTestId('tool-call')).toHaveCount(2);
  const denied = page.getByTestId('tool-call').last();
  await expect(denied.getByTestId('tool-decision')).toHaveText('denied by rule deny.secrets');
  // Then the rule's reason, not "Denied by policy rule deny.secrets: …" a second time.
  await expect(denied.getByTestId('tool-refusal')).toHaveText(/^Files that usually hold secrets/);
  await expect(denied.getByTestId('tool-duration')).toHaveCount(0);
});

test('the conversation and its messages survive a restart of the host', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'list files');
  await expect(finalReply(page)).toContainText('no files');
  const url = await currentHost().restart();
  await page.goto(url);
  const conversation = page.getByTestId('conversation').first();
  await expect(conversation).toContainText('list files');
  await conversation.click();
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toContainText('list files');
  await expect(finalReply(page)).toContainText('no files');
  await expect(page.getByTestId('tool-call')).toHaveAttribute('data-status', 'succeeded');
});

test('the turn trace opens from the chat and lists its spans', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'list files');
  await expect(finalReply(page)).toContainText('no files');
  await finalReply(page).getByTestId('open-trace').click();
  const panel = page.getByRole('complementary', { name: 'Trace' });
  await expect(panel.getByTestId('span-row').first()).toBeVisible();
  for (const kind of ['turn', 'model', 'tool', 'policy', 'sandbox']) {
    await expect(panel.locator(`[data-testid="span-row"][data-kind="${kind}"]`).first()).toBeVisible();
  }
  await page.screenshot({ path: test.info().outputPath('trace-panel.png') });
});

test('a request without the token is refused', async ({ page, request }) => {
  const response = await request.get(currentHost().origin + '/');
  expect(response.status()).toBe(401);
  expect(await response.text()).not.toContain('<div id="root">');
  const api = await request.get(currentHost().origin + '/assets/', { failOnStatusCode: false });
  expect(api.status()).toBe(401);
  await page.goto(currentHost().origin + '/');
  await expect(page.locator('body')).toContainText('Unauthorized');
});
