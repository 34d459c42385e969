import type { ApprovalChoice, ApprovalOutcome, ApprovalRequest } from '../../shared/domain/approval';
import type { ArgMatcher } from '../../shared/domain/policy';
import { scriptDecided } from '../../shared/approval-decider';

export interface ApprovalAnswer {
  outcome: ApprovalOutcome;
  note?: string;
  /** Which of the dialog's choices the person made (absent for timeouts and fixed gates). */
  choice?: ApprovalChoice;
  /** Arguments the person edited; the gateway validates them again before anything runs. */
  arguments?: Record<string, unknown>;
  /** For "always allow": the argument pattern the person confirmed. */
  ruleArgs?: Record<string, ArgMatcher>;
  /** Who answered ("person: allow_once", "script: --approve all", "timeout", see approval-decider.ts): kept with the call, shown in the trace. */
  decidedBy?: string;
}

/** Where an "ask" decision goes: a person in a dialog, or a fixed answer for scripts. Never a default that allows. */
export interface ApprovalGate {
  request(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
}

/** For `portcullis chat --approve all|none`: answers every request at once, the same way. */
export class FixedApprovalGate implements ApprovalGate {
  constructor(private readonly answer: 'all' | 'none') {}

  request(): Promise<ApprovalAnswer> {
    return Promise.resolve(
      this.answer === 'all'
        ? { outcome: 'approved', note: 'approved by --approve all', decidedBy: scriptDecided('all') }
        : // Said how to let it run: "denied by --approve none" alone left a newcomer at the default wondering why.
          { outcome: 'denied', note: 'denied by --approve none, the default: pass --approve all to let such calls run', decidedBy: scriptDecided('none') },
    );
  }
}
