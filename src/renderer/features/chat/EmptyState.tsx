import type { AppInfo } from '../app-info/useAppInfo';
import { PRIVATE_NOTE } from '../conversations/ConversationRow';

export const EXAMPLE_REQUESTS = ['List the files in my workspace', 'Write hello.txt with hi', 'Read hello.txt'] as const;

/** The first screen: what Portcullis is, where it works, and three requests to try. */
export function EmptyState({
  info,
  disabled,
  onExample,
  isPrivate = false,
}: {
  info: AppInfo | null;
  disabled: boolean;
  onExample: (text: string) => void;
  /** A private chat: what that means is said here, where it starts, not only in the header mark's tooltip. */
  isPrivate?: boolean;
}) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title" data-testid="empty-state">
      <h2 id="empty-state-title">Start a conversation</h2>
      <p>
        Portcullis is an AI agent that works on your own computer. Every tool it uses is checked against your
        policy; anything that changes your files waits for your approval; tools run in a sandbox; and each step
        is traced so you can see exactly what happened and why.
      </p>
      {isPrivate && <p data-testid="private-note">{PRIVATE_NOTE}. Its trace too is kept in memory only.</p>}
      <dl className="facts">
        <dt>Workspace folder</dt>
        <dd data-testid="workspace-path">{info ? <code>{info.workspace}</code> : 'Loading…'}</dd>
        <dt>Model</dt>
        <dd data-testid="model-name">
          {/* The description alone: the id says the same again in a machine's words ("llama3.2@http://…"). */}
          {info ? info.model.description : 'Loading…'}
        </dd>
      </dl>
      {/* Offline is what the built-in model offers; a hosted model is reached over the network. */}
      <h3>{info && info.model.id !== 'builtin' ? 'Try one of these' : 'Try one of these (they work offline)'}</h3>
      <ul className="examples">
        {EXAMPLE_REQUESTS.map((example) => (
          <li key={example}>
            <button type="button" className="example" data-testid="example-request" disabled={disabled} onClick={() => onExample(example)}>
              {example}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
