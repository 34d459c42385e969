/** Random identifiers; `crypto.randomUUID` exists in Node, browsers and Electron renderers alike. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** 32 hex characters, as OpenTelemetry trace ids are. */
export function newTraceId(): string {
  return randomHex(16);
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
