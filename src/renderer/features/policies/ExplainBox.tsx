import { useId, useState } from 'react';
import type { PolicyExplanation } from '../../../shared/domain/policy';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import { parseJsonObject } from '../approvals/approval-editing';

/** Tool + arguments → the decision, the rule and the reason, without running anything. */
export function ExplainBox() {
  const api = useApi();
  const id = useId();
  const [tool, setTool] = useState('fs.write');
  const [args, setArgs] = useState('{"path": "notes/todo.md", "content": "hi"}');
  const [tainted, setTainted] = useState(false);
  const [result, setResult] = useState<PolicyExplanation | null>(null);
  const [error, setError] = useState<string | null>(null);

  const explain = async () => {
    const parsed = parseJsonObject(args);
    // The result shown was for other arguments: next to this error it would read as their decision.
    if (!parsed.ok) {
      setResult(null);
      setError(parsed.error);
      return;
    }
    setError(null);
    try {
      setResult(await api.invoke('policy.explain', { tool: tool.trim(), arguments: parsed.value, ...(tainted ? { tainted: true } : {}) }));
    } catch (err) {
      setResult(null);
      setError(describeError(err));
    }
  };

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Explain a decision</h2>
      <form
        className="explain-form"
        onSubmit={(event) => {
          event.preventDefault();
          void explain();
        }}
      >
        <label htmlFor={`${id}-tool`}>Tool</label>
        <input id={`${id}-tool`} value={tool} onChange={(event) => setTool(event.target.value)} />
        <label htmlFor={`${id}-args`}>Arguments (JSON)</label>
        <textarea id={`${id}-args`} className="json-editor" rows={3} value={args} onChange={(event) => setArgs(event.target.value)} />
        <span />
        <label>
          <input type="checkbox" checked={tainted} onChange={(event) => setTainted(event.target.checked)} /> as if the conversation were tainted
        </label>
        <span />
        <button type="submit">Explain</button>
      </form>
      {error && <p className="approval-error" role="alert">{error}</p>}
      {result && (
        <p data-testid="explain-result" aria-live="polite">
          <span className={`effect-${result.decision.effect}`}>{result.decision.effect}</span> by rule <code>{result.decision.ruleId}</code>: {result.decision.reason}{' '}
          <span className="muted">({result.known ? 'known tool' : 'unknown tool, judged as declaring nothing'}; {result.classes.join(', ')})</span>
        </p>
      )}
    </section>
  );
}
