import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../lib/api/ApiProvider';
import { describeError } from '../../lib/errors';
import type { WebAccessDraft } from './web-access-opener';

type Outcome = { kind: 'done'; words: string } | { kind: 'refused'; problems: string[] };

/**
 * "Web access (http.fetch)": the domains the built-in http.fetch may reach (http-fetch.json's `allowedDomains`),
 * added and removed here as a server's sandbox grants are on its row; each change counts from the next call.
 * `refreshedAt` changes each time the page reads the catalog again (every 2 s): the list is read with it, so a
 * hand edit of the file shows up as it is taken up.
 */
export function WebAccess({ refreshedAt, draft = null }: { refreshedAt: unknown; /** A domain offered by a refused fetch's card, typed in for the person to Add. */ draft?: WebAccessDraft | null }) {
  const api = useApi();
  const [list, setList] = useState<{ file: string; domains: string[]; problem: string | null } | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const load = useCallback(
    () =>
      api.invoke('tools.fetchDomains', {}).then(setList, (err: unknown) => setOutcome({ kind: 'refused', problems: [`Could not read http.fetch's allowlist. ${describeError(err)}`] })),
    [api],
  );
  useEffect(() => void load(), [load, refreshedAt]);
  useEffect(() => {
    if (!draft) return;
    setTyped(draft.domain);
    setOutcome(null);
    inputRef.current?.focus();
    inputRef.current?.scrollIntoView({ block: 'center' });
  }, [draft]);

  const change = async (domain: string, allowed: boolean): Promise<boolean> => {
    setBusy(true);
    try {
      const { done, problems } = await api.invoke('tools.setFetchDomain', { domain, allowed });
      setOutcome(done ? { kind: 'done', words: allowed ? `Added ${domain.trim().toLowerCase()}: http.fetch may reach it from the next call.` : `Removed ${domain}: http.fetch no longer reaches it.` } : { kind: 'refused', problems });
      await load();
      return done;
    } catch (err) {
      setOutcome({ kind: 'refused', problems: [`Could not ${allowed ? 'add' : 'remove'} ${domain}. ${describeError(err)}`] });
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** Where the Remove just pressed was: the keyboard goes to the one that took its place once the list is drawn again. */
  const removedAt = useRef<number | null>(null);
  const remove = async (domain: string, index: number) => {
    removedAt.current = index;
    if (!(await change(domain, false))) removedAt.current = null;
  };
  // The keyboard stays in the list: on the Remove that took the removed one's place, or the field once it is empty
  // (its own button was taken away under it, and the buttons are disabled while a change is under way).
  useEffect(() => {
    const index = removedAt.current;
    if (index === null || busy) return;
    removedAt.current = null;
    const buttons = listRef.current?.querySelectorAll('button') ?? [];
    (buttons[Math.min(index, buttons.length - 1)] ?? inputRef.current)?.focus();
  }, [list, busy]);

  const domains = list?.domains ?? [];
  return (
    <section aria-labelledby="web-access-heading" className="web-access" id="web-access">
      <h3 id="web-access-heading">Web access (http.fetch)</h3>
      <p className="muted">
        The built-in <code>http.fetch</code> reaches only these domains; <code>*.example.com</code> allows its subdomains. Each fetch is still put
        to your policy (by default it asks you), and what it returns is untrusted. Kept in {list?.file ?? 'http-fetch.json'}.
      </p>
      {/* Said here too, where the list is missing; not as an alert, since the page's top already announces it. */}
      {list?.problem && <p className="trace-error">{list.problem}</p>}
      {list && domains.length === 0 && !list.problem && <p className="muted">No domain yet: http.fetch refuses every URL.</p>}
      {domains.length > 0 && (
        <ul className="web-access-domains" aria-label="Domains http.fetch may reach" ref={listRef}>
          {domains.map((domain, index) => (
            <li key={domain}>
              <code>{domain}</code>
              <button type="button" onClick={() => void remove(domain, index)} disabled={busy} aria-label={`Remove ${domain}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="web-access-add"
        onSubmit={(event) => {
          event.preventDefault();
          void change(typed, true).then((done) => {
            if (done) setTyped('');
            inputRef.current?.focus();
          });
        }}
      >
        <label htmlFor="web-access-domain">Domain</label>
        <input
          id="web-access-domain"
          ref={inputRef}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          placeholder="example.com"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={outcome?.kind === 'refused'}
          aria-describedby={outcome?.kind === 'refused' ? 'web-access-problem' : undefined}
        />
        <button type="submit" disabled={busy || typed.trim() === ''}>
          Add
        </button>
      </form>
      {outcome?.kind === 'done' && <p role="status">{outcome.words}</p>}
      {outcome?.kind === 'refused' && (
        <p className="trace-error" role="alert" id="web-access-problem">
          {outcome.problems.join(' ')}
        </p>
      )}
    </section>
  );
}
