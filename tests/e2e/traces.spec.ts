import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { finalReply, send, useHostPerTest, waitForServer } from './chat-page';
import { chaosServer, writeMcpConfig } from '../helpers/mcp';
import { startRecordingCollector } from '../helpers/recording-collector';

const currentHost = useHostPerTest();


test('a running turn\'s trace is live: the steps under way are drawn as running, and end when it does', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(currentHost().url);
  await send(page, 'write live.txt with hi');
  const dialog = page.getByRole('dialog', { name: 'Write 2 characters to live.txt' });
  await expect(dialog).toBeVisible();
  await page.locator('[data-testid="message"][data-role="assistant"]').last().getByTestId('open-trace').click();
  const waterfall = page.getByRole('complementary', { name: 'Trace' }).getByTestId('waterfall');
  const approval = waterfall.locator('[data-testid="span-row"][data-kind="approval"]');
  await expect(approval).toHaveAttribute('data-status', 'running');
  await expect(waterfall.locator('[data-testid="span-row"][data-kind="turn"]')).toHaveAttribute('data-status', 'running');
  await approval.click();
  await expect(page.getByTestId('span-details')).toContainText(/Duration.*so far/);

  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(finalReply(page)).toContainText('live.txt');
  await expect(approval).toHaveAttribute('data-status', 'ok');
  await expect(waterfall.locator('[data-status="running"]')).toHaveCount(0);
});

test('the viewer opens a turn trace from the chat: waterfall, span details with policy and approval, OTLP export', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(currentHost().url);
  await send(page, 'write hello.txt with hi');
  const dialog = page.getByRole('dialog', { name: 'Write 2 characters to hello.txt' });
  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(finalReply(page)).toContainText('hello.txt');

  // Every reply has a Trace button: each is named by its turn's time.
  await expect(finalReply(page).getByTestId('open-trace')).toHaveAccessibleName(/^Trace of the turn at \d{1,2}:\d{2}/);
  await finalReply(page).getByTestId('open-trace').click();
  const panel = page.getByRole('complementary', { name: 'Trace' });
  const waterfall = panel.getByTestId('waterfall');
  await expect(waterfall).toBeVisible();
  for (const kind of ['turn', 'route', 'model', 'tool', 'policy', 'approval', 'sandbox']) {
    await expect(waterfall.locator(`[data-testid="span-row"][data-kind="${kind}"]`).first()).toBeVisible();
  }
  await expect(panel.getByTestId('trace-summary-line')).toContainText('8 spans');

  await waterfall.locator('[data-testid="span-row"][data-kind="model"]').first().click();
  const details = panel.getByTestId('span-details');
  await expect(details.getByTestId('span-history')).toContainText('1, the whole conversation');
  await expect(details.getByTestId('span-history')).toContainText('not known (the default history limit applies)');
  await waterfall.locator('[data-testid="span-row"][data-kind="policy"]').click();
  await expect(details.getByTestId('span-policy')).toContainText('default.mutating');
  await waterfall.locator('[data-testid="span-row"][data-kind="approval"]').click();
  await expect(details.getByTestId('span-approval')).toContainText('person: allow_once');
  await expect(details.getByTestId('span-events')).toContainText('approval.decided');
  await waterfall.locator('[data-testid="span-row"][data-kind="tool"]').click();
  await expect(details.getByTestId('span-attributes')).toContainText('gen_ai.tool.call.id');
  await expect(details.getByTestId('span-attributes')).toContainText('execute_tool');
  // Content view is off by default: no captured content section.
  await expect(details.getByTestId('span-content')).toHaveCount(0);

  // The keys of a listbox: ↑/↓ a span, Home/End the first and the last, PageUp/PageDown the spans in view.
  const list = panel.getByRole('listbox');
  const selected = list.locator('[role="option"][aria-selected="true"]');
  await list.focus();
  await list.press('End');
  await expect(selected).toHaveAttribute('aria-posinset', '8');
  await list.press('ArrowUp');
  await expect(selected).toHaveAttribute('aria-posinset', '7');
  await list.press('Home');
  await expect(selected).toHaveAttribute('aria-posinset', '1');
  await list.press('PageDown'); // all eight are in view: a page down is the last
  await expect(selected).toHaveAttribute('aria-posinset', '8');
  await list.press('PageUp');
  await expect(selected).toHaveAttribute('aria-posinset', '1');
  await page.screenshot({ path: test.info().outputPath('trace-viewer.png') });

  const downloading = page.waitForEvent('download');
  await panel.getByTestId('export-trace').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^trace-[0-9a-f]{32}\.otlp\.json$/);
  const otlp = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
  expect(otlp.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name)).toContain('execute_tool fs.write');

  // The traces list filters by tool and opens a trace's timeline.
  await panel.getByRole('button', { name: 'All traces' }).click();
  await panel.getByLabel('Tool').fill('fs.write');
  await expect(panel.getByTestId('trace-summary')).toHaveCount(1);
  await panel.getByLabel('Tool').fill('fs.read');
  await expect(panel.getByTestId('trace-summary')).toHaveCount(0);
  await panel.getByLabel('Tool').fill('');
  // Opened with the keyboard, the timeline takes the focus the list's row had (it is not dropped on the page).
  const summary = panel.getByTestId('trace-summary').first();
  const traceId = (await summary.getAttribute('data-trace-id'))!;
  await summary.press('Enter');
  await expect(waterfall.locator('[data-testid="span-row"][data-kind="approval"]')).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Trace' })).toBeFocused();
  // Trace ids start with the time: the short id is their random end, which tells traces of one minute apart.
  await expect(panel.locator('.trace-id')).toHaveText(traceId.slice(-8));
});

