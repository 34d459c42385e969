import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportsFolder } from '../../config/data-paths';
import type { ValueMasker } from './value-masker';

/**
 * Masks the values in the files "Export everything" left in `<data folder>/exports/`: they are copies of the
 * tables, made before the value was known as a secret. Each file that held one is replaced whole (written beside
 * it, then renamed over it), so a crash leaves either the old file or the masked one. Returns how many changed.
 */
export function scrubExportFiles(dataDir: string, masker: ValueMasker): number {
  const folder = exportsFolder(dataDir);
  if (!existsSync(folder)) return 0;
  let changed = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.scrubbing')) continue;
    const file = join(folder, entry.name);
    const text = readFileSync(file, 'utf8');
    const masked = entry.name.endsWith('.json') ? masker.maskJson(text) : masker.mask(text);
    if (masked === text) continue;
    const partial = `${file}.scrubbing`;
    writeFileSync(partial, masked, { mode: 0o600, flush: true });
    renameSync(partial, file);
    changed++;
  }
  return changed;
}
