import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { storedFiles } from '../helpers/stored-files';
import { seriousViolations } from './axe';
import { finalReply, send, useHostPerTest } from './chat-page';
import { refusingRequests } from './refuse-requests';

const currentHost = useHostPerTest();

const row = (page: Page, title: RegExp) => page.getByTestId('conversation-row').filter({ has: page.getByTestId('conversation').filter({ hasText: title }) });

test('the sidebar: private chats marked, a title filter that hands on to search, rename and delete in place, and every trace', async ({ page }) => {
  await page.goto(currentHost().url);
  const sidebar = page.getByRole('navigation', { name: 'Conversations' });

  // A private chat is marked in the list and in the header.
  await page.getByRole('button', { name: 'New private chat' }).click();
  await send(page, 'list files about walruses');
  await expect(finalReply(page)).toBeVisible();
  await expect(row(page, /walruses/).getByTestId('private-mark')).toHaveText('private');
  // Hovered, a row gives its whole title (the column cuts a long one), and what private means.
  await expect(row(page, /walruses/).getByTestId('conversation')).toHaveAttribute('title', /^list files about walruses\nPrivate: kept in memory only/);
  await expect(page.locator('.main-header .private-mark')).toBeVisible();

  // Ctrl+N: an ordinary one, not marked; pressed again on it while nothing is said there, it stays the one.
  await page.keyboard.press('Control+n');
  await expect(sidebar.getByTestId('conversation')).toHaveCount(2);
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(sidebar.getByTestId('conversation')).toHaveCount(2);
  await send(page, 'list files about narwhals');
  await expect(finalReply(page)).toBeVisible();
  await expect(row(page, /narwhals/).getByTestId('private-mark')).toHaveCount(0);
  await expect(row(page, /narwhals/).getByTestId('conversation')).toHaveAttribute('title', 'list files about narwhals');
  await expect(page.locator('.main-header .private-mark')).toHaveCount(0);

  // The filter narrows the titles; Enter searches inside the messages with the same words.
  const filter = sidebar.getByRole('searchbox', { name: 'Filter conversations' });
  await filter.fill('WALRUS');
  await expect(sidebar.getByTestId('conversation')).toHaveCount(1);
  await filter.fill('dolphins');
  await expect(sidebar).toContainText('No titles match “dolphins”');
  await filter.fill('narwhals');
  await filter.press('Enter');
  const search = page.getByRole('dialog', { name: 'Search & memory' });
  await expect(search.getByRole('searchbox', { name: 'Search conversations and memories' })).toHaveValue('narwhals');
  await expect(search.getByTestId('search-hit').first()).toContainText('narwhals');
  await page.keyboard.press('Escape');
  await expect(search).toBeHidden();
  await filter.press('Escape');
  await expect(filter).toHaveValue('');
  await expect(sidebar.getByTestId('conversation')).toHaveCount(2);

  // F2 renames the focused conversation (Esc leaves it as it was); the name survives a reload.
  await row(page, /narwhals/).getByTestId('conversation').focus();
  await page.keyboard.press('F2');
  const name = sidebar.getByRole('textbox', { name: /^New name for/ });
  await name.fill('Not this');
  await name.press('Escape');
  await expect(row(page, /narwhals/)).toHaveCount(1);
  await expect(row(page, /narwhals/).getByTestId('conversation')).toBeFocused();
  await page.keyboard.press('F2');
  await expect(name).toBeFocused();
  await name.fill('Sea mammals');
  await name.press('Enter');
  await expect(row(page, /^Sea mammals$/)).toHaveCount(1);
  await page.reload();
  await expect(row(page, /^Sea mammals$/)).toHaveCount(1);

  // The sidebar's Traces lists every trace and opens one's waterfall.
  const places = page.getByRole('navigation', { name: 'Places' });
  const tracesButton = places.getByRole('button', { name: 'Traces' });
  await tracesButton.click();
  const panel = page.getByTestId('trace-panel');
  await expect(panel.getByRole('button', { name: 'All traces' })).toHaveAttribute('aria-pressed', 'true');
  // Esc closes it and gives the focus back to Traces.
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await expect(tracesButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('button', { name: 'All traces' })).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('trace-summary')).toHaveCount(1);
  await panel.getByTestId('trace-summary').first().click();
  await expect(panel.getByTestId('span-row').first()).toBeVisible();

  // Delete asks in the row, with Cancel focused; deleting erases the conversation from the database file too.
  await row(page, /^Sea mammals$/).getByRole('button', { name: 'Delete Sea mammals' }).click();
  const confirm = sidebar.getByRole('group', { name: 'Delete Sea mammals?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect(await seriousViolations(page, '.sidebar'), 'the sidebar asking to delete').toEqual([]);
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(row(page, /^Sea mammals$/)).toHaveCount(0);
  // The keyboard moves on to the next conversation, not to the page.
  await expect(row(page, /walruses/).getByTestId('conversation')).toBeFocused();
  await expect(panel.getByTestId('span-row')).toHaveCount(0);
  const onDisk = Buffer.concat(storedFiles(currentHost().dataDir).map((f) => readFileSync(f)));
  expect(onDisk.includes(Buffer.from('narwhals'))).toBe(false);

  // The Delete key asks too, for the private one; Esc takes the question back, as Cancel does.
  await row(page, /walruses/).getByTestId('conversation').focus();
  await page.keyboard.press('Delete');
  await page.keyboard.press('Escape');
  await expect(sidebar.getByRole('group', { name: /^Delete .*walruses.*\?$/ })).toHaveCount(0);
  await expect(row(page, /walruses/).getByTestId('conversation')).toBeFocused();
  await page.keyboard.press('Delete');
  await sidebar.getByRole('group', { name: /^Delete .*walruses.*\?$/ }).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(sidebar.getByTestId('conversation')).toHaveCount(0);
  // None left: on to the message box, to start the next one.
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await page.reload();
  await expect(sidebar).toContainText('No conversations yet.');

  // Settings points to where retention lives.
  await places.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Open retention settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Search & memory' }).getByRole('tab', { name: 'Retention' })).toHaveAttribute('aria-selected', 'true');
});

test('a deletion whose text another program keeps in portcullis.db-wal says so, until the next deletion empties it', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(currentHost().url);
  const sidebar = page.getByRole('navigation', { name: 'Conversations' });
  for (const animal of ['narwhals', 'puffins']) {
    await page.keyboard.press('Control+n');
    await send(page, `list files about ${animal}`);
    await expect(finalReply(page)).toBeVisible();
  }
  // Another program (a backup, a second reader) holds a read open: the delete cannot empty the WAL in its 5 s.
  const reader = new Database(join(currentHost().dataDir, 'portcullis.db'), { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM messages').get();
  const deleteRow = async (title: RegExp) => {
    await row(page, title).getByTestId('conversation').click();
    await row(page, title).getByRole('button', { name: /^Delete / }).click();
    await sidebar.getByRole('group', { name: /^Delete .*\?$/ }).getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(row(page, title)).toHaveCount(0, { timeout: 15_000 });
  };
  try {
    await deleteRow(/narwhals/);
    await expect(sidebar.getByRole('status')).toHaveText(/the deleted text stays in portcullis\.db-wal until Portcullis next empties it/);
  } finally {
    reader.exec('COMMIT');
    reader.close();
  }
  await deleteRow(/puffins/);
  await expect(sidebar.getByRole('status')).toHaveCount(0);
  const onDisk = Buffer.concat(storedFiles(currentHost().dataDir).map((f) => readFileSync(f)));
  expect(onDisk.includes(Buffer.from('narwhals'))).toBe(false);
});

test('the conversations are one Tab stop: ↑/↓ and Home/End move between them, Tab reaches the row\'s Rename and Delete, whose focus rings are drawn whole', async ({ page }) => {
  await page.goto(currentHost().url);
  const sidebar = page.getByRole('navigation', { name: 'Conversations' });
  for (const [i, animal] of ['otters', 'seals', 'whales'].entries()) {
    await page.keyboard.press('Control+n');
    await send(page, `list files about ${animal}`);
    await expect(finalReply(page)).toBeVisible();
    await expect(sidebar.getByTestId('conversation')).toHaveCount(i + 1);
  }
  const open = (title: RegExp) => row(page, title).getByTestId('conversation');
  await expect(sidebar.getByTestId('conversation')).toHaveCount(3);
  // Only one row is in the Tab order: the open conversation (the newest, on top).
  await expect(sidebar.locator('button[tabindex="0"]')).toHaveCount(3); // its open, Rename and Delete
  await expect(open(/whales/)).toHaveAttribute('tabindex', '0');
  await expect(open(/whales/)).toHaveAccessibleDescription('↑ ↓ other conversations, F2 rename, Delete delete');

  await sidebar.getByRole('searchbox', { name: 'Filter conversations' }).focus();
  await page.keyboard.press('Tab');
  await expect(open(/whales/)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(open(/seals/)).toBeFocused();
  await page.keyboard.press('End');
  await expect(open(/otters/)).toBeFocused();
  await page.keyboard.press('ArrowDown'); // the last stays the last
  await expect(open(/otters/)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(open(/whales/)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(open(/seals/)).toBeFocused();

  // The row moved to is the Tab stop now: Tab goes through its Rename and Delete, then out of the list.
  await page.keyboard.press('Tab');
  await expect(sidebar.getByRole('button', { name: /^Rename .*seals/ })).toBeFocused();
  await page.keyboard.press('Tab');
  const deleteSeals = sidebar.getByRole('button', { name: /^Delete .*seals/ });
  await expect(deleteSeals).toBeFocused();
  // Its focus ring is inside the sidebar's scrolling area, not cut off at its edge.
  const ring = await deleteSeals.evaluate((button) => {
    const style = getComputedStyle(button);
    const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
    const own = button.getBoundingClientRect();
    const area = button.closest('.sidebar-conversations')!.getBoundingClientRect();
    return { right: own.right + reach, left: own.left - reach, areaRight: area.right, areaLeft: area.left };
  });
  expect(ring.right).toBeLessThanOrEqual(ring.areaRight);
  expect(ring.left).toBeGreaterThanOrEqual(ring.areaLeft);
  await page.keyboard.press('Tab');
  await expect(sidebar.locator(':focus')).toHaveCount(0);
  // Back into the list, Shift+Tab lands on the row itself (its buttons show on the row in use only).
  await page.keyboard.press('Shift+Tab');
  await expect(open(/seals/)).toBeFocused();
  // F2 and Delete work on the row the arrows reached; arrows in the rename field are the field's own.
  await page.keyboard.press('F2');
  const name = sidebar.getByRole('textbox', { name: /^New name for/ });
  await expect(name).toBeFocused();
  await name.press('ArrowUp');
  await expect(name).toBeFocused();
  await name.press('Escape');
  await expect(open(/seals/)).toBeFocused();
  expect(await seriousViolations(page, '.sidebar'), 'the sidebar, moved through by keyboard').toEqual([]);
});

test('a rename or a delete the host refuses leaves the keyboard where it was, with why said in the row', async ({ page }) => {
  const host = await refusingRequests(page);
  await page.goto(currentHost().url);
  await send(page, 'list files about otters');
  await expect(finalReply(page)).toBeVisible();
  const sidebar = page.getByRole('navigation', { name: 'Conversations' });

  // The field waits disabled while the host answers; refused, the keyboard is back in it to try again.
  await row(page, /otters/).getByTestId('conversation').focus();
  await page.keyboard.press('F2');
  const name = sidebar.getByRole('textbox', { name: /^New name for/ });
  await name.fill('Sea otters');
  host.refuseNext('conversations.rename', 'the database is busy');
  await name.press('Enter');
  await expect(sidebar.getByRole('alert')).toContainText('Could not rename it. the database is busy');
  await expect(name).toBeFocused();
  await name.press('Escape');

  // Delete, pressed from the keyboard and refused: the keyboard is still on Delete.
  await row(page, /otters/).getByTestId('conversation').focus();
  await page.keyboard.press('Delete');
  await page.keyboard.press('Shift+Tab');
  const deleteButton = sidebar.getByRole('group', { name: /^Delete .*otters.*\?$/ }).getByRole('button', { name: 'Delete', exact: true });
  await expect(deleteButton).toBeFocused();
  host.refuseNext('conversations.delete', 'the database is busy');
  await page.keyboard.press('Enter');
  await expect(sidebar.getByRole('alert')).toContainText('Could not delete it. the database is busy');
  await expect(deleteButton).toBeFocused();
});

test('a new chat takes its title from the first message as the turn starts, not once it ends (a call waiting for approval kept "New chat")', async ({ page }) => {
  await page.goto(currentHost().url);
  const sidebar = page.getByRole('navigation', { name: 'Conversations' });
  // Made before anything is said in it (New chat, Ctrl+N): titled "New chat" until its first message.
  await page.keyboard.press('Control+n');
  await expect(sidebar.getByTestId('conversation')).toHaveText(['New chat']);
  await send(page, 'write hello.txt with hi');
  await expect(page.getByTestId('approval')).toBeVisible();
  await expect(sidebar.getByTestId('conversation')).toHaveText(['write hello.txt with hi']);
  await expect(page.locator('.main-title')).toHaveText('write hello.txt with hi');
});

test('New chat opens an empty chat made earlier and left untouched, rather than adding another "New chat"', async ({ page }) => {
  await page.goto(currentHost().url);
  const sidebar = page.getByRole('navigation', { name: 'Conversations' });
  await send(page, 'list files about otters');
  await expect(finalReply(page)).toBeVisible();
  await page.keyboard.press('Control+n');
  await expect(sidebar.getByTestId('conversation')).toHaveText(['New chat', 'list files about otters']);
  // Back to the first, then New chat again: the empty one is opened, not a second made.
  await sidebar.getByTestId('conversation').filter({ hasText: 'otters' }).click();
  await page.getByTitle('New chat (Ctrl+N)').click();
  await expect(page.locator('.main-title')).toHaveText('New chat');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  await expect(sidebar.getByTestId('conversation')).toHaveText(['New chat', 'list files about otters']);
  // A private one is another kind: it is made.
  await page.keyboard.press('Control+Shift+N');
  await expect(sidebar.getByTestId('conversation')).toHaveCount(3);
});

test('a message sent while a new private chat is still being created goes into that private chat', async ({ page }) => {
  // The host's answer to conversations.create is held back, so the person's Enter comes first.
  await page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    const creating = new Set<number>();
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id: number; channel: string };
      if (frame.channel === 'conversations.create') creating.add(frame.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { type: string; id?: number };
      if (frame.type === 'response' && frame.id !== undefined && creating.has(frame.id)) setTimeout(() => ws.send(message), 800);
      else ws.send(message);
    });
  });
  await page.goto(currentHost().url);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEnabled();
  await page.getByRole('button', { name: 'New private chat' }).click();
  await send(page, 'list files about secret otters');
  await expect(finalReply(page)).toBeVisible();

  const rows = page.getByTestId('conversation-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId('private-mark')).toHaveText('private');
  const onDisk = Buffer.concat(storedFiles(currentHost().dataDir).map((f) => readFileSync(f)));
  expect(onDisk.includes(Buffer.from('otters'))).toBe(false);
});

test('a long history draws its newest hundred conversations, shows more on demand, and the filter reaches them all', async ({ page }) => {
  // 230 conversations written into the file while the app is stopped, as months of use would leave them.
  const host = currentHost();
  await host.stop();
  const db = new Database(join(host.dataDir, 'portcullis.db'));
  const insert = db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 230; i++) insert.run(`old-${i}`, `Old chat ${i}`, i, i);
  })();
  db.close();
  await page.goto(await host.start());
  const sidebar = page.getByRole('navigation', { name: 'Conversations' });
  await expect(sidebar.getByTestId('conversation')).toHaveCount(100);
  await expect(sidebar.getByTestId('conversation').first()).toHaveText('Old chat 229');
  await sidebar.getByRole('button', { name: 'Show 100 more (130 not shown)' }).click();
  await expect(sidebar.getByTestId('conversation')).toHaveCount(200);
  await sidebar.getByRole('button', { name: 'Show 30 more (30 not shown)' }).press('Enter');
  await expect(sidebar.getByTestId('conversation')).toHaveCount(230);
  await expect(sidebar.getByRole('button', { name: /^Show \d+ more/ })).toHaveCount(0);
  // The button went with the last page: the keyboard is on the first row it drew, not lost on the page.
  await expect(sidebar.getByTestId('conversation').filter({ hasText: /^Old chat 29$/ })).toBeFocused();
  await page.reload();
  // The oldest, far below the first hundred, is one filter away.
  await sidebar.getByRole('searchbox', { name: 'Filter conversations' }).fill('chat 17');
  await expect(sidebar.getByTestId('conversation')).toHaveText(['Old chat 217', 'Old chat 179', 'Old chat 178', 'Old chat 177', 'Old chat 176', 'Old chat 175', 'Old chat 174', 'Old chat 173', 'Old chat 172', 'Old chat 171', 'Old chat 170', 'Old chat 117', 'Old chat 17']);
  // Opened from the filter, the old one stays drawn, and marked, once the filter is cleared.
  await sidebar.getByTestId('conversation').filter({ hasText: /^Old chat 17$/ }).click();
  await sidebar.getByRole('searchbox', { name: 'Filter conversations' }).fill('');
  await expect(sidebar.locator('[aria-current="page"]')).toHaveText('Old chat 17');
});

