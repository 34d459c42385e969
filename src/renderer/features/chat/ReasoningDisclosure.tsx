import { formatElapsed } from '../../lib/format';

/**
 * A reasoning model's thinking before its answer, folded under "Thought for 12 s" (a native disclosure: Tab reaches
 * it, Enter or Space opens it). Muted and closed: it is how the model got there, not what it answered.
 */
export function ReasoningDisclosure({ reasoning }: { reasoning: { text: string; ms: number } }) {
  return (
    <details className="reasoning" data-testid="reasoning">
      <summary>Thought for {formatElapsed(Math.max(1000, reasoning.ms))}</summary>
      <div className="reasoning-text">{reasoning.text.trim()}</div>
    </details>
  );
}
