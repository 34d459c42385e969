import type { ContextUse } from '../../../shared/domain/context-use';
import { formatCount as n } from '../../lib/format';

/**
 * Above the message box: how much of the conversation the model is sent, against its context. Drawn only when it
 * tells something: the model's context is known (a local server said, or the person set it), or earlier turns
 * are being left out. A model that forgets the start of a long chat should not surprise anyone.
 */
export function ContextMeter({ use }: { use: ContextUse | null }) {
  if (!use || (use.context === null && use.omitted === 0)) return null;
  const left = use.omitted > 0 ? ` · ${n(use.omitted)} earlier ${use.omitted === 1 ? 'message is' : 'messages are'} not sent` : '';
  const label = use.context
    ? `History sent: ~${n(use.tokens)} of ${n(use.budget)} tokens (context ${n(use.context.tokens)}, ${use.context.source})${left}`
    : `History sent: ~${n(use.tokens)} of ${n(use.budget)} tokens${left}`;
  return (
    <div className="context-meter" data-testid="context-meter">
      <meter min={0} max={Math.max(1, use.budget)} value={Math.min(use.tokens, use.budget)} aria-label="History sent to the model" />
      <span className="muted">{label}</span>
    </div>
  );
}