test('a long conversation opens at its newest 150 messages, shows earlier ones on demand, says how much the model is sent, and a new turn still works', async ({ page }) => {
  const host = currentHost();
  await host.stop();
  const db = new Database(join(host.dataDir, 'portcullis.db'));
  db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('long', 'A long session', 0, 0)").run();
  const insert = db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, 'long', ?, ?, ?, ?)");
  db.transaction(() => {
    for (let t = 0; t < 100; t++) {
      insert.run(`u${t}`, `t${t}`, 'user', `question ${t}`, 2 * t);
      insert.run(`r${t}`, `t${t}`, 'assistant', `answer ${t}. ${'More words. '.repeat(100)}`, 2 * t + 1); // ~300 tokens a turn
    }
  })();
  db.close();
  await page.goto(await host.start());
  await page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation').first().click();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByTestId('message')).toHaveCount(150);
  await expect(log.getByTestId('message').last()).toContainText('answer 99');
  // ~30,000 tokens of history: the model is sent the newest that fit in 24,000, and the meter says so.
  await expect(page.getByTestId('context-meter')).toContainText(/^History sent: ~2\d,\d{3} of 24,000 tokens · \d+ earlier messages are not sent$/);
  await log.getByRole('button', { name: 'Show 50 earlier messages (50 not shown)' }).click();
  await expect(log.getByTestId('message')).toHaveCount(200);
  await expect(log.getByTestId('message').first()).toContainText('question 0');
  await send(page, 'list files');
  await expect(finalReply(page)).toContainText('no files');
});

