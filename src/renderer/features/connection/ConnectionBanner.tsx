import { useConnection } from '../../lib/api/ApiProvider';

/** Says plainly when the window has lost its host, and what to do if it does not come back. */
export function ConnectionBanner() {
  const { state, epoch, failedAttempts } = useConnection();
  if (state === 'open' || (epoch === 0 && failedAttempts === 0)) return null;
  const everConnected = epoch > 0;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <strong>{everConnected ? 'Disconnected from Portcullis — reconnecting…' : 'Cannot reach Portcullis — retrying…'}</strong>
      {(failedAttempts >= 3 || !everConnected) && (
        <span>
          {' '}
          Check that <code>portcullis serve</code> is still running. If it restarted, open the link it printed again:
          the link carries your access token.
        </span>
      )}
    </div>
  );
}
