import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { HeadlessHost } from './headless-host';

const everything = join(resolve(__dirname, '..', '..'), 'node_modules', '.bin', 'mcp-server-everything');

test("Servers from other apps wraps a long config file's path rather than widen Tools & servers past the window", async ({ page }) => {
  // A home folder deep enough that Claude Desktop's config path, with no space or hyphen to break at, is wider than the column.
  const home = mkdtempSync(join(tmpdir(), 'portcullis_e2e_home_of_someone_with_a_long_name_'));
  const claudeDesktop = join(home, '.config', 'Claude', 'claude_desktop_config.json');
  mkdirSync(dirname(claudeDesktop), { recursive: true });
  writeFileSync(claudeDesktop, JSON.stringify({ mcpServers: { imported: { command: everything } } }));
  const host = new HeadlessHost([], { HOME: home });
  await host.start();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    const source = page.getByTestId('import-claude-desktop');
    await expect(source).toContainText('claude_desktop_config.json');
    const column = page.getByRole('complementary').filter({ has: source });
    // Nothing in the column reaches past its right edge, so it has no sideways scrollbar and the path is read whole.
    expect(await column.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(1);
    // "No MCP servers yet: add them below": the ways to add them come next, before Web access and Grant history.
    await expect(page.getByTestId('no-servers')).toHaveText('No MCP servers yet: add them below.');
    const headings = await column.locator('h3').allInnerTexts();
    expect(headings.slice(headings.indexOf('MCP servers'), headings.indexOf('MCP servers') + 3)).toEqual(['MCP servers', 'Servers from other apps', 'Edit mcp.json']);
  } finally {
    await host.stop();
  }
});
