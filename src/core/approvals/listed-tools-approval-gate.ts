import type { ApprovalRequest } from '../../shared/domain/approval';
import type { ApprovalAnswer, ApprovalGate } from './approval-gate';
import { toolGlobList } from '../tools/tool-glob-list';
import { scriptDecided } from '../../shared/approval-decider';

/**
 * For `--approve "github.get_*,memory.read_graph"`: a call the policy asks about is approved when its tool's name
 * matches one of the globs and denied otherwise, at once, never asked. What an unattended script may let run is then
 * named tool by tool, where `--approve all` lets every asking call run.
 */
export class ListedToolsApprovalGate implements ApprovalGate {
  private readonly naming: (name: string) => string | null;

  /** `said`: the option as typed, for the trace's note. */
  constructor(patterns: readonly string[], private readonly said: string) {
    this.naming = toolGlobList(patterns);
  }

  request(request: ApprovalRequest): Promise<ApprovalAnswer> {
    const decidedBy = scriptDecided(this.said);
    const matched = this.naming(request.toolName);
    return Promise.resolve(
      matched
        ? { outcome: 'approved', note: `approved by --approve "${this.said}" (${matched})`, decidedBy }
        : { outcome: 'denied', note: `denied by --approve "${this.said}": ${request.toolName} matches none of its tools; add it to the list to let such calls run`, decidedBy },
    );
  }
}
