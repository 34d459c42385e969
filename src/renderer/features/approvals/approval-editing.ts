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
