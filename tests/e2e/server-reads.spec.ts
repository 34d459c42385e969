import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { openMcpEditor } from './chat-page';
import { HeadlessHost } from './headless-host';

const root = resolve(__dirname, '..', '..');

test("each sandboxed server's row says what it may read: what was granted it and why, or the whole home folder and why", async ({ page }) => {
  // A home folder of its own, with no runtime kept in it (nvm, ~/.cache…): the row lists none of those places.
  const host = new HeadlessHost([], { HOME: mkdtempSync(join(tmpdir(), 'portcullis-e2e-home-')) });
  const papers = join(mkdtempSync(join(tmpdir(), 'portcullis-e2e-')), 'papers');
  mkdirSync(papers, { recursive: true });
  const memory = join(root, 'node_modules', '.bin', 'mcp-server-memory');
  writeFileSync(
    join(host.dataDir, 'mcp.json'),
    JSON.stringify({ mcpServers: { plain: { command: memory }, papers: { command: memory, sandbox: { allowRead: [papers] } }, whole: { command: memory, sandbox: { readHome: true } } } }),
  );
  await host.start();
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    for (const name of ['plain', 'papers', 'whole']) await expect(page.getByTestId(`server-${name}`)).toContainText('Connected');
    const reads = (name: string) => page.getByTestId(`reads-${name}`);
    await expect(reads('plain')).toContainText('the system, the workspace');
    await expect(reads('plain')).toContainText('Nothing else of your home folder: add a folder to its "allowRead" in mcp.json, or "readHome": true');
    // On a line of its own, not run on after the list ("the system, the workspace Nothing else…").
    expect(await reads('plain').innerText()).toMatch(/^the system, the workspace\s*\n\s*Nothing else of your home folder/);
    expect(await reads('plain').innerText()).not.toContain('runtimes live');
    await expect(reads('plain')).not.toContainText(papers);
    await expect(reads('papers')).toContainText(`${papers} (its allowRead)`);
    await expect(reads('whole')).toHaveText('the system and your whole home folder but credentials: its "readHome": true in mcp.json');
    expect(await seriousViolations(page, '[data-testid="server-papers"]'), "a row saying what a server reads").toEqual([]);

    // The page's mcp.json editor takes the new fields: plain is given the folder, and its row says so once restarted.
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click(); // back to the chat, then the page's editor
    const { editor, text } = await openMcpEditor(page);
    await text.fill(JSON.stringify({ mcpServers: { plain: { command: memory, sandbox: { allowRead: [papers] } } } }, null, 2));
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor.getByRole('status')).toContainText('Saved');
    await expect(reads('plain')).toContainText(`${papers} (its allowRead)`);
    await text.fill(JSON.stringify({ mcpServers: { plain: { command: memory, sandbox: { readHome: 'yes' } } } }, null, 2));
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor.getByRole('alert')).toContainText('Not saved: mcp.json: server "plain" was skipped: "sandbox.readHome" expected boolean, received string.');
  } finally {
    await host.stop();
  }
});
