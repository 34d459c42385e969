import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastGoodPinsFile } from '../../mcp/tool-pins';
import type { ValueMasker } from './value-masker';

/** The parts of a pinned definition that are a server's words: shown on the Tools & servers page when a tool changes. */
const WORDS = ['description', 'inputSchema', 'annotations'] as const;

/**
 * Masks the values in `<data folder>/tool-pins.json`: the definitions of MCP tools as the person approved them, kept
 * to show beside a changed one. A server could have written a value there before it was known as a secret (a
 * description naming a token it was handed). Only their words are masked: each pin keeps its hash, which is what a
 * tool offered later is compared with, so no tool is held back for it. Replaced whole (written beside, renamed
 * over); a running Portcullis takes the file up at its next look. Its last good copy the same. True when it changed.
 */
export function scrubToolPinsFile(dataDir: string, masker: ValueMasker): boolean {
  const file = join(dataDir, 'tool-pins.json');
  const scrubbed = [file, lastGoodPinsFile(file)].map((one) => scrubPinsFile(one, masker));
  return scrubbed.some(Boolean);
}

function scrubPinsFile(file: string, masker: ValueMasker): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  if (masker.mask(text) === text) return false;
  let pinFile: { pins?: Record<string, Definition>; arrivals?: Record<string, Definition> };
  try {
    pinFile = JSON.parse(text) as typeof pinFile;
  } catch {
    return false; // Unreadable: Portcullis moves it aside at its next start, and reads its last good copy instead.
  }
  const definitions = [...Object.values(pinFile.pins ?? {}), ...Object.values(pinFile.pins ?? {}).flatMap((pin) => (pin.pending ? [pin.pending] : [])), ...Object.values(pinFile.arrivals ?? {})];
  for (const definition of definitions) {
    for (const part of WORDS) {
      if (definition[part] !== undefined) definition[part] = JSON.parse(masker.maskJson(JSON.stringify(definition[part]))) as unknown;
    }
  }
  const masked = JSON.stringify(pinFile, null, 2);
  if (masked === text) return false;
  const partial = `${file}.scrubbing`;
  writeFileSync(partial, masked, { mode: 0o600, flush: true });
  renameSync(partial, file);
  return true;
}

type Definition = Partial<Record<(typeof WORDS)[number], unknown>> & { pending?: Definition };
