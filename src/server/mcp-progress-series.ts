import type { ToolProgress } from '../shared/domain/tool-call';

/** One progress notification's figures, as MCP sends them. */
export interface ProgressFigures {
  progress: number;
  total?: number;
}

/**
 * The progress an MCP client hears of one call, as one rising series (MCP: the value MUST increase with each
 * notification): Portcullis' own beat while nothing else is said (the person has yet to approve, a quiet server),
 * and what the server that runs the tool reports. A server's figures go on unchanged while no beat came before
 * them, the usual case; a beat before or between them adds one to all that follow, so the series never goes back.
 */
export class ProgressSeries {
  /** Added to the server's figures: the beats sent before or between its reports. */
  private offset = 0;
  private reported: ToolProgress | null = null;
  private sent: number | null = null;

  /** Portcullis' beat: one more than the last value sent, its total moved along with it. */
  beat(): ProgressFigures {
    this.offset += 1;
    return this.send(this.reported?.progress ?? 0, this.reported?.total);
  }

  /** A report of the server's, or null when it does not move on from its last (the series would not rise). */
  report(progress: ToolProgress): ProgressFigures | null {
    if (this.reported && progress.progress <= this.reported.progress) return null;
    this.reported = progress;
    // The first report after beats that outnumber it starts one above them.
    if (this.sent !== null && this.offset + progress.progress <= this.sent) this.offset = this.sent + 1 - progress.progress;
    return this.send(progress.progress, progress.total);
  }

  private send(progress: number, total: number | undefined): ProgressFigures {
    this.sent = this.offset + progress;
    return { progress: this.sent, ...(total === undefined ? {} : { total: this.offset + total }) };
  }
}
