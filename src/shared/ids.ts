/** Random identifiers; `crypto.randomUUID` exists in Node, browsers and Electron renderers alike. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * 32 hex characters, as OpenTelemetry trace ids are: the time in milliseconds (12), then 80 random bits (20).
 * Time first, so stored traces are indexed in the order they start instead of at random places (docs/storage.md);
 * X-Ray ids lead with the time the same way. `random` may be a faster source of random hex than the default.
 */
export function newTraceId(random: (bytes: number) => string = randomHex): string {
  return Date.now().toString(16).padStart(12, '0') + random(10);
}

/** 16 hex characters, as OpenTelemetry span ids are. */
export function newSpanId(): string {
  return randomHex(8);
}

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}
