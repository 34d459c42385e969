import type { InvokeResult } from '../shared/api/wire';
import { isTrustedSender, type SenderInfo, type TrustedSenderExpectation } from './security-policy';

export interface InvokeHandlerDeps {
  /** Who may call right now; null while there is no window (then nobody may). */
  expectedSender(): TrustedSenderExpectation | null;
  dispatch(channel: unknown, input: unknown): Promise<InvokeResult>;
  onRejected?(sender: SenderInfo | null): void;
}

function unauthorized(): InvokeResult {
  return {
    ok: false,
    error: {
      code: 'UNAUTHORIZED',
      message: 'This request did not come from the Portcullis window, so it was refused. If you see this in the app, reload the window.',
    },
  };
}

/** Checks who is calling before anything is parsed or run; only then hands the call to the contract dispatcher. */
export function createInvokeHandler(
  deps: InvokeHandlerDeps,
): (sender: SenderInfo | null, channel: unknown, input: unknown) => Promise<InvokeResult> {
  return async (sender, channel, input) => {
    const expected = deps.expectedSender();
    if (!sender || !expected || !isTrustedSender(sender, expected)) {
      deps.onRejected?.(sender);
      return unauthorized();
    }
    return deps.dispatch(channel, input);
  };
}
