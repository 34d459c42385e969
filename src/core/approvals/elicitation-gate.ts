import type { ElicitationAction, ElicitationAnswer, ElicitationRequest } from '../../shared/domain/elicitation';
import { checkElicitationAnswer } from '../../shared/elicitation-answer';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Clock } from '../clock';
import { Emitter } from '../lifecycle/emitter';
import { WaitingRequests, type WaitEnds } from './waiting-requests';

/** What a server's question becomes once asked: everything but what the gate adds (its id and times). */
export type ElicitationQuestion = Omit<ElicitationRequest, 'id' | 'requestedAt' | 'expiresAt'>;

/** Who answers a server's questions: a person in a dialog, or scripts, which always decline. */
export interface ElicitationAsker {
  ask(question: ElicitationQuestion, signal: AbortSignal): Promise<ElicitationAnswer>;
}

/** For scripts (`portcullis tools call`, `chat --approve`): nobody can fill in a form, so every question is declined. */
export const decliningAsker: ElicitationAsker = { ask: () => Promise.resolve({ action: 'decline' }) };

export interface ElicitationResolvedEvent {
  request: ElicitationRequest;
  action: ElicitationAction;
  /** Who ended it: the person, the clock, or neither (the server withdrew it, its call ended, Portcullis stopped). */
  by: 'person' | 'timeout' | 'withdrawn';
}

/** Questions one server may have open at once; more are declined unseen, so a server cannot bury the window in dialogs. */
export const MAX_OPEN_PER_SERVER = 3;

/** An answer to a question, and who gave it. */
interface Settled {
  answer: ElicitationAnswer;
  by: ElicitationResolvedEvent['by'];
}

const CANCEL: ElicitationAnswer = { action: 'cancel' };

/**
 * Holds MCP servers' questions to the person (elicitation) until they are answered through the API. An answer
 * is checked against the fields asked for before the server gets it; no answer before `expiresAt` cancels, as
 * does the server withdrawing the question (its request cancelled, or the call it belongs to stopped).
 */
export class ElicitationGate implements ElicitationAsker {
  private readonly waiting = new WaitingRequests<ElicitationRequest, Settled>((request, { answer, by }) => this.resolved.fire({ request, action: answer.action, by }));
  private readonly requested = new Emitter<ElicitationRequest>();
  private readonly resolved = new Emitter<ElicitationResolvedEvent>();
  readonly onDidRequest = this.requested.event;
  readonly onDidResolve = this.resolved.event;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    /** Masks the keychain's secrets in what a page is shown (`Redactor.redactValue`), as the events announcing a question are. */
    private readonly mask: <T>(value: T) => T = (value) => value,
  ) {}

  ask(question: ElicitationQuestion, signal: AbortSignal): Promise<ElicitationAnswer> {
    if (signal.aborted) return Promise.resolve({ action: 'cancel' });
    const open = this.waiting.all().filter((request) => request.server === question.server).length;
    if (open >= MAX_OPEN_PER_SERVER) return Promise.resolve({ action: 'decline' });
    const requestedAt = this.clock.now();
    const request: ElicitationRequest = { id: newId(), ...question, requestedAt, expiresAt: requestedAt + this.timeoutMs };
    const ends: WaitEnds<Settled> = { timeoutMs: this.timeoutMs, timedOut: { answer: CANCEL, by: 'timeout' }, signal, withdrawn: { answer: CANCEL, by: 'withdrawn' } };
    return this.waiting.wait(request, ends, () => this.requested.fire(request)).then(({ answer }) => answer);
  }

  /** The person's answer. Values that do not fit the fields are refused, and the question stays open. */
  answer(id: string, answer: ElicitationAnswer): ElicitationAction {
    const request = this.waiting.get(id);
    if (!request) throw new AppError('NOT_FOUND', 'This question is no longer open: it was already answered, timed out, or the server withdrew it.');
    if (answer.action === 'accept') {
      const problems = Object.entries(checkElicitationAnswer(request.fields, answer.content));
      if (problems.length > 0) {
        throw new AppError('VALIDATION_FAILED', `The answer does not fit what ${request.server} asked for: ${problems.map(([name, why]) => `${name}: ${why}`).join(' ')}`);
      }
      // Empty fields are not given (an optional one left blank), rather than sent as empty text.
      const content = Object.fromEntries(Object.entries(answer.content).filter(([, value]) => value !== ''));
      this.waiting.settle(id, { answer: { action: 'accept', content }, by: 'person' });
    } else {
      this.waiting.settle(id, { answer, by: 'person' });
    }
    return answer.action;
  }

  pending(): ElicitationRequest[] {
    return this.waiting.all().map((request) => this.mask(request));
  }

  dispose(): void {
    this.waiting.settleAll({ answer: CANCEL, by: 'withdrawn' });
    this.requested.clear();
    this.resolved.clear();
  }
}
