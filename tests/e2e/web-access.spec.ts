import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { seriousViolations } from './axe';
import { finalReply, send, useHostPerTest } from './chat-page';

const host = useHostPerTest();

test("a fetch refused as off the allowlist points to Tools & servers' Web access, where the domain is added and removed by keyboard", async ({ page }) => {
  await page.goto(host().url);
  // Refused before anyone is asked, saying where to allow it.
  await send(page, 'http.fetch {"url": "https://example.com/data.csv"}');
  await expect(finalReply(page)).toContainText('If you trust it, add it under "Web access (http.fetch)" on the Tools & servers page');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
  const section = page.getByRole('region', { name: 'Web access (http.fetch)' });
  await expect(section).toContainText('No domain yet: http.fetch refuses every URL.');
  const field = section.getByRole('textbox', { name: 'Domain' });
  // From the page's heading, the section is reached with Tab alone.
  const tabTo = async (target: Locator) => {
    await expect(page.getByRole('heading', { name: 'Tools & servers', exact: true })).toBeFocused();
    for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(target).toBeFocused();
  };
  await tabTo(field);

  // What is pasted from the address bar is refused, saying what to type; nothing is written.
  await page.keyboard.type('https://example.com/data.csv');
  await page.keyboard.press('Enter');
  await expect(section.getByRole('alert')).toHaveText('Not added: Type the domain alone: example.com, without "https://" or a path.');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  expect(await seriousViolations(page, '.web-access'), 'the section with a refused entry').toEqual([]);

  await field.fill('');
  await page.keyboard.type('example.com');
  await page.keyboard.press('Enter');
  await expect(section.getByRole('status')).toHaveText('Added example.com: http.fetch may reach it from the next call.');
  await expect(section.getByRole('list', { name: 'Domains http.fetch may reach' })).toHaveText(/example\.com/);
  await expect(field).toHaveValue('');
  await expect(field).toBeFocused();
  expect(JSON.parse(readFileSync(join(host().dataDir, 'http-fetch.json'), 'utf8'))).toEqual({ allowedDomains: ['example.com'] });
  expect(await seriousViolations(page, '.web-access'), 'the section with a domain').toEqual([]);
  await page.screenshot({ path: join(test.info().outputDir, 'web-access.png') });

  // The next call is on the allowlist: it is put to the person (denied here, so nothing is fetched).
  await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
  await send(page, 'http.fetch {"url": "https://example.com/data.csv"}');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('example.com');
  await dialog.getByRole('button', { name: 'Deny' }).click();
  await expect(dialog).toHaveCount(0);

  // Removed by keyboard: the keyboard comes back to the field once the list is empty.
  await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
  await tabTo(section.getByRole('button', { name: 'Remove example.com' }));
  await page.keyboard.press('Enter');
  await expect(section.getByRole('status')).toHaveText('Removed example.com: http.fetch no longer reaches it.');
  await expect(section).toContainText('No domain yet: http.fetch refuses every URL.');
  // At once, not at the page's next refresh.
  await expect(field).toBeFocused({ timeout: 1_000 });
  expect(JSON.parse(readFileSync(join(host().dataDir, 'http-fetch.json'), 'utf8'))).toEqual({ allowedDomains: [] });

  // A hand edit of the file shows up on the open page.
  writeFileSync(join(host().dataDir, 'http-fetch.json'), JSON.stringify({ allowedDomains: ['api.example.org'] }));
  await expect(section.getByRole('list', { name: 'Domains http.fetch may reach' })).toHaveText(/api\.example\.org/);
  // localhost, which http.fetch never reaches: refused on Add saying why; written by hand, left out and named.
  await field.fill('localhost');
  await field.press('Enter');
  await expect(section.getByRole('alert')).toContainText('Not added: localhost names this computer; http.fetch never reaches this computer or the local network');
  writeFileSync(join(host().dataDir, 'http-fetch.json'), JSON.stringify({ allowedDomains: ['api.example.org', 'localhost'] }));
  await expect(section).toContainText('"localhost" in allowedDomains is left out: localhost names this computer');
  await expect(section.getByRole('list', { name: 'Domains http.fetch may reach' }).getByRole('listitem')).toHaveCount(1);
  // Its warning says nothing of the MCP servers (none here): it is not mcp.json's problem.
  await expect(page.getByTestId('no-servers')).toHaveText('No MCP servers yet: add them below.');
  await page.screenshot({ path: join(test.info().outputDir, 'web-access-localhost.png') });
  // A broken one is said in the section, and Add leaves it for the person to fix.
  writeFileSync(join(host().dataDir, 'http-fetch.json'), '{ "allowedDomains": [');
  await expect(section).toContainText('http-fetch.json is not valid JSON');
  await field.fill('example.net');
  await field.press('Enter');
  await expect(section.getByRole('alert')).toContainText('Fix the file first.');
  expect(readFileSync(join(host().dataDir, 'http-fetch.json'), 'utf8')).toBe('{ "allowedDomains": [');
});

