import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxWriteWarning } from '../../src/core/mcp/sandbox-write-warning';
import type { SandboxGrants } from '../../src/shared/domain/tool-catalog';
import { tempDir } from '../helpers/temp-dir';

const grants = (writable: string[]): SandboxGrants => ({ home: 'private', readable: [], workspaceSecrets: { hidden: [], allowed: [], complete: true }, writable, packageCache: null, domains: [], offline: true, memoryMb: null, cpuSeconds: null, maxProcesses: null });

describe('what an approval says its sandbox will refuse of a call', () => {
  it('names each folder a call names that its server may not write, once, what it may write, and the row\'s button for it', () => {
    const base = tempDir();
    mkdirSync(join(base, 'sales'));
    mkdirSync(join(base, 'notes'));
    const args = { source: join(base, 'sales', 'q3.csv'), destination: join(base, 'sales', 'archive', 'q3.csv'), note: join(base, 'notes', 'ok.md') };
    expect(sandboxWriteWarning('filesystem', grants([join(base, 'notes')]), args, [join(base, 'sales')])).toBe(
      `filesystem's sandbox lets it write only ${join(base, 'notes')}: if this call writes in ${join(base, 'sales')}, the write will be refused. ` +
        `"Allow filesystem to write ${join(base, 'sales')}" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of filesystem in mcp.json. Grant it before allowing this call.`,
    );
  });

  it('a folder its row does not offer (not named in its arguments, never refused) is granted in mcp.json: no button is promised', () => {
    const base = tempDir();
    mkdirSync(join(base, 'Desktop'));
    expect(sandboxWriteWarning('filesystem', grants([]), { path: join(base, 'Desktop', 'out.md') }, [join(base, 'sales')])).toBe(
      `filesystem's sandbox lets it write nothing of yours: if this call writes in ${join(base, 'Desktop')}, the write will be refused. ` +
        'To let it write there, add the folder to "sandbox": { "allowWrite": [...] } of filesystem in mcp.json. Grant it before allowing this call.',
    );
  });

  it('says nothing of a call inside what it may write, one naming no path, or a server outside the sandbox', () => {
    const base = tempDir();
    expect(sandboxWriteWarning('filesystem', grants([base]), { path: join(base, 'new', 'deep.md'), content: 'x' })).toBeNull();
    expect(sandboxWriteWarning('memory', grants([]), { entities: [{ name: 'Q3' }] })).toBeNull();
    // The text written, or replaced, that starts with "/" is not a place it writes.
    expect(sandboxWriteWarning('filesystem', grants([base]), { path: join(base, 'hosts.md'), content: '/etc/hosts lists the names' })).toBeNull();
    expect(sandboxWriteWarning('filesystem', grants([base]), { path: join(base, 'a.md'), edits: [{ oldText: '/usr/bin/env node', newText: '/usr/bin/env python3' }] })).toBeNull();
    expect(sandboxWriteWarning('host', null, { path: join(base, 'x.md') })).toBeNull();
  });

  it('a call naming no path is said to fail when its data file, which its env names, is where it may not write', () => {
    const base = tempDir();
    const memoryFile = join(base, 'memory.jsonl');
    const data = (notOffered: string | null) => [{ folder: base, seen: 'environment' as const, environment: { variable: 'MEMORY_FILE_PATH', path: memoryFile }, notOffered }];
    const args = { entities: [{ name: 'Q3' }] };
    expect(sandboxWriteWarning('memory', grants([]), args, [base], data(null))).toBe(
      `memory's sandbox lets it write nothing of yours, and its env's MEMORY_FILE_PATH names ${memoryFile}, where it keeps its data: if this call writes there, the write will be refused. ` +
        `"Allow memory to write ${base}" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of memory in mcp.json. Grant it before allowing this call.`,
    );
    // A folder not offered on its row (the home folder): its reason, as the row gives it.
    const notOffered = `It is not offered here: ${base} is your home folder. If you really mean it, add the folder to "sandbox": { "allowWrite": [...] } of memory in mcp.json.`;
    expect(sandboxWriteWarning('memory', grants([]), args, [], data(notOffered))).toBe(
      `memory's sandbox lets it write nothing of yours, and its env's MEMORY_FILE_PATH names ${memoryFile}, where it keeps its data: if this call writes there, the write will be refused. ${notOffered}`,
    );
    // Granted since: nothing to say.
    expect(sandboxWriteWarning('memory', grants([base]), args, [], data(null))).toBeNull();
  });
});
