import { describeArgs } from '../../../shared/domain/policy-words';

/** Parses a JSON object the person typed; says what is wrong in words instead of throwing. */
export function parseJsonObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `This is not valid JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'This must be a JSON object, like {"path": "notes/a.md"}.' };
  return { ok: true, value: value as Record<string, unknown> };
}


/**
 * The condition of an "Always allow" rule in words, after "always allow TOOL". An empty pattern (an MCP tool whose
 * arguments are lists or free text is proposed one) says outright that every call will run unasked: "when any
 * arguments" hid it.
 */
export function alwaysAllowCondition(pattern: Record<string, Record<string, unknown>>): string {
  return Object.keys(pattern).length === 0 ? 'with any arguments: every call of it will run without asking you' : `when ${describeArgs(pattern)}`;
}
