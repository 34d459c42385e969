/**
 * The whole page of a browser tab opened with `portcullis serve`'s bare address: without the token the host refuses
 * every request, so nothing else is drawn (no sidebar saying it is reconnecting, no card loading for ever).
 */
export function NoAccessToken() {
  return (
    <main className="no-access-token">
      <div className="connection-banner" role="alert" data-testid="connection-banner">
        <strong>This tab has no access token.</strong> Open the link <code>portcullis serve</code> printed: it carries the
        token, and the tab keeps it when you reload.
      </div>
    </main>
  );
}
