import type { Message } from '../../../shared/domain/message';
import type { SpanRecord } from '../../../shared/domain/span';
import { turnInterrupted } from '../../../shared/span-failure';
import { wasInterrupted } from '../../../shared/tool-call-words';

/**
 * Whether Portcullis stopped during the turn that ended with `last` (killed or closed): the call it left says so,
 * or its trace's root step does (`spans`, the trace's). Then the notice can say why instead of "its trace says why".
 */
export function stoppedByPortcullis(last: Message | undefined, spans: readonly SpanRecord[]): boolean {
  if (last?.toolCall && wasInterrupted(last.toolCall)) return true;
  const root = spans.find((span) => span.parentSpanId === null);
  return root !== undefined && turnInterrupted(root);
}

/** The notice under a turn that ended before the model answered (after a reload or a restart). */
export function unfinishedTurnWords({ cutShort, interrupted }: { cutShort: boolean; interrupted: boolean }): string {
  if (interrupted) {
    return cutShort
      ? 'The last reply was cut short: Portcullis stopped before the model finished.'
      : 'The last turn ended before the model answered: Portcullis stopped during it.';
  }
  return cutShort ? 'The last reply was cut short; its trace says why.' : 'The last turn ended before the model answered; its trace says why.';
}
