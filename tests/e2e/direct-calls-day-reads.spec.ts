import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

test("a script's day of calls reads as a list of calls: who and when on each call's line with its Trace, its card under it, the note once", async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  writeFileSync(join(host.workspace, 'a.txt'), 'alpha');
  await page.goto(host.url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  const call = (await host.createScriptKey('nightly backup', ['tools'])).callTool;
  for (let i = 0; i < 3; i++) expect((await call('fs.read', { path: 'a.txt' })).output).toMatchObject({ outcome: 'ok' });
  expect((await call('fs.read', { path: 'missing.txt' })).output).toMatchObject({ outcome: 'error' });

  // A call that waits for the person: the dialog still says who asks and what, and the conversation it is in.
  const title = `nightly backup · API key · ${new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}`;
  const written = call('fs.write', { path: 'out.txt', content: 'done' });
  const dialog = page.getByRole('dialog', { name: 'Write 4 characters to out.txt' });
  await expect(dialog.getByTestId('approval-requested-by')).toHaveText('Local API (key "nightly backup")');
  await expect(dialog).toContainText(`Conversation${title}`);
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  expect((await written).output).toMatchObject({ outcome: 'ok', approval: 'approved' });
  const refused = call('fs.write', { path: 'other.txt', content: 'no' });
  await page.getByRole('dialog', { name: 'Write 2 characters to other.txt' }).getByRole('button', { name: 'Deny', exact: true }).click();
  expect((await refused).output).toMatchObject({ outcome: 'denied' });
  expect((await call('fs.list', { path: '.' })).output).toMatchObject({ outcome: 'ok' });

  // Its row in the sidebar: the key's name first, so the column's cut leaves it readable; the whole title on hover
  // and as the row's name.
  const row = page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation').first();
  await expect(row).toHaveAccessibleName(title);
  await expect(row).toHaveAttribute('title', title);
  await row.click();
  const nameShown = await row.locator('.conversation-title').evaluate((shown) => {
    const range = document.createRange();
    range.setStart(shown.firstChild!, 0);
    range.setEnd(shown.firstChild!, 'nightly backup'.length);
    // Left of where the column cuts it (an ellipsis takes about a character's width).
    return range.getBoundingClientRect().right <= shown.getBoundingClientRect().right - 12;
  });
  expect(nameShown).toBe(true);
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByTestId('tool-call')).toHaveCount(7);
  expect(await log.getByTestId('tool-call').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-status')))).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded', 'denied', 'succeeded']);

  // "No model took part" is said once, under the first call, not under each of the seven.
  await expect(log.getByText('no model took part')).toHaveCount(1);
  await expect(log.locator('.direct-call-note')).toHaveCount(1);
  // Each call's line says who called what and when, to the second, and holds its own Trace, named apart.
  const requests = log.locator('[data-direct-call="true"]');
  await expect(requests).toHaveCount(7);
  await expect(requests.locator('.message-time')).toHaveText(Array(7).fill(/^\d{1,2}:\d{2}:\d{2}/));
  const traces = requests.getByTestId('open-trace');
  await expect(traces).toHaveCount(7);
  await expect(log.getByTestId('open-trace')).toHaveCount(7);
  const names = await traces.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
  expect(names.every((name) => /^Trace of the call at \d{1,2}:\d{2}:\d{2}.*, “tools\.call fs\.\w+ /.test(name ?? ''))).toBe(true);
  expect(names[3]).toContain('missing.txt');
  // Each call's command says what was asked; who asked is on its line and said once in the note, not again under it.
  await expect(requests.locator('.direct-call-request').first()).toHaveText('tools.call fs.read {"path":"a.txt"}');
  await expect(log.getByText('(local API, key "nightly backup")')).toHaveCount(0);
  // The card sits under its call's line, with no "Tool" header and time of its own.
  await expect(log.locator('[data-role="tool"] .message-header')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('day-of-calls.png') });
  expect(await seriousViolations(page, '.message-list')).toEqual([]);
  await page.emulateMedia({ colorScheme: null });

  // By keyboard: the failed call's Trace opens its trace.
  await traces.nth(3).focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('complementary', { name: 'Trace' });
  await expect(panel.locator('[data-testid="span-row"][data-kind="tool"]')).toHaveCount(1);
  await expect(panel.locator('[data-testid="span-row"][data-kind="tool"]')).toContainText('fs.read');
  // The call's own record still names its caller, on its root span.
  await panel.locator('[data-testid="span-row"][data-kind="turn"]').click();
  await expect(panel).toContainText('key "nightly backup"');
});
