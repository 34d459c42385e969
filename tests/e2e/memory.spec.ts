import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { storedFiles } from '../helpers/stored-files';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { finalReply, send, useHostPerTest, waitForServer } from './chat-page';

const currentHost = useHostPerTest();

const memoryDialog = (page: Page) => page.getByRole('dialog', { name: 'Search & memory' });

async function openTab(page: Page, tab: 'Search' | 'Memories' | 'Retention') {
  if (!(await memoryDialog(page).isVisible())) await page.getByRole('button', { name: 'Search & memory' }).click();
  await memoryDialog(page).getByRole('tab', { name: tab }).click();
  return memoryDialog(page);
}

test('a memory saved with approval is searchable, editable and deletable in the UI', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'remember that my dentist is Dr. Okafor');
  const approval = page.getByRole('dialog', { name: 'Remember "my dentist is Dr. Okafor"' });
  await approval.getByRole('button', { name: 'Allow once' }).click();
  await expect(finalReply(page)).toContainText("I'll remember that");

  // Search finds the memory and the message, with the match marked; a hit opens its conversation.
  const search = await openTab(page, 'Search');
  await search.getByRole('searchbox', { name: 'Search conversations and memories' }).fill('okafor');
  await expect(search.locator('[data-kind="memory"]')).toHaveCount(1);
  await expect(search.locator('[data-kind="message"]').first().locator('mark')).toHaveText('Okafor');
  // A look at another tab keeps the search; the arrows move between the tabs, as in any tab list.
  await search.getByRole('tab', { name: 'Memories' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(search.getByRole('tab', { name: 'Retention' })).toBeFocused();
  await expect(search.getByRole('tab', { name: 'Retention' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(search.getByRole('tab', { name: 'Search' })).toBeFocused();
  await expect(search.getByRole('searchbox', { name: 'Search conversations and memories' })).toHaveValue('okafor');
  await search.locator('[data-kind="message"]').first().getByRole('button', { name: 'Open conversation' }).click();
  await expect(memoryDialog(page)).toBeHidden();
  await expect(page.locator('[data-testid="message"][data-role="user"]').first()).toContainText('Dr. Okafor');

  // Memories page: edit, then delete.
  const memories = await openTab(page, 'Memories');
  const item = memories.getByTestId('memory');
  await expect(item).toHaveText(/my dentist is Dr\. Okafor/);
  // Its Source (the conversation it was saved in) says which memory's, as Edit and Delete do.
  await expect(item.getByRole('button', { name: /^Source of memory: .*Dr\. Okafor/ })).toBeVisible();
  // Esc leaves the edit, not the dialog, and the keyboard is back on Edit; the edit starts in its text.
  const edit = item.getByRole('button', { name: /^Edit memory/ });
  await edit.click();
  const text = memories.getByRole('textbox', { name: 'Memory text' });
  await expect(text).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(text).toBeHidden();
  await expect(memories).toBeVisible();
  await expect(edit).toBeFocused();
  await page.keyboard.press('Enter');
  await text.fill('my dentist is Dr. Adeyemi');
  await memories.getByRole('button', { name: 'Save' }).click();
  await expect(item).toHaveText(/Dr\. Adeyemi/);
  await expect(edit).toBeFocused();
  // A modal: Tab goes round inside it, never on to the page behind.
  for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
  const searchAgain = await openTab(page, 'Search');
  await searchAgain.getByRole('searchbox').fill('adeyemi');
  await expect(searchAgain.locator('[data-kind="memory"]')).toHaveCount(1);
  const memoriesAgain = await openTab(page, 'Memories');
  // Deleting asks once more, as a conversation's deletion does: Cancel keeps it, the second Delete does not.
  await memoriesAgain.getByRole('button', { name: /^Delete memory/ }).click();
  const confirm = memoriesAgain.getByRole('group', { name: /^Delete memory: .*\?$/ });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(memoriesAgain.getByTestId('memory')).toHaveCount(1);
  await memoriesAgain.getByRole('button', { name: /^Delete memory/ }).click();
  // The keyboard starts on Cancel, and Esc takes the question back without closing the dialog.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(memoriesAgain.getByRole('button', { name: /^Edit memory/ })).toBeFocused();
  // So does an Esc from the row's other buttons while the question is open (Delete, then Edit, before it).
  await memoriesAgain.getByRole('button', { name: /^Delete memory/ }).click();
  await page.keyboard.press('Shift+Tab');
  await expect(confirm.getByRole('button', { name: 'Delete' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(memoriesAgain.getByRole('button', { name: /^Edit memory/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(memoryDialog(page)).toBeVisible();
  await expect(memoriesAgain.getByRole('button', { name: /^Edit memory/ })).toBeFocused();
  await memoriesAgain.getByRole('button', { name: /^Delete memory/ }).click();
  await confirm.getByRole('button', { name: 'Delete' }).focus();
  await page.keyboard.press('Enter');
  await expect(memoriesAgain.getByTestId('memory')).toHaveCount(0);
  await expect(memoriesAgain).toContainText('No memories yet');
  await expect(memoriesAgain.getByTestId('mcp-memory-note')).toHaveText(
    'An MCP memory server (such as server-memory from a Claude Desktop config) keeps its own memories, not listed here: they are reached through its tools in a chat.',
  );
});

test("with Claude Desktop's memory server connected, Memories says its memories are its own and how to reach them", async ({ page }) => {
  const host = currentHost();
  await page.goto(host.url);
  writeMcpConfig(host.dataDir, { memory: { command: mcpBin('memory'), env: { MEMORY_FILE_PATH: join(host.workspace, 'graph.jsonl') } } });
  await waitForServer(page, 'memory', 'mcp-memory.read_graph');
  const memories = await openTab(page, 'Memories');
  await expect(memories).toContainText('No memories yet');
  await expect(memories.getByTestId('mcp-memory-note')).toHaveText(
    'The MCP memory server “memory” keeps its own memories, not listed here: they are reached through its tools (such as “mcp-memory.read_graph” in a chat).',
  );
});

test('a memory, found or by its Source, opens its conversation at the message it was learned from, not at its end', async ({ page }) => {
  const host = currentHost();
  await page.goto(host.url);
  await send(page, 'remember that the spare key is under the quincepot');
  await page.getByRole('dialog', { name: 'Remember "the spare key is under the quincepot"' }).getByRole('button', { name: 'Allow once' }).click();
  await expect(finalReply(page)).toContainText("I'll remember that");

  // A long session after it: the message it came from is older than the newest 150 the chat draws.
  await host.stop();
  const db = new Database(join(host.dataDir, 'portcullis.db'));
  const { id: sourceId, conversation_id: conversationId } = db.prepare('SELECT m.id, m.conversation_id FROM memories y JOIN messages m ON m.id = y.source_message_id').get() as { id: string; conversation_id: string };
  const insert = db.prepare('INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const later = Date.now() + 1_000;
  db.transaction(() => {
    for (let t = 0; t < 100; t++) {
      insert.run(`later-u${t}`, conversationId, `later-${t}`, 'user', `question ${t}`, later + 2 * t);
      insert.run(`later-r${t}`, conversationId, `later-${t}`, 'assistant', `answer ${t}`, later + 2 * t + 1);
    }
  })();
  db.close();
  await page.goto(await host.start());

  const log = page.getByRole('log', { name: 'Messages' });
  const source = log.locator(`[data-message-id="${sourceId}"]`);
  const search = await openTab(page, 'Search');
  await search.getByRole('searchbox', { name: 'Search conversations and memories' }).fill('quincepot');
  await search.locator('[data-kind="memory"]').getByRole('button', { name: /^Open conversation/ }).click();
  await expect(memoryDialog(page)).toBeHidden();
  await expect(source).toHaveAttribute('data-found', 'true');
  await expect(source).toContainText('remember that the spare key is under the quincepot');
  await expect(source).toBeFocused();
  await expect(source).toBeInViewport();
  await page.screenshot({ path: '/tmp/polish2/memory-hit-source.png' });

  // From another conversation, the memory's Source does the same.
  await page.getByRole('button', { name: 'New chat' }).click();
  const memories = await openTab(page, 'Memories');
  await memories.getByRole('button', { name: /^Source of memory: .*quincepot/ }).click();
  await expect(memoryDialog(page)).toBeHidden();
  await expect(source).toHaveAttribute('data-found', 'true');
  await expect(source).toBeFocused();
  await expect(source).toBeInViewport();
  await expect(log.locator('[data-found]')).toHaveCount(1);
});

test('a forgotten memory\'s tool card says what was forgotten, not only its id', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'remember that I like green tea');
  await page.getByRole('dialog', { name: 'Remember "I like green tea"' }).getByRole('button', { name: 'Allow once' }).click();
  await expect(finalReply(page)).toContainText("I'll remember that");
  await send(page, 'forget that I like green tea');
  await page.getByRole('dialog', { name: 'Forget the memory "I like green tea"' }).getByRole('button', { name: 'Allow once' }).click();
  await expect(finalReply(page)).toContainText('Forgotten');

  const card = page.locator('[data-testid="tool-call"][data-tool="memory.forget"]');
  await expect(card).toHaveAttribute('data-status', 'succeeded');
  await expect(card.locator('.tool-args')).toHaveText('memory: I like green tea');
  await card.screenshot({ path: test.info().outputPath('forget-card.png') });
});

test('retention settings persist; purge, export and delete everything work', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'list files about zeppelins');
  await expect(finalReply(page)).toBeVisible();

  const retention = await openTab(page, 'Retention');
  await retention.getByRole('spinbutton', { name: /Keep conversations for/ }).fill('7');
  await retention.getByRole('spinbutton', { name: /Keep traces for/ }).fill('3');
  await retention.getByRole('button', { name: 'Save retention settings' }).click();
  await expect(retention.getByRole('status')).toContainText('Saved');
  await expect(retention.getByTestId('database-size')).toContainText('MB');

  await page.reload();
  const reloaded = await openTab(page, 'Retention');
  await expect(reloaded.getByRole('spinbutton', { name: /Keep conversations for/ })).toHaveValue('7');
  await expect(reloaded.getByRole('spinbutton', { name: /Keep traces for/ })).toHaveValue('3');

  await reloaded.getByRole('button', { name: 'Purge now' }).click();
  await expect(reloaded.getByRole('status')).toContainText('Removed 0 conversations');

  await reloaded.getByRole('button', { name: 'Export everything' }).click();
  await expect(reloaded.getByRole('status')).toContainText('Exported to');
  const [file] = readdirSync(join(currentHost().dataDir, 'exports'));
  const exported = JSON.parse(readFileSync(join(currentHost().dataDir, 'exports', file!), 'utf8'));
  expect(exported.tables.messages.some((m: { content: string }) => m.content.includes('zeppelins'))).toBe(true);

  const deleteButton = reloaded.getByRole('button', { name: 'Delete everything' });
  await expect(deleteButton).toBeDisabled();
  await reloaded.getByRole('textbox', { name: 'Confirm delete everything' }).fill('delete everything');
  await deleteButton.click();
  await expect(reloaded.getByRole('status')).toContainText('Removed 1 conversation,');
  // The sidebar no longer lists what was deleted (no turn has ended to refresh it).
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toContainText('No conversations yet.');
  const search = await openTab(page, 'Search');
  await search.getByRole('searchbox').fill('zeppelins');
  await expect(search).toContainText('Nothing found');
});

test('with private chats on, a new chat works but never reaches the database file', async ({ page }) => {
  await page.goto(currentHost().url);
  const retention = await openTab(page, 'Retention');
  await retention.getByRole('checkbox', { name: /New chats are private/ }).check();
  await retention.getByRole('button', { name: 'Save retention settings' }).click();
  await expect(retention.getByRole('status')).toContainText('Saved');
  await retention.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: /new chat/i }).first().click();
  await send(page, 'list files about narwhals');
  await expect(finalReply(page)).toBeVisible();
  await expect(page.getByTestId('conversation').first()).toContainText('narwhals');
  const onDisk = Buffer.concat(storedFiles(currentHost().dataDir).map((f) => readFileSync(f)));
  expect(onDisk.includes(Buffer.from('narwhals'))).toBe(false);

  // Gone after a restart, as promised.
  const url = await currentHost().restart();
  await page.goto(url);
  await expect(page.getByTestId('workspace-path')).toContainText(currentHost().workspace);
  await expect(page.getByText('narwhals')).toHaveCount(0);
});
