import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

test("a script's many calls are one row in the sidebar, on top with its latest call, each call with its own trace; the person's chat stays", async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  writeFileSync(join(host.workspace, 'a.txt'), 'alpha');
  await page.goto(host.url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await host.api('conversations.create', { title: 'My notes' });
  const backup = await host.createScriptKey('nightly backup', ['tools']);
  const other = await host.createScriptKey('other', ['tools']);
  for (let i = 0; i < 8; i++) expect((await backup.callTool('fs.read', { path: 'a.txt' })).output).toMatchObject({ outcome: 'ok' });
  await other.callTool('fs.read', { path: 'a.txt' });
  await backup.callTool('fs.list', { path: '.' });

  const day = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  const title = `nightly backup · API key · ${day}`;
  const rows = page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation-row');
  await expect(rows).toHaveText([new RegExp(title), /other · API key/, /My notes/]);
  await page.screenshot({ path: test.info().outputPath('one-row-per-caller.png') });

  // Opened, it holds every call of the key, each said by who made it, each with its own trace.
  await rows.filter({ hasText: title }).getByTestId('conversation').click();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByTestId('tool-call')).toHaveCount(9);
  await expect(log.locator('[data-role="user"] .message-role')).toHaveText(Array(9).fill('Local API (key "nightly backup")'));
  await log.getByTestId('open-trace').first().click();
  const panel = page.getByRole('complementary', { name: 'Trace' });
  await expect(panel.locator('[data-testid="span-row"][data-kind="tool"]').first()).toBeVisible();
  await expect(panel.locator('[data-testid="span-row"][data-kind="tool"]')).toHaveCount(1);

  // A call the policy asks about waits in the same conversation, open here (its request shows above the dialog);
  // the key's later calls share it, so it may be allowed for the conversation.
  const write = backup.callTool('fs.write', { path: 'out.txt', content: 'done' });
  const dialog = page.getByRole('dialog', { name: 'Write 4 characters to out.txt' });
  await expect(dialog.getByTestId('approval-requested-by')).toHaveText('Local API (key "nightly backup")');
  await expect(log.locator('[data-direct-call="true"]')).toHaveCount(10);
  await expect(log.locator('[data-direct-call="true"]').last()).toContainText('out.txt');
  await expect(dialog.getByRole('button', { name: 'Allow for nightly backup today' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  expect((await write).output).toMatchObject({ outcome: 'ok', approval: 'approved' });
  await expect(log.getByTestId('tool-call')).toHaveCount(10);
  await expect(rows).toHaveCount(3);

  // The Markdown export has every call.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown.match(/^## Local API \(key "nightly backup"\) called `fs\.\w+`/gm)).toHaveLength(10);
});
