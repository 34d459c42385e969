import { expect, test } from '@playwright/test';
import { chunk, listenFakeOpenAiServer } from '../helpers/openai-chat-server';
import { HeadlessHost } from './headless-host';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

test('an answer the step budget asked for says so under it, after a reload too', async ({ page }) => {
  host = new HeadlessHost();
  await host.start();
  const model = await listenFakeOpenAiServer(['e2e-model']);
  try {
    await host.useLocalModel(model.baseUrl);
    // A model that lists the folder in each of its 8 steps, then answers when told no more calls can run.
    const list = (i: number) => ({ sse: [chunk.toolStart(0, `call_${i}`, 'fs__list'), chunk.toolArgs(0, '{"path":"."}'), chunk.finish('tool_calls')] });
    model.reply(...Array.from({ length: 8 }, (_, i) => list(i)), { sse: [chunk.text('The folder is empty.'), chunk.finish('stop')] });
    await page.goto(host.url);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('what is in the folder?');
    await box.press('Enter');
    const log = page.getByRole('log', { name: 'Messages' });
    await expect(log.getByText('The folder is empty.')).toBeVisible();
    const note = log.getByTestId('answered-at-budget');
    await expect(note).toHaveText('This turn took all 8 steps its budget allows, so the model was asked to answer from what it had.');
    await expect(log.getByTestId('tool-call')).toHaveCount(8);
    await page.reload();
    await expect(log.getByTestId('answered-at-budget')).toHaveCount(1);
    await page.screenshot({ path: test.info().outputPath('budget-answer.png') });
  } finally {
    await model.close();
  }
});
