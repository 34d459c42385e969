import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { finalReply } from './chat-page';

let hosts: Host[] = [];
let dataDir = '';

test.afterEach(async () => {
  for (const host of hosts) await stopHost(host, 'SIGKILL');
  hosts = [];
  rmSync(dataDir, { recursive: true, force: true });
});

test('a turn another Portcullis runs in the conversation reads as running there, not as ended with a Retry, and its answer shows once it ends', async ({ page }) => {
  dataDir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-'));
  const first = await startHost(dataDir);
  hosts.push(first);
  const second = await startHost(dataDir); // the same data folder: both answer turns
  hosts.push(second);
  const { id } = await callHost<{ id: string }>(first, 'conversations.create', {});
  await callHost(first, 'chat.send', { conversationId: id, text: 'write a.txt with hi' });
  await expect.poll(() => callHost<unknown[]>(first, 'approvals.pending').then((list) => list.length)).toBe(1);

  await page.goto(`http://127.0.0.1:${second.port}/?token=${second.token}`);
  // Before it is opened, its row shows it running, as a turn of this window's would be, and says where.
  const row = page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation-row').first();
  const dot = row.getByTestId('running-elsewhere');
  await expect(dot).toHaveAttribute('title', `Running in another Portcullis window or process (pid ${first.process.pid})`);
  await expect(row.getByRole('button', { name: `write a.txt with hi Running in another Portcullis window or process (pid ${first.process.pid})` })).toBeVisible();
  // Its Delete waits for that turn, saying why (the host would refuse it).
  await row.getByTestId('conversation').focus();
  await page.keyboard.press('Delete');
  await expect(row).toContainText(`A turn is running here in another Portcullis (pid ${first.process.pid}): wait for it or stop it there first.`);
  await expect(row.getByRole('button', { name: 'Delete', exact: true })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('running-elsewhere-row.png') });
  await row.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation').first().click();
  const notice = page.getByTestId('turn-elsewhere');
  await expect(notice).toContainText(`A turn is running in this conversation in another Portcullis (pid ${first.process.pid}).`);
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(page.getByTestId('turn-error')).toHaveCount(0);

  const [pending] = await callHost<{ id: string }[]>(first, 'approvals.pending');
  await callHost(first, 'approvals.decide', { approvalId: pending!.id, choice: 'allow_once' });
  // No event comes from the other process: the page looks again, and loads what the turn wrote once it has ended.
  await expect(finalReply(page)).toBeVisible({ timeout: 10_000 });
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('turn-error')).toHaveCount(0);
  await expect(page.getByTestId('tool-call').last()).toHaveAttribute('data-status', 'succeeded');
  await expect(dot).toHaveCount(0);
});