test('a last turn bigger than the history limit is still sent whole, and the meter says the history is over it', async ({ page }) => {
  const host = currentHost();
  await host.stop();
  const db = new Database(join(host.dataDir, 'portcullis.db'));
  db.prepare("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('huge', 'A huge answer', 0, 0)").run();
  const insert = db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES (?, 'huge', ?, ?, ?, ?)");
  insert.run('u0', 't0', 'user', 'question 0', 0);
  insert.run('r0', 't0', 'assistant', 'answer 0', 1);
  insert.run('u1', 't1', 'user', 'question 1', 2);
  insert.run('r1', 't1', 'assistant', 'word '.repeat(24_000), 3); // ~30,000 tokens, over the 24,000 allowed
  db.close();
  await page.goto(await host.start());
  await page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation').first().click();
  const meter = page.getByTestId('context-meter');
  await expect(meter).toHaveText(/^History sent: ~3\d,\d{3} of 24,000 tokens, over the history limit: the last turn is sent whole · 2 earlier messages are not sent$/);
  await expect(meter).toHaveAttribute('data-over', 'true');
  // The bar is past its `high` mark: drawn in the meter's warning colour, not as a calm full bar.
  expect(await meter.getByRole('meter').evaluate((bar: HTMLMeterElement) => bar.value > bar.high)).toBe(true);
});

