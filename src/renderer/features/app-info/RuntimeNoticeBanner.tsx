import { useState } from 'react';
import type { RuntimeNotice } from '../../../shared/domain/runtime-notice';
import { useAppEvent } from '../../lib/api/ApiProvider';

/** What each notice leads with, in the banner's colour. */
const LEAD: Record<RuntimeNotice['kind'], string> = {
  'data-folder-gone': 'Nothing is being saved.',
  'grants-widened-while-closed': 'Review these changes.',
};

/**
 * Says what the running Portcullis tells every page (its data folder deleted under it; more granted in mcp.json or
 * http-fetch.json while it was closed): those said before the page opened come with `app.info`, later ones as
 * `app.notice` events. Stays until Portcullis is restarted; only the grants' can be put away, once read.
 */
export function RuntimeNoticeBanner({ known, onOpenTools }: { known: readonly RuntimeNotice[] | undefined; /** Opens Tools & servers, where a grant is undone. */ onOpenTools: () => void }) {
  const [said, setSaid] = useState<RuntimeNotice[]>([]);
  const [dismissed, setDismissed] = useState<readonly string[]>([]);
  useAppEvent('app.notice', (notice) => setSaid((list) => [...list, notice]));
  const notices = [...(known ?? []), ...said]
    .filter((notice, index, all) => all.findIndex((n) => n.message === notice.message) === index)
    .filter((notice) => !dismissed.includes(notice.message));
  if (notices.length === 0) return null;
  return (
    <div className="connection-banner runtime-notice" role="alert" data-testid="runtime-notice">
      {notices.map((notice) => (
        <p key={notice.message}>
          <strong>{LEAD[notice.kind]}</strong> {notice.message}
          {notice.kind === 'grants-widened-while-closed' && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={onOpenTools}>
                Open Tools &amp; servers
              </button>{' '}
              <button type="button" className="link-button" onClick={() => setDismissed((list) => [...list, notice.message])}>
                Dismiss
              </button>
            </>
          )}
        </p>
      ))}
    </div>
  );
}
