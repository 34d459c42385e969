import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src/shared/api/bridge';
import type { RequestChannel } from '../../src/shared/api/channels';
import type { AppEvent } from '../../src/shared/api/contract';
import { createBridge, type BridgeIpc } from '../../src/preload/create-bridge';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A stand-in for ipcRenderer that records listeners the way Electron's EventEmitter does. */
function fakeIpc(answer: unknown = { ok: true, output: { pong: true } }) {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (..._args: unknown[]) => answer),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
    }),
  } satisfies BridgeIpc;
  const emit = (channel: string, ...args: unknown[]): void => {
    const ipcEvent = { sender: { secret: 'ipcRenderer' }, ports: [] };
    for (const listener of listeners.get(channel) ?? []) listener(ipcEvent, ...args);
  };
  return { ipc, emit, listenerCount: (channel: string) => listeners.get(channel)?.size ?? 0 };
}

const delta: AppEvent = { channel: 'chat.delta', payload: { conversationId: 'c1', turnId: 't1', text: 'hi' } };

describe('createBridge', () => {
  it('exposes exactly invoke and onEvent', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.onEvent).toBe('function');
  });

  it('refuses a channel outside the contract without calling IPC', async () => {
    const { ipc } = fakeIpc();
    const bridge = createBridge(ipc);
    for (const channel of ['shell.exec', 'portcullis:invoke', '', '__proto__', 42, null]) {
      const result = await bridge.invoke(channel as RequestChannel, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('forwards a contract channel over the invoke IPC channel and returns the answer', async () => {
    const { ipc } = fakeIpc({ ok: true, output: { version: '1.2.3' } });
    const bridge = createBridge(ipc);
    const result = await bridge.invoke('app.info', { a: 1 });
    expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith(IPC_INVOKE_CHANNEL, 'app.info', { a: 1 });
    expect(result).toEqual({ ok: true, output: { version: '1.2.3' } });
  });

  it('turns an IPC failure into an error result instead of a rejection', async () => {
    const { ipc } = fakeIpc();
    ipc.invoke.mockRejectedValueOnce(new Error("No handler registered for 'portcullis:invoke'"));
    const result = await createBridge(ipc).invoke('conversations.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(result.ok === false && result.error.message).toContain('No handler registered');
  });

  it('passes contract events as plain { channel, payload } objects, never the IPC event', () => {
    const { ipc, emit } = fakeIpc();
    const received: unknown[][] = [];
    createBridge(ipc).onEvent((...args) => received.push(args));
    emit(IPC_EVENT_CHANNEL, { ...delta, extra: 'dropped' });
    expect(received).toEqual([[delta]]);
  });

  it('drops events whose channel is not in the contract, and malformed messages', () => {
    const { ipc, emit } = fakeIpc();
    const listener = vi.fn();
    createBridge(ipc).onEvent(listener);
    emit(IPC_EVENT_CHANNEL, { channel: 'shell.output', payload: {} });
    emit(IPC_EVENT_CHANNEL, { payload: {} });
    emit(IPC_EVENT_CHANNEL, 'chat.delta');
    emit(IPC_EVENT_CHANNEL, null);
    emit(IPC_EVENT_CHANNEL);
    emit('some-other-ipc-channel', delta);
    expect(listener).not.toHaveBeenCalled();
  });

  it('stops delivering after unsubscribe, and removes only its own listener', () => {
    const { ipc, emit, listenerCount } = fakeIpc();
    const bridge = createBridge(ipc);
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = bridge.onEvent(first);
    bridge.onEvent(second);
    expect(listenerCount(IPC_EVENT_CHANNEL)).toBe(2);

    unsubscribeFirst();
    unsubscribeFirst(); // idempotent
    emit(IPC_EVENT_CHANNEL, delta);

    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith(delta);
    expect(listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
  });
});
