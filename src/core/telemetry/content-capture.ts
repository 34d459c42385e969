import type { CaptureMode } from '../../shared/domain/trace';
import type { SpanAttributeValue } from '../../shared/domain/span';
import type { Redactor } from '../redaction/redactor';

export const DEFAULT_CAPTURE_MODE: CaptureMode = 'metadata';
export const CAPTURE_MODE_SETTING = 'telemetry.captureMode';

/** Full content is cut at this many characters so one huge result cannot bloat the span table. */
const MAX_CONTENT_CHARS = 8_192;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The attributes to record for a piece of content under a capture mode: nothing (off); its shape (metadata:
 * argument names, sizes, types); or the redacted value itself (full, opt-in). Every string attribute is redacted
 * again when the span is stored or exported; only full content must be redacted here, before it is cut.
 */
export function captureAttributes(key: string, value: unknown, mode: CaptureMode, redactor: Redactor): Record<string, SpanAttributeValue> {
  if (mode === 'off' || value === undefined) return {};
  const json = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const out: Record<string, SpanAttributeValue> = { [`${key}.size`]: json.length, [`${key}.type`]: typeOf(value) };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    out[`${key}.names`] = entries.map(([name]) => name).join(',');
    out[`${key}.types`] = entries.map(([name, item]) => `${name}:${typeOf(item)}`).join(',');
  }
  if (mode === 'full') {
    // Redacted before it is cut, so a secret straddling the cut cannot survive as an unrecognizable half.
    const redacted = redactor.redactText(json);
    out[key] = redacted.length > MAX_CONTENT_CHARS ? `${redacted.slice(0, MAX_CONTENT_CHARS)}…[truncated]` : redacted;
  }
  return out;
}
