import type { ContextUse } from '../../../shared/domain/context-use';
import { contextMeterWords } from './context-meter-words';

/**
 * Above the message box: how much of the conversation the model is sent, against its context. Drawn only when it
 * tells something: the model's context is known (a local server said, or the person set it), or earlier turns
 * are being left out. A model that forgets the start of a long chat should not surprise anyone.
 *
 * Over the limit means the newest turn alone is bigger than the history may be (a huge tool result): it is sent
 * whole all the same, with no earlier turn, and in a known context it may not fit. The meter says so in words and
 * in the warning colour, rather than showing a calm full bar.
 */
export function ContextMeter({ use }: { use: ContextUse | null }) {
  if (!use || (use.context === null && use.omitted === 0)) return null;
  const over = use.tokens > use.budget;
  const label = contextMeterWords(use);
  return (
    <div className={`context-meter${over ? ' over' : ''}`} data-testid="context-meter" data-over={over || undefined}>
      {/* Past the limit the bar is drawn full, in the meter's warning colour (a value above `high`). */}
      <meter
        min={0}
        max={Math.max(1, use.tokens, use.budget)}
        high={Math.max(1, use.budget)}
        optimum={0}
        value={use.tokens}
        aria-label="History sent to the model"
      />
      <span className={over ? undefined : 'muted'}>{label}</span>
    </div>
  );
}