test('the traces list counts in words: one span that failed reads "1 error"', async ({ page }) => {
  await page.goto(currentHost().url);
  // Arguments the tool's schema refuses: its one span failed, before any sandbox step (a deny is a decision, not
  // an error: trace-list-rows.spec).
  await send(page, 'fs.read {"path": 3}');
  await expect(page.getByTestId('tool-call').last()).toHaveAttribute('data-status', 'failed');
  await expect(finalReply(page)).toBeVisible();
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Traces' }).click();
  const summary = page.getByTestId('trace-summary');
  await expect(summary).toHaveCount(1);
  await expect(summary.locator('.status-error')).toHaveText('1 error');
});

test('in a narrow window the trace panel shows each span name whole', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 800 });
  await page.goto(currentHost().url);
  await send(page, 'list files');
  await expect(finalReply(page)).toBeVisible();
  await finalReply(page).getByTestId('open-trace').click();
  const rows = page.getByRole('complementary', { name: 'Trace' }).getByTestId('span-row');
  const tool = rows.filter({ hasText: 'execute_tool fs.list' });
  await expect(tool).toBeVisible();
  await expect(tool).toHaveAttribute('title', /^execute_tool fs\.list · /);
  const cut = await rows.locator('.span-name').evaluateAll((names) => names.filter((name) => name.scrollWidth > name.clientWidth).map((name) => name.textContent));
  expect(cut).toEqual([]);
});

test('Settings: traces keep the content only when asked to, and also go to a collector once one is set', async ({ page }) => {
  const collector = await startRecordingCollector();
  try {
    await page.goto(currentHost().url);
    await page.getByRole('button', { name: 'Settings' }).click();
    const traces = page.getByRole('region', { name: 'Traces' });
    const modes = traces.getByRole('group', { name: 'What traces keep of the content' });
    await expect(modes.getByRole('radio', { name: /names, sizes, types \(default\)/ })).toBeChecked();
    await modes.getByRole('radio', { name: /Also the content itself/ }).click();
    await expect(modes.getByRole('radio', { name: /Also the content itself/ })).toBeChecked();

    await traces.getByRole('textbox', { name: /OpenTelemetry collector/ }).fill('not a url');
    await traces.getByRole('button', { name: 'Save collector' }).click();
    await expect(traces.getByRole('alert')).toContainText('Not changed.');
    await traces.getByRole('textbox', { name: /OpenTelemetry collector/ }).fill(collector.endpoint);
    await traces.getByRole('button', { name: 'Save collector' }).click();
    await expect(traces.getByTestId('traces-status')).toContainText(`sent to ${collector.endpoint}`);

    await send(page, 'list the files');
    await expect(finalReply(page)).toBeVisible();
    // Full capture: the tool's arguments themselves are in the span the collector received.
    await expect.poll(() => Buffer.concat(collector.requests.map((r) => r.body)).toString(), { timeout: 10_000 }).toContain('gen_ai.tool.call.arguments"');
    await expect(traces.getByTestId('traces-status')).not.toContainText('; 0 sent');

    // Both survive a reload of the window: they are the host's settings, not the page's.
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('radio', { name: /Also the content itself/ })).toBeChecked();
    await expect(page.getByRole('textbox', { name: /OpenTelemetry collector/ })).toHaveValue(collector.endpoint);
    await page.getByRole('button', { name: 'Stop sending' }).click();
    await expect(page.getByRole('textbox', { name: /OpenTelemetry collector/ })).toHaveValue('');
  } finally {
    await collector.close();
  }
});

