import type { WireError } from '../errors';
import type { AppEvent } from './contract';
import type { RequestChannel } from './channels';

/** The most one request may carry, as a WebSocket frame or an HTTP body; the page checks before it sends. */
export const MAX_REQUEST_BYTES = 1_000_000;

/** Frames of the WebSocket transport. Every request carries an id; its response echoes it. */
export interface RequestFrame {
  type: 'request';
  id: number;
  channel: RequestChannel;
  input: unknown;
}

export type ResponseFrame =
  | { type: 'response'; id: number; ok: true; output: unknown }
  | { type: 'response'; id: number; ok: false; error: WireError };

export type EventFrame = { type: 'event' } & AppEvent;

export type ServerFrame = ResponseFrame | EventFrame;

/** What `invoke` resolves to across IPC: errors travel as data, never as thrown class instances. */
export type InvokeResult = { ok: true; output: unknown } | { ok: false; error: WireError };