test('the places take turns: each opens in sight over the one before, and Settings and Policies do not hide each other', async ({ page }) => {
  await page.goto(currentHost().url);
  const places = page.getByRole('navigation', { name: 'Places' });
  const traces = page.getByTestId('trace-panel');
  const tools = page.getByTestId('tools-page');
  const settings = page.getByTestId('settings-panel');
  const modelSettings = page.getByTestId('model-settings');
  const policies = page.getByTestId('policies');

  await places.getByRole('button', { name: 'Traces' }).click();
  await expect(traces).toBeVisible();
  await places.getByRole('button', { name: 'Settings' }).click();
  await expect(settings).toBeVisible();
  await expect(modelSettings).toBeVisible();
  await expect(traces).toBeHidden();
  await expect(places.getByRole('button', { name: 'Traces' })).toHaveAttribute('aria-expanded', 'false');

  await places.getByRole('button', { name: 'Tools & servers', exact: true }).click();
  await expect(tools).toBeVisible();
  await expect(settings).toBeHidden();
  await expect(modelSettings).toBeHidden();
  await expect(places.getByRole('button', { name: 'Settings' })).toHaveAttribute('aria-expanded', 'false');

  // Policies covers the chat, where Settings' model section sits: opening one closes the other.
  await places.getByRole('button', { name: 'Policies' }).click();
  await expect(policies).toBeVisible();
  await expect(tools).toBeVisible();
  await places.getByRole('button', { name: 'Settings' }).click();
  await expect(modelSettings).toBeVisible();
  await expect(policies).toBeHidden();
  await expect(places.getByRole('button', { name: 'Policies' })).toHaveAttribute('aria-pressed', 'false');
  await places.getByRole('button', { name: 'Policies' }).click();
  await expect(policies).toBeVisible();
  await expect(settings).toBeHidden();

  // The header's Trace panel replaces whatever the column held.
  await places.getByRole('button', { name: 'Tools & servers', exact: true }).click();
  await page.getByRole('button', { name: 'Trace panel' }).click();
  await expect(traces).toBeVisible();
  await expect(tools).toBeHidden();
});

