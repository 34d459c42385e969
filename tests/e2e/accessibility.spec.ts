import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { finalReply, send } from './chat-page';
import { HeadlessHost } from './headless-host';

const root = resolve(__dirname, '..', '..');
const everything = join(root, 'node_modules', '.bin', 'mcp-server-everything');
const chaos = join(root, 'tests', 'fixtures', 'mcp', 'chaos-server.mjs');
const escapeServer = join(root, 'tests', 'fixtures', 'mcp', 'escape-server.mjs');

// UX.md: no serious or critical axe-core violations on any page. Each page here in the state with the most on it.
test('every page has no serious accessibility violations: chat, Tools & servers, Search & memory, Policies, Settings, a trace', async ({ page }) => {
  // A home with Claude Desktop's config, so the page lists servers to import.
  const home = mkdtempSync(join(tmpdir(), 'portcullis-e2e-home-'));
  const claudeDesktop = join(home, '.config', 'Claude', 'claude_desktop_config.json');
  mkdirSync(dirname(claudeDesktop), { recursive: true });
  writeFileSync(claudeDesktop, JSON.stringify({ mcpServers: { imported: { command: everything } } }));
  const host = new HeadlessHost([], { HOME: home });
  writeFileSync(
    join(host.dataDir, 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        everything: { command: everything },
        chaos: { command: process.execPath, args: [chaos], sandbox: false },
        broken: { command: process.execPath, args: [chaos, '--exit-at-start'], sandbox: false },
        downloader: { command: process.execPath, args: [escapeServer, '--download-at-start'], maxRetries: 0 },
      },
    }),
  );
  await host.start();
  try {
    await page.goto(host.url);
    expect(await seriousViolations(page), 'the first screen').toEqual([]);

    await send(page, 'write hello.txt with hi');
    await page.getByRole('dialog', { name: 'Write 2 characters to hello.txt' }).getByRole('button', { name: 'Allow once' }).click();
    await expect(finalReply(page)).toContainText('hello.txt');
    expect(await seriousViolations(page), 'a conversation with a tool call').toEqual([]);

    await finalReply(page).getByTestId('open-trace').click();
    await expect(page.getByRole('complementary', { name: 'Trace' }).getByTestId('waterfall')).toBeVisible();
    expect(await seriousViolations(page), 'the trace viewer').toEqual([]);

    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    await expect(page.getByTestId('server-everything')).toContainText('Connected');
    await expect(page.getByRole('button', { name: 'Allow downloads.example.org for downloader' })).toBeVisible();
    await expect(page.getByTestId('import-claude-desktop')).toBeVisible();
    expect(await seriousViolations(page), 'Tools & servers').toEqual([]);

    await page.getByRole('button', { name: 'Search & memory' }).click();
    await expect(page.getByRole('dialog', { name: 'Search & memory' })).toBeVisible();
    expect(await seriousViolations(page), 'Search & memory').toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Policies' }).click();
    await expect(page.getByTestId('policies')).toBeVisible();
    expect(await seriousViolations(page), 'Policies').toEqual([]);

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('model-settings').getByTestId('active-model')).toContainText('Built-in');
    expect(await seriousViolations(page), 'Settings').toEqual([]);
  } finally {
    await host.stop();
  }
});
