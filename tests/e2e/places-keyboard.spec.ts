import { expect, test } from '@playwright/test';
import { finalReply, send, useHostPerTest } from './chat-page';

const currentHost = useHostPerTest();

test('Esc closes the place it is pressed in and gives the keyboard back to its button; a filter clears itself first; a waiting call is left alone', async ({ page }) => {
  await page.goto(currentHost().url);
  const places = page.getByRole('navigation', { name: 'Places' });

  // A call waits: Esc in a place closes the place, not the turn.
  await send(page, 'write a.txt with 1');
  const approval = page.getByRole('dialog', { name: 'Write 1 character to a.txt' });
  await expect(approval).toBeVisible();

  // Settings, from its Model section above the chat and from the column.
  const settingsButton = places.getByRole('button', { name: 'Settings' });
  await settingsButton.click();
  const model = page.getByTestId('model-settings');
  const localServer = model.getByLabel(/Local server/);
  await expect(localServer).toBeEnabled();
  await localServer.focus();
  await page.keyboard.press('Escape');
  await expect(model).toHaveCount(0);
  await expect(page.getByTestId('settings-panel')).toHaveCount(0);
  await expect(settingsButton).toBeFocused();
  await page.keyboard.press('Enter');
  const settings = page.getByTestId('settings-panel');
  await expect(settings.getByRole('heading', { name: 'Settings', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);
  await expect(settingsButton).toBeFocused();
  await expect(approval).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();

  // Tools & servers: Esc in the filter empties it first, the next one closes the page.
  const toolsButton = places.getByRole('button', { name: 'Tools & servers', exact: true });
  await toolsButton.click();
  const tools = page.getByTestId('tools-page');
  const filter = tools.getByRole('searchbox', { name: 'Filter tools' });
  await filter.fill('fs');
  await filter.press('Escape');
  await expect(filter).toHaveValue('');
  await expect(tools).toBeVisible();
  await filter.press('Escape');
  await expect(tools).toHaveCount(0);
  await expect(toolsButton).toBeFocused();
  // Esc on the button of an open place closes it too.
  await toolsButton.click();
  await expect(tools).toBeVisible();
  await toolsButton.focus();
  await page.keyboard.press('Escape');
  await expect(tools).toHaveCount(0);

  // Policies: not from a multi-line editor, whose text would be lost, but from a field of one line.
  const policiesButton = places.getByRole('button', { name: 'Policies' });
  await policiesButton.click();
  const policies = page.getByTestId('policies');
  await policies.getByRole('textbox', { name: 'Arguments (JSON)' }).press('Escape');
  await expect(policies).toBeVisible();
  await policies.getByRole('textbox', { name: 'Tool' }).press('Escape');
  await expect(policies).toHaveCount(0);
  await expect(policiesButton).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Policies');

  // Traces: from the list's filters.
  const tracesButton = places.getByRole('button', { name: 'Traces' });
  await tracesButton.click();
  const traces = page.getByTestId('trace-panel');
  await traces.getByLabel('Tool').fill('fs.write');
  await traces.getByLabel('Tool').press('Escape');
  await expect(traces).toHaveCount(0);
  await expect(tracesButton).toBeFocused();

  // Through all of it the call kept waiting.
  await expect(approval).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
});

test('the trace panel closes on an Esc pressed in it or on its toggle; Esc in the chat stops a running turn, with the panel left open', async ({ page }) => {
  await page.goto(currentHost().url);
  await send(page, 'list files about owls');
  await expect(finalReply(page)).toBeVisible();
  const toggle = page.getByRole('button', { name: 'Trace panel' });
  const panel = page.getByTestId('trace-panel');
  const box = page.getByRole('textbox', { name: 'Message' });

  // Nothing running: Esc in the message box is not the panel's, and leaves it open.
  await toggle.click();
  await expect(panel).toBeVisible();
  await box.focus();
  await page.keyboard.press('Escape');
  await expect(panel).toBeVisible();
  await toggle.focus();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(toggle).toBeFocused();

  // A turn running, watched live in the panel: Esc in the chat stops it, as Stop does, and the panel stays.
  await send(page, 'write b.txt with 2');
  await expect(page.getByRole('dialog', { name: 'Write 1 character to b.txt' })).toBeVisible();
  await toggle.click();
  await expect(panel).toBeVisible();
  await box.focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('turn-error')).toContainText('You stopped this turn.');
  await expect(panel).toBeVisible();
  // In the panel, Esc closes it and gives the keyboard back to its toggle.
  await panel.getByRole('heading', { name: 'Trace' }).focus();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(toggle).toBeFocused();
});

test('Search & memory closed with Esc gives the keyboard back where it was: the message box for a Ctrl+K typed there, its button for a click', async ({ page }) => {
  await page.goto(currentHost().url);
  const box = page.getByRole('textbox', { name: 'Message' });
  const dialog = page.getByRole('dialog', { name: 'Search & memory' });
  await box.fill('draft of a message');
  await box.press('Control+K');
  await expect(dialog.getByRole('searchbox')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('draft of a message');

  const button = page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Search & memory' });
  await button.click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(button).toBeFocused();
});