test("the side panel's border resizes it, by mouse or keyboard, and the width is kept after a reload", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 800 });
  await page.goto(currentHost().url);
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Traces' }).click();
  const panel = page.locator('.trace-column');
  const border = page.getByRole('separator', { name: 'Width of the side panel' });
  const width = async () => Math.round((await panel.boundingBox())!.width);
  const initial = await width();
  await expect(border).toHaveAttribute('aria-valuenow', String(initial));

  // The keyboard: ← widens it by 32 px, → narrows it.
  await border.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(width).toBe(initial + 64);
  await expect(border).toHaveAttribute('aria-valuenow', String(initial + 64));
  await page.keyboard.press('ArrowRight');
  await expect.poll(width).toBe(initial + 32);

  // The mouse: dragged to 700 px from the window's right edge.
  const box = (await border.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(1400 - 700, box.y + 220, { steps: 5 });
  await page.mouse.up();
  await expect.poll(width).toBe(700);
  // Never so wide that the chat is squeezed: the sidebar and 400 px of chat are kept.
  await border.focus();
  await page.keyboard.press('End');
  await expect.poll(width).toBe(1400 - 240 - 400);

  // Kept across a reload, and for the other places in the column.
  await page.reload();
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Settings' }).click();
  await expect.poll(width).toBe(760);
  // A double click goes back to the default share of the window.
  await page.getByRole('separator', { name: 'Width of the side panel' }).dblclick();
  await expect.poll(width).toBe(initial);
});

test('Export saves the conversation, its messages and tool calls, as a Markdown file', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'write hello.txt with hi');
  await page.getByRole('dialog', { name: 'Write 2 characters to hello.txt' }).getByRole('button', { name: 'Allow once' }).click();
  await expect(finalReply(page)).toContainText('Created');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toBe('write-hello.txt-with-hi.md');
  const markdown = readFileSync((await download.path())!, 'utf8');
  expect(markdown).toMatch(/^# write hello\.txt with hi\n\nExported from Portcullis on .* · 4 messages\n/);
  expect(markdown).toContain('## You · ');
  expect(markdown).toContain('```text\nwrite hello.txt with hi\n```');
  expect(markdown).toMatch(/### Tool `fs\.write` · .*\n\napproved by you · succeeded · \d+ ms/);
  expect(markdown).toContain('"content": "hi"');
  expect(markdown).toContain('> Created "hello.txt" (2 bytes written).');
});
