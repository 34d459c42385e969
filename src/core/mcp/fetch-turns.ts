import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { requestIdsOf } from './bounded-fetch';

/**
 * A `fetch` whose answers to the server's requests and notifications (all it sends but requests of Portcullis' own)
 * wait their turn, at most `most` at once until the server's reply comes (its headers). A remote server's requests to
 * Portcullis (ping, roots/list, sampling…) are each answered with a POST of its own: 5,000 sent at once on its event
 * stream opened 3,850 connections to it at once, where the process's file descriptors are shared with its database
 * and every other server. Portcullis' own requests (its calls, bounded by the calls it makes) never wait behind them,
 * so a server whose answers hold a POST open until a call ends cannot keep a question's answer from it.
 */
export function takingTurns(most: number, base: FetchLike = (url, init) => fetch(url, init), mostWaiting = MAX_WAITING): FetchLike {
  let fetching = 0;
  const waiting: Array<() => void> = [];
  const nextTurn = (): void => {
    const next = waiting.shift();
    if (next) next();
    else fetching--;
  };
  return async (url, init) => {
    if (requestIdsOf(init).length > 0) return base(url, init);
    if (fetching < most) fetching++;
    else if (waiting.length >= mostWaiting) throw new ServerNotTaking(mostWaiting);
    else await turnFor(waiting, init?.signal ?? undefined);
    try {
      return await base(url, init);
    } finally {
      nextTurn();
    }
  };
}

/** The most that may wait their turn: a server that holds its replies open while it sends requests without end had each answer kept. */
const MAX_WAITING = 10_000;

/** What the error of a message it could not wait for says (`protocol-error-outcome.ts` knows it in the SDK's wrapping). */
export const NOT_TAKING_WORDS = 'it stopped taking what Portcullis sent it';

/** A message to a server past MAX_WAITING waiting: the server takes none, and its connection is dropped. */
class ServerNotTaking extends Error {
  constructor(waiting: number) {
    super(`${NOT_TAKING_WORDS} (${waiting.toLocaleString('en-US')} answers to its requests were waiting), so Portcullis dropped its connection`);
  }
}

/** Resolves when a turn is handed over; rejects, and leaves the line, should `signal` abort first. */
function turnFor(waiting: Array<() => void>, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const take = (): void => {
      signal?.removeEventListener('abort', leave);
      resolve();
    };
    const leave = (): void => {
      const place = waiting.indexOf(take);
      if (place !== -1) waiting.splice(place, 1);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', leave, { once: true });
    waiting.push(take);
  });
}
