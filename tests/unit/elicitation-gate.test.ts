import { afterEach, describe, expect, it, vi } from 'vitest';
import { ElicitationGate, MAX_OPEN_PER_SERVER, type ElicitationQuestion } from '../../src/core/approvals/elicitation-gate';
import { systemClock } from '../../src/core/clock';
import { Redactor } from '../../src/core/redaction/redactor';

const question = (server = 'files'): ElicitationQuestion => ({
  server, sandboxed: true, message: 'Which folder?',
  fields: [{ name: 'folder', required: true, field: { type: 'string' } }, { name: 'note', required: false, field: { type: 'string' } }],
});

describe('the gate for servers’ questions', () => {
  afterEach(() => vi.useRealTimers());

  it('sends an accepted answer without the fields left empty, and a question answered is gone', async () => {
    const gate = new ElicitationGate(systemClock, 60_000);
    const asked = gate.ask(question(), new AbortController().signal);
    const [request] = gate.pending();
    expect(request).toMatchObject({ server: 'files', expiresAt: request!.requestedAt + 60_000 });
    expect(gate.answer(request!.id, { action: 'accept', content: { folder: 'notes', note: '' } })).toBe('accept');
    expect(await asked).toEqual({ action: 'accept', content: { folder: 'notes' } });
    expect(() => gate.answer(request!.id, { action: 'decline' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('lists a question masked of the keychain\'s secrets, as its event is: a page that (re)loads shows it from here', async () => {
    const redactor = new Redactor();
    redactor.register('zqcanary7x4k9m2p');
    const gate = new ElicitationGate(systemClock, 60_000, (value) => redactor.redactValue(value));
    const asked = gate.ask({ ...question(), message: 'Confirm the deploy pass zqcanary7x4k9m2p?' }, new AbortController().signal);
    const [request] = gate.pending();
    expect(request!.message).toBe('Confirm the deploy pass [REDACTED:secret]?');
    gate.answer(request!.id, { action: 'decline' });
    await asked;
  });

  it('cancels a question no one answers in time, and says so', async () => {
    vi.useFakeTimers();
    const gate = new ElicitationGate(systemClock, 1_000);
    const ended: string[] = [];
    gate.onDidResolve(({ action, by }) => ended.push(`${action} by ${by}`));
    const asked = gate.ask(question(), new AbortController().signal);
    vi.advanceTimersByTime(1_000);
    expect(await asked).toEqual({ action: 'cancel' });
    expect(ended).toEqual(['cancel by timeout']);
    expect(gate.pending()).toEqual([]);
  });

  it('cancels at once, shown to no one and with no timer left behind, a question whose call already ended', async () => {
    vi.useFakeTimers();
    const gate = new ElicitationGate(systemClock, 1_000);
    const shown: string[] = [];
    gate.onDidRequest((request) => shown.push(request.server));
    expect(await gate.ask(question(), AbortSignal.abort())).toEqual({ action: 'cancel' });
    expect(shown).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it(`declines unseen what a server asks beyond ${MAX_OPEN_PER_SERVER} open questions; other servers still ask`, async () => {
    const gate = new ElicitationGate(systemClock, 60_000);
    const shown: string[] = [];
    gate.onDidRequest((request) => shown.push(request.server));
    for (let i = 0; i < MAX_OPEN_PER_SERVER; i++) void gate.ask(question('noisy'), new AbortController().signal);
    expect(await gate.ask(question('noisy'), new AbortController().signal)).toEqual({ action: 'decline' });
    void gate.ask(question('quiet'), new AbortController().signal);
    expect(shown).toEqual([...Array<string>(MAX_OPEN_PER_SERVER).fill('noisy'), 'quiet']);
    gate.dispose();
  });
});
