import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

test('an mcp.json left broken (a comma after its last entry) says which line to fix, and its servers are not called none', async ({ page }) => {
  host = new HeadlessHost();
  writeFileSync(join(host.dataDir, 'mcp.json'), '{\n  "mcpServers": {\n    "notes": { "command": "notes-server" },\n  }\n}\n');
  await host.start();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Tools & servers', exact: true }).click();
  const tools = page.getByTestId('tools-page');
  await expect(tools.getByRole('alert')).toContainText('line 3 ends its last entry with a comma before the }');
  // The file has a server: "No MCP servers yet: add them below" sent the person to add what is there already.
  const servers = tools.getByRole('region', { name: 'MCP servers' });
  await expect(servers.getByTestId('no-servers')).toHaveText('None started: mcp.json has the problem said above. Fix it in Edit mcp.json below.');
  await expect(servers).not.toContainText('No MCP servers yet');
});
