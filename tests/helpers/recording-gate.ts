import type { ApprovalAnswer, ApprovalGate } from '../../src/core/approvals/approval-gate';
import type { ApprovalRequest } from '../../src/shared/domain/approval';

/** Approves every call, and keeps what the person was asked: to check what they saw, or that they were not asked. */
export class RecordingGate implements ApprovalGate {
  readonly asked: ApprovalRequest[] = [];

  async request(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.asked.push(request);
    return { outcome: 'approved' };
  }
}
