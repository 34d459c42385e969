import { expect, test, type Locator, type Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { finalReply, send, startWithEverything, watchRequests } from './chat-page';
import { HeadlessHost } from './headless-host';
import { refusingRequests } from './refuse-requests';

// server-everything's tool asks a form of a dozen fields (name required, an integer 1..100 defaulting to 42, …)
// and answers with what it was given, or that the person declined or cancelled.
const TOOL = 'everything.trigger-elicitation-request';

let host: HeadlessHost;

test.afterEach(async () => {
  await host?.stop();
});

const lastCard = (page: Page) => page.getByTestId('tool-call').last();
const question = (page: Page) => page.getByRole('dialog', { name: 'everything asks you' });

/** Starts Portcullis with server-everything configured (`extraArgs` go to `portcullis serve`) and opens the page. */
async function startAndOpen(page: Page, extraArgs: string[] = []): Promise<void> {
  host = new HeadlessHost(extraArgs);
  await startWithEverything(page, host, TOOL);
}

/** Asks for the tool in the chat, allows the call once, and waits for the server's question. */
async function askTheServer(page: Page): Promise<Locator> {
  await send(page, `${TOOL} {}`);
  await page.getByTestId('approval').getByRole('button', { name: 'Allow once' }).click();
  const dialog = question(page);
  await expect(dialog).toBeVisible();
  return dialog;
}

/** One request of the host's local API, with the session token the page was opened with. */
async function callHost<T>(channel: string, input: unknown): Promise<T> {
  const url = new URL(host.url);
  const response = await fetch(`${url.origin}/api/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const reply = (await response.json()) as { ok: boolean; output: T };
  expect(reply.ok).toBe(true);
  return reply.output;
}

/** The tool's result as the card shows it, opened. */
async function resultOf(page: Page): Promise<Locator> {
  const card = lastCard(page);
  await card.locator('.tool-details summary').click();
  return card.locator('.tool-details');
}

test('a server asks mid-call: the form is checked as it is filled, refuses to send while wrong, and the answer reaches the tool', async ({ page }) => {
  const answers = watchRequests(page, 'elicitations.answer');
  await startAndOpen(page);
  const dialog = await askTheServer(page);
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog.getByTestId('elicitation-context')).toContainText(`Asked while running ${TOOL}.`);
  await expect(dialog.getByTestId('elicitation-context')).toContainText('The server runs in the sandbox.');
  await expect(dialog).toContainText('Please provide inputs for the following fields:');
  await expect(dialog.getByTestId('elicitation-warning')).toHaveText(
    'Your answer goes to the everything server, which may pass it on to the model. Never enter a password or key here.',
  );
  await expect(dialog.getByTestId('elicitation-countdown')).toHaveText(/No answer in \d+:\d\d means not now/);

  // The first field has the keyboard; the server's defaults are filled in, its descriptions are the help text.
  const name = dialog.getByRole('textbox', { name: 'String (required)', exact: true });
  await expect(name).toBeFocused();
  await expect(name).toHaveAccessibleDescription('Your full, legal name');
  await expect(dialog.getByRole('textbox', { name: 'String with default', exact: true })).toHaveValue('It was a dark and stormy night.');
  await expect(dialog.getByRole('combobox', { name: 'Untitled Single Select Enum' })).toHaveValue('Monica');
  await expect(dialog.getByRole('combobox', { name: 'Titled Single Select Enum', exact: true }).locator('option:checked')).toHaveText('Superman');
  await expect(dialog.getByRole('group', { name: 'Titled Multiple Select Enum' }).getByRole('checkbox', { name: 'Tuna' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: 'Boolean' })).not.toBeChecked();
  await expect(dialog.getByRole('textbox', { name: 'String with email format' })).toHaveAttribute('type', 'email');

  // Out of range: said at once, next to the field.
  const integer = dialog.getByRole('spinbutton', { name: 'Integer' });
  await expect(integer).toHaveValue('42');
  await integer.fill('500');
  await expect(dialog.getByTestId('elicitation-problem-integer')).toHaveText('Must be at most 100.');
  await expect(integer).toHaveAttribute('aria-invalid', 'true');
  await expect(integer).toHaveAccessibleDescription(/Must be at most 100\./);
  // Submit refuses: the missing name is pointed out, and nothing goes to the host.
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await expect(dialog.getByTestId('elicitation-problem-name')).toHaveText('Required.');
  await expect(dialog.getByTestId('elicitation-invalid')).toBeVisible();
  await expect(name).toBeFocused();
  await expect(dialog).toBeVisible();
  // The call still waits on the question (its card is drawn once it ends).
  await expect(page.getByRole('status').filter({ hasText: `Running ${TOOL}` })).toBeVisible();
  await expect(page.getByTestId('tool-call')).toHaveCount(0);
  expect(answers).toEqual([]);

  await name.fill('Ada Lovelace');
  await integer.fill('7');
  await expect(dialog.getByTestId('elicitation-problem-integer')).toHaveCount(0);
  await expect(dialog.getByTestId('elicitation-problem-name')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('tool-call')).toHaveCount(1);
  expect(answers).toHaveLength(1);
  // Numbers are sent as numbers; the yes/no as what the checkbox showed.
  expect(answers[0]).toContain('"integer":7');
  expect(answers[0]).toContain('"check":false');

  await expect(lastCard(page)).toHaveAttribute('data-status', 'succeeded');
  // The keyboard is back in the message box once the turn is over.
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
  const result = await resultOf(page);
  await expect(result).toContainText('User provided the requested information');
  await expect(result).toContainText('Name: Ada Lovelace');
  await expect(result).toContainText('Favorite Integer: 7');
  await expect(finalReply(page)).toContainText('Name: Ada Lovelace');
});

test('Decline tells the server no, and Esc (Not now) cancels the question', async ({ page }) => {
  await startAndOpen(page);
  let dialog = await askTheServer(page);
  await dialog.getByRole('button', { name: 'Decline' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(lastCard(page)).toHaveAttribute('data-status', 'succeeded');
  await expect(await resultOf(page)).toContainText('User declined to provide the requested information');

  dialog = await askTheServer(page);
  await dialog.getByRole('textbox', { name: 'String (required)', exact: true }).fill('not sent');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('tool-call')).toHaveCount(2);
  // Esc went to the question, not to the turn: the call ran to its end.
  await expect(lastCard(page)).toHaveAttribute('data-status', 'succeeded');
  const result = await resultOf(page);
  await expect(result).toContainText('User cancelled the elicitation dialog');
  await expect(result).not.toContainText('not sent');
});

test('an answer the host refuses leaves the keyboard on the choice pressed, and can be given again', async ({ page }) => {
  const refusing = await refusingRequests(page);
  await startAndOpen(page);
  const dialog = await askTheServer(page);
  const decline = dialog.getByRole('button', { name: 'Decline' });
  await decline.focus();
  refusing.refuseNext('elicitations.answer', 'the host is busy');
  await page.keyboard.press('Enter');
  await expect(dialog.getByTestId('elicitation-error')).toContainText('the host is busy');
  await expect(decline).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(await resultOf(page)).toContainText('User declined to provide the requested information');
});

test('the question dialog has no serious accessibility violations', async ({ page }) => {
  await startAndOpen(page);
  const dialog = await askTheServer(page);
  // Its problems shown too: an invalid field is described as such.
  await dialog.getByRole('button', { name: 'Submit' }).click();
  await expect(dialog.getByTestId('elicitation-problem-name')).toBeVisible();
  expect(await seriousViolations(page), 'the window with a question open').toEqual([]);
});

test('an approval that comes up while a question is open goes first; the question comes back as it was left', async ({ page }) => {
  await startAndOpen(page);
  const dialog = await askTheServer(page);
  const name = dialog.getByRole('textbox', { name: 'String (required)', exact: true });
  await name.fill('Ada');

  // Another conversation's call waits for approval: the question steps aside for it, and it has the keyboard.
  const other = await callHost<{ id: string }>('conversations.create', { title: 'Elsewhere' });
  await callHost('chat.send', { conversationId: other.id, text: 'write elsewhere.txt with 1' });
  const approval = page.getByRole('dialog', { name: 'Write 1 character to elsewhere.txt' });
  await expect(approval).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(approval).toBeFocused();
  await approval.getByRole('button', { name: 'Allow once' }).click();

  // Back as it was left, with the keyboard in its first field.
  await expect(dialog).toBeVisible();
  await expect(name).toHaveValue('Ada');
  await expect(name).toBeFocused();
  // Tab stays inside the question: from its last button back to its first field.
  await dialog.getByRole('button', { name: 'Not now' }).focus();
  await page.keyboard.press('Tab');
  await expect(name).toBeFocused();
  await dialog.getByRole('button', { name: 'Decline' }).click();
  await expect(dialog).toHaveCount(0);
});

test('no answer before the countdown ends cancels the question', async ({ page }) => {
  // Long enough that a starved browser still sees the question before it lapses.
  await startAndOpen(page, ['--approval-timeout', '6s']);
  const dialog = await askTheServer(page);
  await expect(dialog.getByTestId('elicitation-countdown')).toHaveText(/No answer in 0:0\d means not now/);
  await expect(dialog).toHaveCount(0, { timeout: 20_000 });
  await expect(lastCard(page)).toHaveAttribute('data-status', 'succeeded');
  await expect(await resultOf(page)).toContainText('User cancelled the elicitation dialog');
});
