import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { send } from './chat-page';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

async function start(files: Record<string, string> = {}): Promise<void> {
  host = new HeadlessHost();
  mkdirSync(join(host.workspace, 'notes'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(host.dataDir, name), text);
  await host.start();
}

const BROKEN = 'version: 1\nrules:\n  - id: x\n    effect: nope\n';
const FIXED = 'version: 1\nrules:\n  - id: deny.all-writes\n    effect: deny\n    reason: no writes today\n    match:\n      tool: "fs.write"\n';

/** Saves an "Always allow" rule for one file from its approval dialog. */
async function alwaysAllow(page: Page, file: string): Promise<void> {
  await send(page, `write ${file} with x`);
  const dialog = page.getByRole('dialog', { name: `Write 1 character to ${file}` });
  await dialog.getByRole('button', { name: 'Always allow…' }).click();
  await dialog.getByRole('button', { name: 'Save rule and allow' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('tool-call').last()).toHaveAttribute('data-status', 'succeeded');
}

test('the Policies page follows policy.yaml while it is open, and leaves what the person types alone', async ({ page }) => {
  await start({ 'policy.yaml': BROKEN });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Policies' }).click();
  const policies = page.getByTestId('policies');
  await expect(policies.getByTestId('policy-file-error')).toBeVisible();

  // Half-way through asking the explain box something when the file is fixed in an editor.
  const tool = policies.getByRole('textbox', { name: 'Tool' });
  await tool.fill('fs.wri');
  writeFileSync(join(host.dataDir, 'policy.yaml'), FIXED);
  await expect(policies.getByTestId('policy-file-error')).toHaveCount(0);
  await expect(policies.getByTestId('policy-rule').filter({ hasText: 'deny.all-writes' })).toContainText('no writes today');
  await expect(tool).toHaveValue('fs.wri');
  await expect(tool).toBeFocused();
  await tool.pressSequentially('te');
  await policies.getByRole('button', { name: 'Explain' }).click();
  await expect(policies.getByTestId('explain-result')).toContainText('deny by rule deny.all-writes');

  // Broken again: said so while the page is open, and the rules last in force stay listed.
  writeFileSync(join(host.dataDir, 'policy.yaml'), BROKEN);
  await expect(policies.getByTestId('policy-file-error')).toBeVisible();
  await expect(policies.getByTestId('policy-rule').filter({ hasText: 'deny.all-writes' })).toBeVisible();
});

test("with no policy.yaml of the person's own, the page says where it goes, and stops saying so once it is there", async ({ page }) => {
  await start();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Policies' }).click();
  const policies = page.getByTestId('policies');
  const file = join(host.dataDir, 'policy.yaml');
  await expect(policies).toContainText(`To change them, copy it to ${file}: your file takes over as soon as it is there.`);
  writeFileSync(file, FIXED);
  await expect(policies.getByTestId('policy-rule').filter({ hasText: 'deny.all-writes' })).toBeVisible();
  await expect(policies).not.toContainText('To change them, copy it to');
});

test('Explain: a JSON mistake takes the previous answer away; Revoke hands the keyboard to the next rule, then to the heading', async ({ page }) => {
  await start();
  await page.goto(host.url);
  await alwaysAllow(page, 'notes/a.md');
  await alwaysAllow(page, 'notes/b.md');
  await page.getByRole('button', { name: 'Policies' }).click();
  const policies = page.getByTestId('policies');

  await policies.getByRole('button', { name: 'Explain' }).click();
  await expect(policies.getByTestId('explain-result')).toContainText('default.mutating');
  await policies.getByRole('textbox', { name: 'Arguments (JSON)' }).fill('{"path": "a.txt"');
  await policies.getByRole('button', { name: 'Explain' }).click();
  await expect(policies.getByRole('alert')).toBeVisible();
  await expect(policies.getByTestId('explain-result')).toHaveCount(0);

  const rules = policies.getByTestId('user-rule');
  await expect(rules).toHaveCount(2);
  const second = rules.nth(1).getByRole('button', { name: /^Revoke/ });
  const secondName = await second.getAttribute('aria-label');
  await rules.first().getByRole('button', { name: /^Revoke/ }).click();
  await expect(rules).toHaveCount(1);
  await expect(policies.getByRole('button', { name: secondName! })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(rules).toHaveCount(0);
  await expect(policies.getByRole('heading', { name: 'Your “Always allow” rules' })).toBeFocused();
});
