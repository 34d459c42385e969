import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { finalReply, send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

test("a word only in a file the agent read is found, marked as a tool's untrusted text, and opens its card in the conversation from the keyboard; a message hit opens at its message", async ({ page }) => {
  const host = currentHost();
  writeFileSync(join(host.workspace, 'ledger.csv'), 'month,metric,value\nQ3,quokkachurn,4.1%\n');
  await page.goto(host.url);
  await send(page, 'read ledger.csv');
  await expect(finalReply(page)).toContainText('quokkachurn');

  // A model that does not quote the file, and a long session after it: the word is only in the tool's result, and
  // its card is older than the newest 150 messages the chat draws.
  await host.stop();
  const db = new Database(join(host.dataDir, 'portcullis.db'));
  const conversationId = db.prepare("SELECT conversation_id FROM tool_calls WHERE tool_name = 'fs.read'").pluck().get() as string;
  db.prepare("UPDATE messages SET content = 'I read ledger.csv.' WHERE role = 'assistant' AND content LIKE '%quokkachurn%'").run();
  const insert = db.prepare('INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const later = Date.now() + 1_000;
  db.transaction(() => {
    for (let t = 0; t < 100; t++) {
      insert.run(`later-u${t}`, conversationId, `later-${t}`, 'user', `question ${t}${t === 20 ? ' about the wombatplan' : ''}`, later + 2 * t);
      insert.run(`later-r${t}`, conversationId, `later-${t}`, 'assistant', `answer ${t}`, later + 2 * t + 1);
    }
  })();
  db.close();
  await page.goto(await host.start());

  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Search & memory' });
  await dialog.getByRole('searchbox', { name: 'Search conversations and memories' }).fill('quokkachurn');
  const hits = dialog.getByTestId('search-hit');
  await expect(hits).toHaveCount(1);
  const hit = hits.first();
  await expect(hit).toHaveAttribute('data-kind', 'tool_result');
  await expect(hit).toContainText('Tool result');
  await expect(hit).toContainText('from fs.read in “read ledger.csv”');
  await expect(hit).toContainText('untrusted');
  await expect(hit.locator('mark')).toHaveText('quokkachurn');
  expect(await seriousViolations(page, '.memory-dialog')).toEqual([]);

  // From the search box, Tab reaches the hit's button, and Enter opens the conversation at the card.
  await page.keyboard.press('Tab');
  const open = hit.getByRole('button', { name: /^Open tool call fs\.read in read ledger\.csv at: / });
  await expect(open).toBeFocused();
  await expect(open).toHaveText('Open tool call');
  // Under the hit's text at its left, as wide as its words (stretched across the hit, they were centred).
  const openBox = (await open.boundingBox())!;
  const hitBox = (await hit.boundingBox())!;
  expect(openBox.x - hitBox.x).toBeLessThan(16);
  expect(openBox.width).toBeLessThan(hitBox.width / 2);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  const log = page.getByRole('log', { name: 'Messages' });
  const card = log.locator('[data-testid="tool-call"][data-found="true"]');
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-tool', 'fs.read');
  await expect(card).toBeFocused();
  await expect(card).toBeInViewport();
  // Scrolled to the top of the list with room above it: its rings are whole and the line naming it is in sight.
  const listTop = (await log.boundingBox())!.y;
  expect((await card.boundingBox())!.y - listTop).toBeGreaterThanOrEqual(8);
  await expect(log.getByTestId('message').filter({ has: page.locator('[data-testid="tool-call"][data-found="true"]') }).locator('.message-header')).toBeInViewport({ ratio: 1 });
  // Its result is open: the file's text the person searched for is in sight, as text, not JSON with its escapes.
  await expect(card.getByTestId('tool-result')).toContainText('Text of ledger.csv');
  await expect(card.locator('.tool-result-text')).toHaveText('month,metric,value\nQ3,quokkachurn,4.1%\n');
  // Only as many earlier messages as it takes were drawn; the newest are still there below it.
  await expect(log.getByRole('button', { name: /^Show \d+ earlier messages/ })).toBeVisible();
  await expect(log.getByTestId('message').last()).toContainText('answer 99');
  expect(await seriousViolations(page, '.message-list')).toEqual([]);

  // A message hit opens the conversation at that message, also one older than the newest 150.
  await page.keyboard.press('Control+K');
  await dialog.getByRole('searchbox', { name: 'Search conversations and memories' }).fill('wombatplan');
  await expect(hits).toHaveCount(1);
  await hits.first().getByRole('button', { name: /^Open conversation / }).press('Enter');
  await expect(dialog).toBeHidden();
  const message = log.locator('[data-message-id="later-u20"]');
  await expect(message).toHaveAttribute('data-found', 'true');
  await expect(message).toBeFocused();
  await expect(message).toBeInViewport();
  await expect(log.locator('[data-found]')).toHaveCount(1);
});
