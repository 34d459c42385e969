import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

/** The parts of `locator` that something else is drawn over, or that are off the window (empty: all in sight). */
async function hidden(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((elements) =>
    elements.flatMap((element) => {
      const box = element.getBoundingClientRect();
      const points = [[box.left + 3, box.top + box.height / 2], [box.left + box.width / 2, box.top + box.height / 2], [box.right - 3, box.top + box.height / 2]];
      const what = (element.textContent ?? '').trim().slice(0, 40);
      if (box.right > window.innerWidth || box.bottom > window.innerHeight || box.left < 0) return [`${what}: off the window`];
      if (element.scrollWidth > element.clientWidth + 1) return [`${what}: cut`];
      return points.some(([x, y]) => !element.contains(document.elementFromPoint(x!, y!))) ? [`${what}: covered`] : [];
    }),
  );
}

async function openSettings(page: Page): Promise<{ model: Locator; panel: Locator }> {
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Settings' }).click();
  const model = page.getByTestId('model-settings');
  await expect(model.getByRole('radio').first()).toBeEnabled();
  return { model, panel: page.getByTestId('settings-panel') };
}

test('Settings in a 700 px window: the side panel goes under the Model section, which is read whole, and the keyboard goes in and out', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(currentHost().url);
  const { model, panel } = await openSettings(page);
  await expect(panel.getByRole('heading', { name: 'Settings' })).toBeFocused();
  expect(await hidden(model.locator('.settings-radio'))).toEqual([]);
  expect(await hidden(model.getByRole('button', { name: 'Save' }))).toEqual([]);
  const modelBox = (await model.boundingBox())!;
  const panelBox = (await panel.boundingBox())!;
  expect(panelBox.y).toBeGreaterThanOrEqual(modelBox.y + modelBox.height);
  // The side panel's own fields are within the window's width.
  expect(await hidden(panel.getByRole('button', { name: 'Save folder' }))).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('settings-700.png') });
  expect(await seriousViolations(page)).toEqual([]);
  // Esc in the side panel closes Settings and gives the keyboard back to its button.
  await panel.getByRole('heading', { name: 'Settings' }).press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Settings' })).toBeFocused();
});

test('Settings at 900 and 1400 px keeps the Model section and the side panel side by side, nothing covered', async ({ page }) => {
  for (const width of [900, 1400]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(currentHost().url);
    const { model, panel } = await openSettings(page);
    expect(await hidden(model.locator('.settings-radio'))).toEqual([]);
    const modelBox = (await model.boundingBox())!;
    expect((await panel.boundingBox())!.x).toBeGreaterThanOrEqual(modelBox.x + modelBox.width);
    await page.screenshot({ path: test.info().outputPath(`settings-${width}.png`) });
  }
});

