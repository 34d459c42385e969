import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { finalReply, send, waitForServer } from './chat-page';
import { HeadlessHost } from './headless-host';

const root = resolve(__dirname, '..', '..');

test('a write a sandboxed server was refused, or a folder its arguments name, is one click from being granted', async ({ page }) => {
  const host = new HeadlessHost();
  const documents = join(mkdtempSync(join(tmpdir(), 'portcullis-e2e-')), 'Documents');
  const drafts = join(documents, 'drafts');
  mkdirSync(drafts, { recursive: true });
  // A pasted Claude Desktop filesystem server: its folders are arguments, and no sandbox block lets it write them.
  const filesystem = join(root, 'node_modules', '.bin', 'mcp-server-filesystem');
  writeFileSync(join(host.dataDir, 'mcp.json'), JSON.stringify({ mcpServers: { files: { command: filesystem, args: [documents, '/etc'] } } }));
  await host.start();
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    const row = page.getByTestId('server-files');
    await expect(row).toContainText('Connected');
    const folders = row.getByRole('list', { name: 'Folders files may not write' });
    await expect(folders).toContainText(`Its arguments name ${documents}, which its sandbox lets it read but not write.`);
    await expect(row.getByRole('button', { name: `Allow files to write ${documents}` })).toBeVisible();
    // A system folder is never one click away: the row says how to grant it if the person really means it.
    await expect(folders).toContainText('Its arguments name /etc, which its sandbox lets it read but not write. It is not offered here: /etc is a system folder.');
    await expect(row.getByRole('button', { name: 'Allow files to write /etc' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();

    // A write its sandbox refused says where to grant it, and the page offers that folder.
    await send(page, `files.write_file {"path": "${join(drafts, 'todo.md')}", "content": "buy milk"}`);
    // Its approval says so before the answer, with the row's button for the folder its arguments name.
    const warning = page.getByTestId('approval-sandbox-warning');
    await expect(warning).toContainText(`files's sandbox lets it write nothing of yours: if this call writes in ${drafts}, the write will be refused.`);
    await expect(warning).toContainText(`"Allow files to write ${documents}" on the Tools & servers page lets it`);
    expect(await seriousViolations(page, '[data-testid="approval"]'), 'an approval warning of a refused write').toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Allow once' }).click();
    await expect(finalReply(page)).toContainText(`"Allow files to write ${drafts}" on the Tools & servers page lets it`);
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    await expect(folders).toContainText(`files was refused writing in ${drafts}.`);
    expect(await seriousViolations(page, '[data-testid="server-files"]'), 'a row offering write grants').toEqual([]);
    await row.getByRole('button', { name: `Allow files to write ${drafts}` }).click();
    await expect(page.getByLabel('What files may do')).toContainText(`Writes${drafts}`);
    await expect(folders).not.toContainText(`refused writing in ${drafts}`);
  } finally {
    await host.stop();
  }
});

test("a data file a sandboxed server's env names (server-memory's MEMORY_FILE_PATH) is said on its row and one click from being written", async ({ page }) => {
  const host = new HeadlessHost();
  const notes = join(mkdtempSync(join(tmpdir(), 'portcullis-e2e-')), 'notes');
  mkdirSync(notes, { recursive: true });
  const memoryFile = join(notes, 'memory.jsonl');
  const memory = join(root, 'node_modules', '.bin', 'mcp-server-memory');
  writeFileSync(join(host.dataDir, 'mcp.json'), JSON.stringify({ mcpServers: { memory: { command: memory, env: { MEMORY_FILE_PATH: memoryFile } } } }));
  await host.start();
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    const row = page.getByTestId('server-memory');
    await expect(row).toContainText('Connected');
    const folders = row.getByRole('list', { name: 'Folders memory may not write' });
    await expect(folders).toContainText(`Its env's MEMORY_FILE_PATH names ${memoryFile}, which its sandbox does not let it write.`);
    expect(await seriousViolations(page, '[data-testid="server-memory"]'), 'a row offering a write grant for its env').toEqual([]);
    // From the keyboard: the button goes away with the grant and the server restarts; the keyboard stays on its row,
    // on the line saying it restarts, not thrown back to the top of the page.
    await row.getByRole('button', { name: `Allow memory to write ${notes}` }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('What memory may do')).toContainText(`Writes${notes}`);
    await expect(row.getByRole('list', { name: 'Folders memory may not write' })).toHaveCount(0);
    await expect(row.getByTestId('server-status-memory')).toBeFocused();
    await page.keyboard.press('Tab');
    // Tab goes on from there, to this row's next control.
    await expect(row.locator(':focus')).toHaveCount(1);
  } finally {
    await host.stop();
  }
});

test("the approval's warning of a write its sandbox will refuse follows the arguments as the person edits them", async ({ page }) => {
  const host = new HeadlessHost();
  const base = mkdtempSync(join(tmpdir(), 'portcullis-e2e-'));
  const granted = join(base, 'granted');
  const other = join(base, 'other');
  mkdirSync(granted, { recursive: true });
  mkdirSync(other, { recursive: true });
  const filesystem = join(root, 'node_modules', '.bin', 'mcp-server-filesystem');
  writeFileSync(join(host.dataDir, 'mcp.json'), JSON.stringify({ mcpServers: { files: { command: filesystem, args: [base], sandbox: { allowWrite: [granted] } } } }));
  await host.start();
  try {
    await page.goto(host.url);
    await waitForServer(page, 'files');
    await send(page, `files.write_file {"path": "${join(other, 'todo.md')}", "content": "buy milk"}`);
    const dialog = page.getByRole('dialog');
    const warning = dialog.getByTestId('approval-sandbox-warning');
    await expect(warning).toContainText(`if this call writes in ${other}, the write will be refused.`);

    // Edited to a folder it may write: nothing will be refused, and the dialog no longer says so.
    await dialog.getByRole('button', { name: 'Edit arguments' }).click();
    const field = dialog.getByRole('textbox', { name: /Arguments \(JSON\)/ });
    await field.fill(JSON.stringify({ path: join(granted, 'todo.md'), content: 'buy milk' }));
    await expect(warning).toHaveCount(0);
    // Edited back out of it: the warning is back, for the folder now named.
    await field.fill(JSON.stringify({ path: join(base, 'todo.md'), content: 'buy milk' }));
    await expect(warning).toContainText(`if this call writes in ${base}, the write will be refused.`);
    await field.fill(JSON.stringify({ path: join(granted, 'todo.md'), content: 'buy milk' }));
    await expect(warning).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Allow once' }).click();
    await expect(page.getByTestId('tool-call').last()).toHaveAttribute('data-status', 'succeeded');
    expect(readFileSync(join(granted, 'todo.md'), 'utf8')).toBe('buy milk');
  } finally {
    await host.stop();
  }
});

test("the approval's warning of a refused write goes once the person grants the folder on the Tools & servers page, as it told them to", async ({ page }) => {
  const host = new HeadlessHost();
  const notes = join(mkdtempSync(join(tmpdir(), 'portcullis-e2e-')), 'notes');
  mkdirSync(notes, { recursive: true });
  const filesystem = join(root, 'node_modules', '.bin', 'mcp-server-filesystem');
  writeFileSync(join(host.dataDir, 'mcp.json'), JSON.stringify({ mcpServers: { files: { command: filesystem, args: [notes] } } }));
  await host.start();
  try {
    await page.goto(host.url);
    await waitForServer(page, 'files');
    await send(page, `files.write_file {"path": "${join(notes, 'todo.md')}", "content": "buy milk"}`);
    const dialog = page.getByRole('dialog');
    const warning = dialog.getByTestId('approval-sandbox-warning');
    await expect(warning).toContainText(`"Allow files to write ${notes}" on the Tools & servers page lets it`);
    // The call waits while the person does what the warning says.
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    await page.getByTestId('server-files').getByRole('button', { name: `Allow files to write ${notes}` }).click();
    await expect(page.getByLabel('What files may do')).toContainText(`Writes${notes}`);
    await expect(warning).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Allow once' }).click();
    await expect(page.getByTestId('tool-call').last()).toHaveAttribute('data-status', 'succeeded');
    expect(readFileSync(join(notes, 'todo.md'), 'utf8')).toBe('buy milk');
  } finally {
    await host.stop();
  }
});
