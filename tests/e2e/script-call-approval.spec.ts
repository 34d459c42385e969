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
  const token = new URL(host.url).searchParams.get('token')!;
  const api = async (channel: string, input: unknown, bearer = token) => {
    const response = await fetch(`${host.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(input) });
    return (await response.json()) as { ok: boolean; output: Record<string, unknown> };
  };
  const { output } = await api('apiKeys.create', { name: 'nightly backup', scopes: ['chat'] });
  // Made after the page loaded: the conversation it is recorded in is new to the page.
  const call = api('tools.call', { name: 'fs.write', arguments: { path: 'backup.txt', content: 'done' } }, output.key as string);

  const dialog = page.getByRole('dialog', { name: 'Write 4 characters to backup.txt' });
  await expect(dialog).toContainText('fs.write · local API (key "nightly backup")');
  await expect(page.getByRole('navigation', { name: 'Conversations' }).getByText('fs.write · local API (key "nightly backup")')).toBeVisible();
  // The script's call is alone in its conversation: an allowance for that conversation would hold for nothing.
  await expect(dialog.getByRole('button', { name: 'Allow for this conversation' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Always allow…' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  expect((await call).output).toMatchObject({ outcome: 'ok', approval: 'approved' });
  expect(readFileSync(join(host.workspace, 'backup.txt'), 'utf8')).toBe('done');
});
