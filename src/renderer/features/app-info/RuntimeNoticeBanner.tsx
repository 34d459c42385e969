import { useState } from 'react';
import type { RuntimeNotice } from '../../../shared/domain/runtime-notice';
import { useAppEvent } from '../../lib/api/ApiProvider';

/**
 * Says what is wrong with the running Portcullis itself (its data folder deleted under it): those said before the
 * page opened come with `app.info`, later ones as `app.notice` events. Stays until Portcullis is restarted.
 */
export function RuntimeNoticeBanner({ known }: { known: readonly RuntimeNotice[] | undefined }) {
  const [said, setSaid] = useState<RuntimeNotice[]>([]);
  useAppEvent('app.notice', (notice) => setSaid((list) => [...list, notice]));
  const notices = [...(known ?? []), ...said].filter((notice, index, all) => all.findIndex((n) => n.message === notice.message) === index);
  if (notices.length === 0) return null;
  return (
    <div className="connection-banner runtime-notice" role="alert" data-testid="runtime-notice">
      {notices.map((notice) => (
        <p key={notice.message}>
          <strong>Nothing is being saved.</strong> {notice.message}
        </p>
      ))}
    </div>
  );
}
