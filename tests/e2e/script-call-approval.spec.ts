import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

test("a script's call through the local API asks the person on the open page, naming the script's conversation by its key", async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  await page.goto(host.url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  const script = await host.createScriptKey('nightly backup', ['chat']);
  // Made after the page loaded: the conversation it is recorded in is new to the page.
  const call = script.callTool('fs.write', { path: 'backup.txt', content: 'done' });

  const dialog = page.getByRole('dialog', { name: 'Write 4 characters to backup.txt' });
  // The key's calls of the day share one conversation, titled by the key and the day.
  const title = `nightly backup · API key · ${new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}`;
  await expect(dialog).toContainText(title);
  await expect(page.getByRole('navigation', { name: 'Conversations' }).getByText(title)).toBeVisible();
  // The key's later calls of the day go to the same conversation: an allowance for it holds for them, said so.
  await expect(dialog.getByRole('button', { name: 'Allow for nightly backup today' })).toBeVisible();
  await expect(dialog).toContainText('"Allow for nightly backup today" lets its later fs.write calls run unasked until midnight, from any of its sessions');
  // The keys' hint is on a line of its own under that sentence, not run on after it.
  const hint = (await dialog.locator('.approval-hint').boundingBox())!;
  const keys = (await dialog.getByText('Enter: allow once · D: deny').boundingBox())!;
  expect(keys.y).toBeGreaterThan(hint.y + 5);
  expect(keys.x).toBeCloseTo(hint.x, 0);
  await expect(dialog.getByRole('button', { name: 'Always allow…' })).toBeVisible();
  // Opened from the request, its conversation says the call waits, not that it ended and could be retried.
  await dialog.getByRole('button', { name: `Open ${title}`, exact: true }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByTestId('turn-status')).toHaveText('Waiting for your approval below…');
  await expect(log.getByTestId('turn-error')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  expect((await call).output).toMatchObject({ outcome: 'ok', approval: 'approved' });
  expect(readFileSync(join(host.workspace, 'backup.txt'), 'utf8')).toBe('done');
  // What the call recorded shows as it ends, with nothing to reopen: its card and the note that no model took part.
  await expect(log.getByTestId('tool-call')).toHaveAttribute('data-status', 'succeeded');
  await expect(log.getByTestId('message').last()).toContainText('no model took part');
  await expect(log.getByTestId('turn-status')).toHaveCount(0);
  await expect(log.getByTestId('turn-error')).toHaveCount(0);
  // The request is the script's, not the person's: its header names the key that made it, after a reload too.
  const request = log.locator('[data-role="user"]');
  await expect(request.locator('.message-role')).toHaveText('Local API (key "nightly backup")');
  // Drawn apart from the person's messages: a muted command line that says who called what, not their boxed words,
  // and no "Portcullis: Calling fs.write" as if a model of Portcullis had asked for it.
  await expect(request).toHaveAttribute('data-direct-call', 'true');
  await expect(request.locator('.message-header')).toHaveText(/^Local API \(key "nightly backup"\)called fs\.write/);
  await expect(request).toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
  await expect(request).toHaveCSS('border-top-width', '0px');
  await expect(request.locator('.direct-call-request')).toHaveText(/^tools\.call fs\.write \{"path":"backup\.txt","content":"done"\}/);
  await expect(log.getByText('Calling fs.write')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('script-call-author.png') });
  // The Markdown export says it the same way.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toMatch(/^## Local API \(key "nightly backup"\) called `fs\.write` · /m);
  expect(markdown).not.toMatch(/^## You/m);
  expect(markdown).not.toContain('Calls `fs.write`');
  await page.reload();
  await page.getByRole('navigation', { name: 'Conversations' }).getByText(title).click();
  await expect(log.locator('[data-role="user"] .message-role')).toHaveText('Local API (key "nightly backup")');
});

test("Esc on a waiting approval stops what asked it, its hint says so, and another conversation's turn goes on waiting", async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  await page.goto(host.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('write mine.txt with 1');
  await box.press('Enter');
  const own = page.getByRole('dialog', { name: 'Write 1 character to mine.txt' });
  await expect(own).toBeVisible();
  await expect(own.getByText('Esc: stop the turn')).toBeVisible();

  // A script's call waits too, in its own conversation, while the open one's turn waits for its answer.
  const nightly = await host.createScriptKey('nightly', ['chat']);
  const call = nightly.callTool('fs.write', { path: 'script.txt', content: 'x' });
  const script = page.getByRole('dialog', { name: 'Write 1 character to script.txt' });
  await expect(script.getByText('Esc: stop the call')).toBeVisible();
  await script.focus();
  await page.keyboard.press('Escape');
  // The script's call is stopped, not the open conversation's turn, which still waits for its answer.
  expect((await call).output).toMatchObject({ outcome: 'denied', error: { code: 'TURN_STOPPED' } });
  await expect(script).toHaveCount(0);
  await expect(own).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();

  // Esc on the turn's own request stops the turn, as Stop does.
  await own.focus();
  await page.keyboard.press('Escape');
  await expect(own).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
  await expect(page.getByTestId('tool-call').last().getByTestId('tool-status')).toHaveText('cancelled');
});
