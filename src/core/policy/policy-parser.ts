import { isNode, LineCounter, parseDocument } from 'yaml';
import { PolicyFileSchema, type PolicyFile } from '../../shared/domain/policy';

export type PolicyParseResult = { ok: true; policy: PolicyFile } | { ok: false; errors: string[] };

/**
 * Parses and validates a policy file's text. Each problem names its line and column and what is wrong, so
 * the person can fix the file; the caller keeps the last good policy meanwhile.
 */
export function parsePolicy(text: string, fileName = 'policy.yaml'): PolicyParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
        return `${fileName}:${pos.line}:${pos.col}: ${firstLine(error.message)}`;
      }),
    };
  }
  if (doc.contents === null) {
    return { ok: false, errors: [`${fileName}:1:1: the file is empty; a policy begins with "version: 1" and lists its "rules" (the shipped one is a start).`] };
  }
  const parsed = PolicyFileSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      const node = nearestNode(doc, path);
      const at = node ? lineCounter.linePos(node) : { line: 1, col: 1 };
      // "version must be 1" names its key already: "at version version must be 1" would say it twice.
      const where = path.length > 0 && !issue.message.startsWith(`${path.join('.')} `) ? ` at ${path.join('.')}` : '';
      return `${fileName}:${at.line}:${at.col}:${where} ${issue.message}`;
    }),
  };
}

/** The offset of the deepest node that exists on the issue's path (a missing key points at its parent). */
function nearestNode(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return null;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!;
}
