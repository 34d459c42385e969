import { isRequestChannel } from '../../shared/api/channels';
import type { RequestHandlers } from '../../shared/api/contract';
import type { InvokeResult } from '../../shared/api/wire';
import { AppError, toWireError } from '../../shared/errors';
import { dispatchRequest } from '../api/dispatch';
import { mayCall, requiredScope } from './channel-scopes';
import { runAs } from './request-principal';
import type { Principal } from './scopes';

/** The dispatcher behind every authenticated transport: the scope check comes before any input is parsed. */
export async function dispatchAuthorized(
  handlers: RequestHandlers,
  principal: Principal,
  channel: unknown,
  input: unknown,
): Promise<InvokeResult> {
  if (isRequestChannel(channel) && !mayCall(principal, channel, input)) {
    const error = new AppError(
      'FORBIDDEN',
      `This credential lacks the "${requiredScope(channel)}" scope needed for ${channel}. Create a key with that scope (portcullis keys create --scope ${requiredScope(channel)}).`,
    );
    return { ok: false, error: toWireError(error) };
  }
  return runAs(principal, () => dispatchRequest(handlers, channel, input));
}