test("a refused fetch's card opens Web access with its domain typed in, for the person to Add", async ({ page }) => {
  await page.goto(host().url);
  await send(page, 'http.fetch {"url": "https://docs.example.com/guide"}');
  const offer = page.getByTestId('tool-call').getByRole('button', { name: 'Allow docs.example.com for http.fetch…' });
  await offer.focus();
  await page.keyboard.press('Enter');
  const section = page.getByRole('region', { name: 'Web access (http.fetch)' });
  const field = section.getByRole('textbox', { name: 'Domain' });
  // Typed in, not added: the person reads it and adds it.
  await expect(field).toHaveValue('docs.example.com');
  await expect(field).toBeFocused();
  await expect(section).toContainText('No domain yet');
  await page.keyboard.press('Enter');
  await expect(section.getByRole('status')).toHaveText('Added docs.example.com: http.fetch may reach it from the next call.');
  expect(JSON.parse(readFileSync(join(host().dataDir, 'http-fetch.json'), 'utf8'))).toEqual({ allowedDomains: ['docs.example.com'] });
  await page.screenshot({ path: join(test.info().outputDir, 'web-access-from-card.png') });
});

test('a domain added to http-fetch.json while Portcullis was closed is told at the next start, in words, until dismissed, and listed in the grant history', async ({ page }) => {
  await host().stop();
  writeFileSync(join(host().dataDir, 'http-fetch.json'), JSON.stringify({ allowedDomains: ['paste.example.net'] }));
  await page.goto(await host().start());
  const notice = page.getByTestId('runtime-notice');
  await expect(notice).toHaveText(
    'Review these changes. While Portcullis was not running, http-fetch.json was changed: http.fetch may reach paste.example.net. If you did not make this change, undo it on Tools & servers. It is in the audit log: Tools & servers → Grant history, or "portcullis audit list sandbox". Open Tools & servers Dismiss',
  );
  expect(await seriousViolations(page, '.runtime-notice'), 'the notice').toEqual([]);
  // Its button opens Tools & servers, whose Grant history has it, marked as made while Portcullis was not running.
  await notice.getByRole('button', { name: 'Open Tools & servers' }).click();
  await expect(page.getByRole('heading', { name: 'Tools & servers', exact: true })).toBeFocused();
  const history = page.getByRole('region', { name: 'Grant history' });
  await history.getByText('Show the newest changes').click();
  await expect(history.getByTestId('grant-change')).toHaveCount(1);
  await expect(history.getByTestId('grant-change')).toContainText('http.fetch may reach paste.example.netchanged while Portcullis was not running');
  expect(await seriousViolations(page, '.grant-history'), 'the grant history').toEqual([]);
  await page.screenshot({ path: join(test.info().outputDir, 'grant-history.png') });
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  // Told once: the next start has nothing new to say.
  await page.goto(await host().restart());
  // app.info has come (it carries the notices said at start).
  await expect(page.getByTestId('workspace-path')).toHaveText(host().workspace);
  await expect(page.getByTestId('runtime-notice')).toHaveCount(0);
});
