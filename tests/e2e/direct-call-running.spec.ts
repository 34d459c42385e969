import { expect, test, type Page } from '@playwright/test';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

async function scriptKey(page: Page, name: string) {
  host = new HeadlessHost();
  await host.start();
  await page.goto(host.url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  const post = async (channel: string, input: unknown, bearer: string) => {
    const response = await fetch(`${host.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(input) });
    return (await response.json()) as { ok: boolean; output: Record<string, unknown> };
  };
  const token = new URL(host.url).searchParams.get('token')!;
  const key = (await post('apiKeys.create', { name, scopes: ['chat'] }, token)).output.key as string;
  return (channel: string, input: unknown) => post(channel, input, key);
}

test("a script's call waiting for the person shows its conversation running (the sidebar's dot, Stop) until it ends", async ({ page }) => {
  const script = await scriptKey(page, 'nightly backup');
  const title = 'fs.write · local API (key "nightly backup")';
  const rows = page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation-row');

  const stopped = script('tools.call', { name: 'fs.write', arguments: { path: 'a.txt', content: 'a' } });
  const dialog = page.getByRole('dialog', { name: 'Write 1 character to a.txt' });
  await expect(dialog).toBeVisible();
  // It is the script that waits for the answer, not Portcullis: the heading and the request say so, and a note with
  // a denial goes back to it.
  await expect(page.getByRole('heading', { name: 'Local API (key "nightly backup") is waiting for your approval' })).toBeVisible();
  await expect(dialog.getByTestId('approval-requested-by')).toHaveText('Local API (key "nightly backup")');
  await expect(dialog.getByRole('textbox', { name: 'Note to Local API (key "nightly backup")' })).toBeVisible();
  // Not opened yet, its row says it runs, as a turn of the person's would.
  await expect(rows.filter({ hasText: title }).getByRole('img', { name: 'working' })).toBeVisible();
  await dialog.getByRole('button', { name: `Open ${title}`, exact: true }).click();
  // Opened, it can be stopped as a turn is: Stop cancels the call, and the script is told so.
  await page.getByRole('button', { name: 'Stop' }).click();
  expect((await stopped).output).toMatchObject({ outcome: 'denied', error: { code: 'TURN_STOPPED' } });
  await expect(dialog).toHaveCount(0);
  await expect(rows.getByRole('img', { name: 'working' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByTestId('tool-call')).toHaveAttribute('data-status', 'denied');

  // Answered, it runs and ends: the dot goes once it has.
  const allowed = script('tools.call', { name: 'fs.write', arguments: { path: 'b.txt', content: 'b' } });
  const second = page.getByRole('dialog', { name: 'Write 1 character to b.txt' });
  await expect(second).toBeVisible();
  await expect(rows.getByRole('img', { name: 'working' })).toHaveCount(1);
  await second.getByRole('button', { name: 'Allow once' }).click();
  expect((await allowed).output).toMatchObject({ outcome: 'ok', approval: 'approved' });
  await expect(rows.getByRole('img', { name: 'working' })).toHaveCount(0);
});
