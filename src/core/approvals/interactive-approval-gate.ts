import type { ApprovalChoice, ApprovalDecisionExtras, ApprovalOutcome, ApprovalRequest } from '../../shared/domain/approval';
import { AppError } from '../../shared/errors';
import { personDecided, SHUTDOWN, TIMEOUT } from '../../shared/approval-decider';
import { MASK_MARK, restoreMasked } from '../redaction/restore-masked';
import type { Clock } from '../clock';
import { Emitter } from '../lifecycle/emitter';
import type { ApprovalAnswer, ApprovalGate } from './approval-gate';
import { WaitingRequests, type WaitEnds } from './waiting-requests';

export interface ApprovalResolvedEvent {
  request: ApprovalRequest;
  outcome: ApprovalOutcome;
  note: string | undefined;
}

/**
 * An "Always allow" rule keeps its pattern as written: on the Policies page, in `portcullis policy rules`, in the
 * database. A pattern holding a secret's value would show it there, and masking it would change what it matches.
 */
export const SECRET_IN_RULE =
  'This rule is not saved: its pattern holds the value of a secret stored in your keychain, which would then show on the Policies page. ' +
  'Choose "Allow once", or change the pattern so it matches without the value (a domain, a folder, a regex that leaves it out).';

export const MASKED_IN_RULE =
  'This rule is not saved: its pattern holds a secret shown masked ([REDACTED:…]), so it would match that text, never the value. ' +
  'Choose "Allow once", or change the pattern so it matches without it (a domain, a folder, a regex that leaves it out).';

/** What the gate needs of the redactor: to refuse a rule holding a secret, and to mask what it shows. */
export interface KnownSecrets {
  holdsKnownSecret(value: unknown): boolean;
  redactValue<T>(value: T): T;
}

const NO_SECRETS: KnownSecrets = { holdsKnownSecret: () => false, redactValue: (value) => value };

/**
 * Holds approval requests until a person answers through the API. Each request is single-use; no answer
 * before `expiresAt` means deny, and so does the turn being stopped.
 */
export class InteractiveApprovalGate implements ApprovalGate {
  private readonly waiting = new WaitingRequests<ApprovalRequest, ApprovalAnswer>((request, answer) => this.resolved.fire({ request, outcome: answer.outcome, note: answer.note }));
  private readonly requested = new Emitter<ApprovalRequest>();
  private readonly resolved = new Emitter<ApprovalResolvedEvent>();
  readonly onDidRequest = this.requested.event;
  readonly onDidResolve = this.resolved.event;

  constructor(
    private readonly clock: Clock,
    /** The keychain's secrets as the redactor knows them: none when absent. */
    private readonly secrets: KnownSecrets = NO_SECRETS,
  ) {}

  request(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const ends: WaitEnds<ApprovalAnswer> = {
      timeoutMs: Math.max(0, request.expiresAt - this.clock.now()),
      timedOut: { outcome: 'timed_out', decidedBy: TIMEOUT },
      signal,
      withdrawn: { outcome: 'denied', decidedBy: 'stop' },
    };
    return this.waiting.wait(request, ends, () => this.requested.fire(request));
  }

  /**
   * Settles one request with the person's choice. When the answer names the hash of the arguments the person
   * saw, it must be the request's: an answer never applies to arguments nobody looked at. `decidedBy`: who answered
   * when not the person in the app (an API key's `apiDecided`), as the call's card and the model are told.
   */
  decide(approvalId: string, choice: ApprovalChoice, note?: string, extras: ApprovalDecisionExtras = {}, decidedBy = personDecided(choice)): ApprovalOutcome {
    const request = this.waiting.get(approvalId);
    if (!request) {
      throw new AppError('NOT_FOUND', 'This approval is no longer waiting: it was already answered, timed out or its turn ended.');
    }
    const expected = request.argumentsHash;
    if (extras.argumentsHash !== undefined && expected !== undefined && extras.argumentsHash !== expected) {
      throw new AppError('VALIDATION_FAILED', 'These are not the arguments this approval is for. Reload the approval and decide again.');
    }
    // Refused before the answer settles, so the dialog says why and the call still waits for another choice.
    if (choice === 'always_allow') {
      const ruleArgs = extras.ruleArgs ?? request.proposedRule?.args;
      if (this.secrets.holdsKnownSecret(ruleArgs)) throw new AppError('VALIDATION_FAILED', SECRET_IN_RULE);
      // The dialog sends the pattern it was shown, in which such a value was masked.
      if (JSON.stringify(ruleArgs ?? {}).includes(MASK_MARK)) throw new AppError('VALIDATION_FAILED', MASKED_IN_RULE);
    }
    const outcome: ApprovalOutcome = choice === 'deny' ? 'denied' : 'approved';
    this.waiting.settle(approvalId, {
      outcome,
      choice,
      decidedBy,
      ...(note ? { note } : {}),
      ...(outcome === 'approved' && extras.arguments ? { arguments: this.unmasked(extras.arguments, request.arguments) } : {}),
      ...(choice === 'always_allow' && extras.ruleArgs ? { ruleArgs: extras.ruleArgs } : {}),
    });
    return outcome;
  }

  /**
   * Arguments the person edited in the dialog, which showed them masked: a value shown masked and sent back goes back
   * to the call's own value, so opening the editor does not run the call with "[REDACTED:secret]" in its place.
   */
  private unmasked(edited: Record<string, unknown>, original: unknown): Record<string, unknown> {
    return restoreMasked(edited, original, (text) => this.secrets.redactValue(text), '', () => {}) as Record<string, unknown>;
  }

  /** Several parallel calls decided together, with one choice; each id gets its own outcome or error. */
  decideMany(approvalIds: readonly string[], choice: Exclude<ApprovalChoice, 'always_allow'>, note?: string, decidedBy?: string): Array<{ approvalId: string; outcome: ApprovalOutcome | null; error: string | null }> {
    return approvalIds.map((approvalId) => {
      try {
        return { approvalId, outcome: this.decide(approvalId, choice, note, {}, decidedBy), error: null };
      } catch (error) {
        return { approvalId, outcome: null, error: (error as Error).message };
      }
    });
  }

  /** The requests waiting, masked as the events that announced them are: a page (re)loading shows them from here. */
  pending(): ApprovalRequest[] {
    return this.waiting.all().map((request) => this.secrets.redactValue(request));
  }

  dispose(): void {
    this.waiting.settleAll({ outcome: 'denied', note: 'Portcullis is shutting down.', decidedBy: SHUTDOWN });
    this.requested.clear();
    this.resolved.clear();
  }
}
