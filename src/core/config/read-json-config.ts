import { existsSync, readFileSync } from 'node:fs';
import { jsonSyntaxHint } from '../../shared/json-syntax-hint';
import { unreadableWhere } from './unreadable-config';

/**
 * A JSON file the person edits by hand (mcp.json, jwt.json, http-fetch.json) as read: null when there is none, its
 * JSON, or why it is not valid JSON (or could not be read): the slip a hand edit usually makes, or where the mistake
 * is, never the file's own words, which JSON.parse's message quotes (a token pasted unquoted, line breaks and all).
 */
export function readJsonConfig(file: string): { ok: true; json: unknown } | { ok: false; why: string } | null {
  if (!existsSync(file)) return null;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, why: jsonSyntaxHint(text) ?? unreadableWhere(error) };
  }
}
