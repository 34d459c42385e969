import type { ApprovalChoice, ApprovalOutcome, ApprovalRequest } from '../../shared/domain/approval';
import { AppError } from '../../shared/errors';
import type { Clock } from '../clock';
import { Emitter } from '../lifecycle/emitter';
import type { ApprovalAnswer, ApprovalGate } from './approval-gate';

interface Waiting {
  request: ApprovalRequest;
  settle(answer: ApprovalAnswer): void;
}

export interface ApprovalResolvedEvent {
  request: ApprovalRequest;
  outcome: ApprovalOutcome;
  note: string | undefined;
}

/**
 * Holds approval requests until a person answers through the API. Each request is single-use; no answer
 * before `expiresAt` means deny, and so does the turn being stopped.
 */
export class InteractiveApprovalGate implements ApprovalGate {
  private readonly waiting = new Map<string, Waiting>();
  private readonly requested = new Emitter<ApprovalRequest>();
  private readonly resolved = new Emitter<ApprovalResolvedEvent>();
  readonly onDidRequest = this.requested.event;
  readonly onDidResolve = this.resolved.event;

  constructor(private readonly clock: Clock) {}

  request(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ outcome: 'timed_out', decidedBy: 'timeout' }), Math.max(0, request.expiresAt - this.clock.now()));
      const onAbort = (): void => settle({ outcome: 'denied', note: 'The turn was stopped.', decidedBy: 'stop' });
      const settle = (answer: ApprovalAnswer): void => {
        if (!this.waiting.delete(request.id)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.resolved.fire({ request, outcome: answer.outcome, note: answer.note });
        resolve(answer);
      };
      this.waiting.set(request.id, { request, settle });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.requested.fire(request);
    });
  }

  decide(approvalId: string, choice: ApprovalChoice, note?: string): ApprovalOutcome {
    const waiting = this.waiting.get(approvalId);
    if (!waiting) {
      throw new AppError('NOT_FOUND', 'This approval is no longer waiting: it was already answered, timed out or its turn ended.');
    }
    const outcome: ApprovalOutcome = choice === 'allow_once' ? 'approved' : 'denied';
    waiting.settle({ outcome, note, decidedBy: `person: ${choice}` });
    return outcome;
  }

  pending(): ApprovalRequest[] {
    return [...this.waiting.values()].map((w) => w.request);
  }

  dispose(): void {
    for (const waiting of [...this.waiting.values()]) waiting.settle({ outcome: 'denied', note: 'Portcullis is shutting down.' });
    this.requested.clear();
    this.resolved.clear();
  }
}
