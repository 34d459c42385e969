import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { retentionHistory } from '../helpers/retention-history';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;
test.beforeEach(async () => {
  host = new HeadlessHost();
  // A history of 60 conversations older than a month (10 indexed results each), two recent ones.
  const history = retentionHistory(host.dataDir, { old: 60, recent: 2, now: Date.now() });
  history.db.close();
  history.traces.close();
  await host.start();
});
test.afterEach(async () => {
  await host.stop();
});

test('Purge now says it is purging while the slices run, takes no second press, and then says what it removed', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Search & memory' }).click();
  const dialog = page.getByRole('dialog', { name: 'Search & memory' });
  await dialog.getByRole('tab', { name: 'Retention' }).click();
  await dialog.getByRole('spinbutton', { name: /Keep conversations for/ }).fill('30');
  await dialog.getByRole('button', { name: 'Save retention settings' }).click();
  await expect(dialog.getByRole('status')).toContainText('Saved');

  const purge = dialog.getByRole('button', { name: 'Purge now' });
  await purge.click();
  await expect(dialog.getByRole('status')).toContainText('Purging');
  await expect(purge).toBeDisabled();
  await expect(dialog.getByRole('status')).toContainText('Removed 60 conversations, 1800 messages', { timeout: 60_000 });
  await expect(purge).toBeEnabled();
  // The sidebar lists only the two kept (it reads the list again after a cut).
  await expect(page.getByText('new0001', { exact: true })).toBeVisible();
  await expect(page.getByText('old0059', { exact: true })).toHaveCount(0);
});

test('Delete everything while another program reads the database all along says the deleted text stays in portcullis.db-wal for now', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Search & memory' }).click();
  const dialog = page.getByRole('dialog', { name: 'Search & memory' });
  await dialog.getByRole('tab', { name: 'Retention' }).click();
  // Another program (a backup, a second reader) holds a read open: the deletion cannot empty the WAL in its 5 s.
  const reader = new Database(join(host.dataDir, 'portcullis.db'), { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM messages').get();
  try {
    await dialog.getByRole('textbox', { name: 'Confirm delete everything' }).fill('delete everything');
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    await expect(dialog.getByRole('status')).toContainText('Removed 62 conversations', { timeout: 60_000 });
    await expect(dialog.getByRole('status')).toContainText('the deleted text stays in portcullis.db-wal until Portcullis next empties it');
  } finally {
    reader.exec('COMMIT');
    reader.close();
  }
});
