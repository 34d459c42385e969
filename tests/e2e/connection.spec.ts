import { expect, test } from '@playwright/test';
import { openMcpEditor } from './chat-page';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;
test.afterEach(async () => host?.stop());

test('a request too large to send is refused in place, and the connection and the other requests live on', async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  await page.goto(host.url);
  const { editor, text } = await openMcpEditor(page);
  await expect(text).toHaveValue(/"mcpServers": \{\}/);

  // Within the editor's own limit in characters, over the host's in bytes ("é" is two).
  await text.fill(JSON.stringify({ mcpServers: {}, note: 'é'.repeat(600_000) }));
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toContainText(/Could not save mcp\.json\. That is too much to send at once \(1\.2 MB; the most is 1\.0 MB\)\. Nothing was sent\./);
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);

  // Still connected: a save that fits goes through.
  await text.fill(JSON.stringify({ mcpServers: {} }, null, 2));
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.getByRole('status')).toContainText('Saved');
  await expect(page.getByTestId('connection-banner')).toHaveCount(0);
});