test('Policies in a 700 px window: the rule table fits the page, with no sideways scroll', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(currentHost().url);
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Policies' }).click();
  const policies = page.getByTestId('policies');
  await expect(policies.getByTestId('policy-rule').first()).toBeVisible();
  const widths = await policies.evaluate((page) => ({ scroll: page.scrollWidth, client: page.clientWidth, table: page.querySelector('table')!.getBoundingClientRect().right, right: page.getBoundingClientRect().right }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  expect(widths.table).toBeLessThanOrEqual(widths.right);
  // Every rule's name is within the page, and the first not broken mid-word to make room.
  const names = policies.getByTestId('policy-rule').locator('td:first-child code');
  expect(await names.evaluateAll((codes) => codes.filter((code) => code.getBoundingClientRect().right > window.innerWidth).map((code) => code.textContent))).toEqual([]);
  expect(await names.first().evaluate((code) => code.getClientRects().length)).toBe(1);
  await page.screenshot({ path: test.info().outputPath('policies-700.png') });
});

test('An approval in a 700×700 and a 900×600 window with the trace panel open reads whole: what is asked, its preview, its buttons, from the keyboard too', async ({ page }) => {
  await page.goto(currentHost().url);
  await page.getByRole('button', { name: 'Trace panel' }).click();
  for (const [width, height] of [[700, 700], [900, 600]] as const) {
    await page.setViewportSize({ width, height });
    await send(page, `write "buy milk and some very long text here to see how it wraps in the narrow preview" to notes/todo-${width}.txt`);
    const dialog = page.getByRole('dialog', { name: `Write 79 characters to notes/todo-${width}.txt` });
    await expect(dialog).toBeFocused();
    const preview = dialog.getByTestId('approval-arguments').locator('pre').first();
    // Beside the panel the chat keeps the room for the choices in three rows (at 900 px it had 330 px: four rows).
    expect((await dialog.boundingBox())!.width).toBeGreaterThan(340);
    // Nothing in the requests is wider than they are: no sideways scroll.
    expect(await page.getByTestId('approvals').evaluate((area) => area.scrollWidth - area.clientWidth)).toBeLessThanOrEqual(0);
    // The title has the dialog's width (the countdown goes under it), not a narrow column beside the countdown.
    const title = dialog.getByRole('heading');
    expect((await title.boundingBox())!.width).toBeGreaterThan((await dialog.boundingBox())!.width * 0.8);
    expect(await hidden(title)).toEqual([]);
    for (const name of ['Allow once', 'Deny']) expect(await hidden(dialog.getByRole('button', { name, exact: true }))).toEqual([]);
    if (width === 700) expect(await firstLineInSight(preview)).toBe(true);
    await page.screenshot({ path: test.info().outputPath(`approval-${width}x${height}.png`) });
    // Tab from the request goes on to its arguments, drawn clear of the sticky buttons, then to the buttons.
    await page.keyboard.press('Tab');
    const allArguments = dialog.getByText('All arguments');
    await expect(allArguments).toBeFocused();
    expect(await hidden(allArguments)).toEqual([]);
    expect(await firstLineInSight(preview)).toBe(true);
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Allow once' })).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.focus();
    await page.keyboard.press('d');
    await expect(dialog).toHaveCount(0);
  }
});

/** Whether the first line of `locator` is in sight: on the window, and the topmost thing at its left end. */
async function firstLineInSight(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + 12, box.top + 10);
    return top !== null && element.contains(top);
  });
}

test("A trace's waterfall in a 700 px window says a step's time whole, a minute and more too", async ({ page }) => {
  const host = currentHost();
  await page.goto(host.url);
  await send(page, 'list the files');
  await expect(page.locator('[data-testid="message"][data-answer="true"]')).toHaveCount(1);
  // A turn of 1 min 24 s (one that waited for an answer, say), its steps as they were.
  await host.stop();
  const traces = new Database(join(host.dataDir, 'traces.db'));
  traces.prepare('UPDATE spans SET end_time = start_time + 84_321 WHERE parent_span_id IS NULL').run();
  traces.close();
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(await host.start());
  await page.getByTestId('conversation').first().click();
  await page.getByTestId('open-trace').last().click();
  const durations = page.getByTestId('waterfall').locator('.waterfall-duration');
  await expect(durations.first()).toHaveText('1 min 24 s');
  expect(await durations.evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent))).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('waterfall-700.png') });
});

test('The message box in a narrow chat shows its placeholder whole, and a long paragraph, up to 40% of the window', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await page.goto(currentHost().url);
  await page.getByRole('button', { name: 'Trace panel' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  const cut = () => box.evaluate((area) => area.scrollHeight - area.clientHeight);
  expect(await cut()).toBeLessThanOrEqual(0);
  await box.fill('Please read every file under notes and tell me which of them mention the quarterly review, then draft a short summary.');
  expect(await cut()).toBeLessThanOrEqual(0);
  await box.fill('many words '.repeat(300));
  expect((await box.boundingBox())!.height).toBeLessThanOrEqual(600 * 0.4 + 1);
});
