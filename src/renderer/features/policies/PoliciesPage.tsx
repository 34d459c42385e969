import { useRef } from 'react';
import { alwaysAllowCondition, describeRuleMatch } from '../../../shared/domain/policy-words';
import { escapeCloses } from '../../lib/escape-closes';
import { ExplainBox } from './ExplainBox';
import { usePolicy } from './usePolicy';
import { prettyJson } from '../../../shared/pretty-json';

/**
 * The rules in force, the person's "always allow" rules (revocable), the last policy error and an explain box. Kept
 * current while shown: a policy.yaml fixed in an editor shows here without closing the page.
 */
export function PoliciesPage({ onClose }: { onClose: () => void }) {
  const { status, loadError, revokeError, revoke } = usePolicy();
  const userRulesHeading = useRef<HTMLHeadingElement>(null);
  const userRulesList = useRef<HTMLUListElement>(null);

  // The revoked rule's button goes away with it: the keyboard moves on to the next rule's (or the one before it),
  // or to the heading once none is left.
  const revokeAndMoveOn = async (ruleId: string) => {
    const ids = status?.userRules.map((rule) => rule.id) ?? [];
    const at = ids.indexOf(ruleId);
    const neighbour = ids[at + 1] ?? ids[at - 1];
    if (!(await revoke(ruleId))) return;
    const next = neighbour && userRulesList.current?.querySelector<HTMLButtonElement>(`[data-rule-id="${CSS.escape(neighbour)}"] button`);
    (next || userRulesHeading.current)?.focus();
  };

  return (
    <div className="policies" data-testid="policies" {...escapeCloses(onClose)}>
      {loadError && <p className="policy-error" role="alert">{loadError}</p>}
      {revokeError && <p className="policy-error" role="alert">{revokeError}</p>}
      {status?.error && (
        <p className="policy-error" role="alert" data-testid="policy-file-error">
          {status.error}
        </p>
      )}
      <section aria-labelledby="user-rules-h">
        <h2 id="user-rules-h" ref={userRulesHeading} tabIndex={-1}>
          Your “Always allow” rules
        </h2>
        {status && status.userRules.length === 0 && <p className="muted">None yet. Choose “Always allow…” in an approval to create one.</p>}
        {status && status.userRules.length > 0 && (
          <ul ref={userRulesList} className="conversation-list">
            {status.userRules.map((rule) => (
              <li key={rule.id} data-testid="user-rule" data-rule-id={rule.id} className="tool-card">
                <div className="tool-card-line">
                  <span className="tool-name">{rule.tool}</span>
                  <span className="tool-args">{alwaysAllowCondition(rule.args)}</span>
                  <span className="tool-meta">{rule.disabled ? 'Off · ' : ''}{new Date(rule.createdAt).toLocaleString()}</span>
                  <button type="button" className="danger" aria-label={`Revoke the rule for ${rule.tool} ${alwaysAllowCondition(rule.args)}`} onClick={() => void revokeAndMoveOn(rule.id)}>
                    Revoke
                  </button>
                </div>
                {rule.disabled && <p className="muted" data-testid="user-rule-disabled">{rule.disabled}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="file-rules-h">
        <h2 id="file-rules-h">Rules from the policy file</h2>
        <p className="muted">
          From <code>{status?.source ?? '…'}</code>.{' '}
          {status && status.source !== status.file && (
            // A file there with errors is not one to copy over: it is the one to fix.
            status.error ? (
              <>
                Your <code>{status.file}</code> takes over once its errors (above) are fixed.{' '}
              </>
            ) : (
              <>
                To change them, copy it to <code>{status.file}</code>: your file takes over as soon as it is there.{' '}
              </>
            )
          )}
          Deny beats ask beats allow; with no matching rule, read-only tools run and everything else asks.
          While a conversation is tainted, calls that change things or send data out ask even when a rule allows them.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Effect</th>
              <th scope="col">Reason</th>
              <th scope="col">Applies when (all hold)</th>
            </tr>
          </thead>
          <tbody>
            {status?.rules.map((rule) => (
              <tr key={rule.id} data-testid="policy-rule">
                <td><code>{rule.id}</code></td>
                <td className={`effect-${rule.effect}`}>{rule.effect}</td>
                <td>{rule.reason}</td>
                <td>
                  <ul className="rule-conditions" aria-label={`When ${rule.id} applies: all of these hold`}>
                    {describeRuleMatch(rule.match).map((condition) => <li key={condition}>{condition}</li>)}
                  </ul>
                  <details className="rule-as-written">
                    <summary>As written</summary>
                    <pre className="json">{prettyJson(rule.match)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ExplainBox />
    </div>
  );
}
