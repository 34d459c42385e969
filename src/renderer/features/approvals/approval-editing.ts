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

/** Plain words for an argument pattern: "path matches notes/*.md; url is on example.com". */
export function describePattern(args: Record<string, Record<string, unknown>>): string {
  const parts = Object.entries(args).map(([name, matcher]) => {
    const words = Object.entries(matcher).map(([kind, value]) => {
      const list = Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join(' or ') : JSON.stringify(value);
      switch (kind) {
        case 'glob': return `${name} matches ${list}`;
        case 'domain': return `${name} is on ${list}`;
        case 'enum': return `${name} is ${list}`;
        case 'within': return `${name} is inside ${list}`;
        default: return `${name} ${kind} ${list}`;
      }
    });
    return words.join(', ');
  });
  return parts.length > 0 ? parts.join('; ') : 'any arguments';
}
