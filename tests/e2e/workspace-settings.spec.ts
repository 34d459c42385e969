import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { finalReply, send } from './chat-page';
import { HeadlessHost } from './headless-host';

const openWorkspaceSettings = async (page: Page) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  return page.getByRole('region', { name: 'Workspace' });
};

test('Settings chooses the workspace: a bad path is refused in place, a folder is used from the next start on', async ({ page }) => {
  const chosen = realpathSync(mkdtempSync(join(tmpdir(), 'portcullis-e2e-chosen-')));
  const host = new HeadlessHost();
  await host.start();
  try {
    await page.goto(host.url);
    let section = await openWorkspaceSettings(page);
    await expect(section.getByTestId('workspace-in-use')).toHaveText(`In use: ${host.workspace} (the default, inside the data folder)`);
    const field = section.getByRole('textbox', { name: 'Folder to use (its full path)' });

    await field.fill(join(chosen, 'not-there'));
    await field.press('Enter');
    await expect(section.getByRole('alert')).toHaveText(`Not changed. There is no folder at ${join(chosen, 'not-there')}: create it first, or type another path.`);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await field.fill('projects');
    await section.getByRole('button', { name: 'Save folder' }).click();
    await expect(section.getByRole('alert')).toContainText('"projects" is not a full path');
    await expect(section.getByTestId('workspace-pending')).toHaveCount(0);
    expect(await seriousViolations(page, '[data-testid="workspace-settings"]'), 'with an error shown').toEqual([]);

    await field.fill(chosen);
    await section.getByRole('button', { name: 'Save folder' }).click();
    await expect(section.getByTestId('workspace-pending')).toHaveText(`Takes effect when Portcullis restarts: it will then use ${chosen}.`);
    await expect(section.getByRole('alert')).toHaveCount(0);
    await expect(section.getByTestId('workspace-in-use')).toContainText(host.workspace);
    expect(await seriousViolations(page, '[data-testid="workspace-settings"]'), 'with the restart note').toEqual([]);

    await host.restart();
    await page.goto(host.url);
    section = await openWorkspaceSettings(page);
    await expect(section.getByTestId('workspace-in-use')).toHaveText(`In use: ${chosen} (chosen here)`);
    await expect(section.getByTestId('workspace-pending')).toHaveCount(0);
    await expect(field).toHaveValue(chosen);

    // The tools work in the chosen folder now.
    await page.getByRole('button', { name: 'Close settings' }).click();
    await send(page, 'write hello.txt with hi');
    await page.getByRole('dialog', { name: 'Write 2 characters to hello.txt' }).getByRole('button', { name: 'Allow once' }).click();
    await expect(finalReply(page)).toContainText('hello.txt');
    expect(existsSync(join(chosen, 'hello.txt'))).toBe(true);
    expect(existsSync(join(host.workspace, 'hello.txt'))).toBe(false);

    // Back to the default, from the keyboard.
    section = await openWorkspaceSettings(page);
    await section.getByRole('button', { name: 'Use the default' }).focus();
    await page.keyboard.press('Enter');
    await expect(section.getByTestId('workspace-pending')).toHaveText(`Takes effect when Portcullis restarts: it will then use ${host.workspace}.`);
    await expect(section.getByRole('button', { name: 'Use the default' })).toBeDisabled();
  } finally {
    await host.stop();
    rmSync(chosen, { recursive: true, force: true });
  }
});