test('the traces list\'s filters stay inside the side panel at its default width, however long a conversation\'s name', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(currentHost().url);
  await send(page, 'list files');
  await expect(finalReply(page)).toBeVisible();
  await page.getByTestId('conversation').first().focus();
  await page.keyboard.press('F2');
  const name = page.getByRole('textbox', { name: /^New name for/ });
  await name.fill('The files in the workspace, listed and then sorted by their size, with the largest ones named first and the rest left out of the answer');
  await name.press('Enter');
  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Traces' }).click();
  const panel = page.getByRole('complementary', { name: 'Trace' });
  await expect(panel.getByTestId('trace-summary')).toHaveCount(1);
  const filters = panel.getByTestId('trace-list').locator('.trace-filters');
  const outside = await filters.evaluate((box) => {
    const right = box.closest('.trace-panel')!.getBoundingClientRect().right;
    return Array.from(box.querySelectorAll('select, input, label')).filter((el) => el.getBoundingClientRect().right > right + 0.5).map((el) => el.outerHTML.slice(0, 60));
  });
  expect(outside).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('trace-filters.png') });
  // Still a select that can be used with the keyboard: the long name is one of its choices.
  const conversation = panel.getByLabel('Conversation');
  await conversation.focus();
  await conversation.selectOption({ index: 1 });
  await expect(panel.getByTestId('trace-summary')).toHaveCount(1);
});

test('in the traces list a turn the person stopped reads "stopped", in no error\'s red, and its cut-short steps are not counted as errors', async ({ page }) => {
  const host = currentHost();
  writeMcpConfig(host.dataDir, { chaos: { command: process.execPath, args: [chaosServer], sandbox: false } });
  await page.goto(await host.restart());
  await waitForServer(page, 'chaos');
  await send(page, 'chaos.hang {}'); // never answers
  await page.getByRole('dialog', { name: /^Run chaos\.hang / }).getByRole('button', { name: 'Allow once' }).click();
  await expect(page.getByTestId('turn-status')).toContainText('Running chaos.hang…');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('turn-error')).toHaveText(/^You stopped this turn\./);

  await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Traces' }).click();
  const panel = page.getByRole('complementary', { name: 'Trace' });
  const summary = panel.getByTestId('trace-summary');
  await expect(summary).toHaveCount(1);
  await expect(summary.locator('.span-status')).toHaveText(['stopped']);
  await expect(summary.locator('.status-error')).toHaveCount(0);
  // "Turn ended" tells a stop from an error, and "with a failed step" leaves it out.
  const ended = panel.getByLabel('Turn ended');
  await ended.selectOption({ label: 'in an error' });
  await expect(summary).toHaveCount(0);
  await ended.selectOption({ label: 'stopped by you' });
  await expect(summary).toHaveCount(1);
  await ended.selectOption({ label: 'Any way' });
  await panel.getByRole('checkbox', { name: /With a failed step/ }).check();
  await expect(summary).toHaveCount(0);
  await panel.getByRole('checkbox', { name: /With a failed step/ }).uncheck();

  // Its timeline draws the cut-short steps grey, as stopped, not in an error's red.
  await summary.click();
  const waterfall = panel.getByTestId('waterfall');
  await expect(waterfall.locator('[data-testid="span-row"][data-kind="turn"]')).toHaveAttribute('data-status', 'stopped');
  for (const kind of ['tool', 'sandbox', 'mcp']) await expect(waterfall.locator(`[data-testid="span-row"][data-kind="${kind}"]`)).toHaveAttribute('data-status', 'stopped');
  await expect(waterfall.locator('.span-error')).toHaveCount(0);
  await expect(waterfall.locator('.span-stopped')).toHaveCount(4);
});
