import type { PortcullisBridge } from '../../../shared/api/bridge';
import type { EventChannel, RequestChannel } from '../../../shared/api/channels';
import type { AppEvent, EventPayload, RequestInput, RequestOutput } from '../../../shared/api/contract';
import type { InvokeResult } from '../../../shared/api/wire';
import { AppError } from '../../../shared/errors';
import { ALWAYS_OPEN, type ConnectionSource, type ConnectionStatus } from './connection';

/**
 * The one API client of the renderer: typed requests over the contract and one event stream, whatever the
 * transport underneath (Electron IPC or the headless host's WebSocket).
 */
export class ApiClient {
  private readonly bridge: PortcullisBridge;
  private readonly connection: ConnectionSource | undefined;

  constructor(bridge: PortcullisBridge, connection?: ConnectionSource) {
    this.bridge = bridge;
    this.connection = connection;
  }

  /** Sends a request; resolves with its output or throws the AppError the host answered with. */
  async invoke<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestOutput<C>> {
    let result: InvokeResult;
    try {
      result = await this.bridge.invoke(channel, input);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('INTERNAL', 'Portcullis did not answer. Check that it is still running, then try again.', {
        cause: error,
      });
    }
    if (!result.ok) throw AppError.fromWire(result.error);
    return result.output as RequestOutput<C>;
  }

  /** Subscribes to every event; returns the function that unsubscribes. */
  onEvent(listener: (event: AppEvent) => void): () => void {
    return this.bridge.onEvent(listener);
  }

  /** Subscribes to one event channel. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.bridge.onEvent((event) => {
      if (event.channel === channel) listener(event.payload as EventPayload<E>);
    });
  }

  get connectionStatus(): ConnectionStatus {
    return this.connection?.status ?? ALWAYS_OPEN;
  }

  onDidChangeConnection(listener: (status: ConnectionStatus) => void): () => void {
    return this.connection?.onDidChangeStatus(listener) ?? (() => undefined);
  }
}
