/** The state of a transport's link to the Portcullis host. IPC is always 'open'; the WebSocket can drop. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Increments every time the link (re)opens, so views can reload what they may have missed. */
  epoch: number;
  /** Failed attempts since the link was last open. */
  failedAttempts: number;
}

/** A transport whose link can come and go. */
export interface ConnectionSource {
  readonly status: ConnectionStatus;
  onDidChangeStatus(listener: (status: ConnectionStatus) => void): () => void;
}

export const ALWAYS_OPEN: ConnectionStatus = { state: 'open', epoch: 1, failedAttempts: 0 };
