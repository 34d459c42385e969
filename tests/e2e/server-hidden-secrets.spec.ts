import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { HeadlessHost } from './headless-host';

const root = resolve(__dirname, '..', '..');

test("each sandboxed server's row says which of the workspace's secret files are hidden from it, and those its allowRead gives back", async ({ page }) => {
  const host = new HeadlessHost();
  mkdirSync(join(host.workspace, 'sub'), { recursive: true });
  for (const file of ['.env', 'sub/.env.local', 'notes.md']) writeFileSync(join(host.workspace, file), 'KEY=x');
  const memory = join(root, 'node_modules', '.bin', 'mcp-server-memory');
  writeFileSync(
    join(host.dataDir, 'mcp.json'),
    JSON.stringify({ mcpServers: { plain: { command: memory }, keyed: { command: memory, sandbox: { allowRead: ['.env'] } } } }),
  );
  await host.start();
  try {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
    for (const name of ['plain', 'keyed']) await expect(page.getByTestId(`server-${name}`)).toContainText('Connected');
    const hidden = (name: string) => page.getByTestId(`hidden-secrets-${name}`);
    await expect(hidden('plain')).toContainText('2 secret files in the workspace');
    await hidden('plain').getByText('2 secret files in the workspace').click();
    await expect(hidden('plain')).toContainText('.env, sub/.env.local');
    await expect(hidden('plain')).toContainText('one made since is readable to it until it restarts. To let it read one, name the file in its "allowRead" in mcp.json.');
    await expect(hidden('keyed').locator('summary')).toHaveText('1 secret file in the workspace');
    await expect(hidden('keyed')).toContainText('; it reads .env (its allowRead)');
    expect(await seriousViolations(page, '[data-testid="server-plain"]'), 'a row saying what is hidden from a server').toEqual([]);
  } finally {
    await host.stop();
  }
});
