import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxWriteWarning } from '../../src/core/mcp/sandbox-write-warning';
import type { SandboxGrants } from '../../src/shared/domain/tool-catalog';
import { tempDir } from '../helpers/temp-dir';

const grants = (writable: string[]): SandboxGrants => ({ home: 'private', readable: [], workspaceSecrets: { hidden: [], allowed: [], complete: true }, writable, packageCache: null, domains: [], offline: true, memoryMb: null, cpuSeconds: null, maxProcesses: null });

describe('what an approval says its sandbox will refuse of a call', () => {
  it('names each folder a call names that its server may not write, once, and what it may write', () => {
    const base = tempDir();
    mkdirSync(join(base, 'sales'));
    mkdirSync(join(base, 'notes'));
    const warning = sandboxWriteWarning('filesystem', grants([join(base, 'notes')]), {
      source: join(base, 'sales', 'q3.csv'),
      destination: join(base, 'sales', 'archive', 'q3.csv'),
      note: join(base, 'notes', 'ok.md'),
    });
    expect(warning).toBe(
      `filesystem's sandbox lets it write only ${join(base, 'notes')}: if this call writes in ${join(base, 'sales')}, the write will be refused. ` +
        'To let it, allow filesystem to write there on the Tools & servers page (or in "sandbox": { "allowWrite": [...] } in mcp.json) before allowing this call.',
    );
    expect(sandboxWriteWarning('filesystem', grants([]), { path: join(base, 'sales', 'x.md') })).toMatch(/^filesystem's sandbox lets it write nothing of yours: /);
  });

  it('says nothing of a call inside what it may write, one naming no path, or a server outside the sandbox', () => {
    const base = tempDir();
    expect(sandboxWriteWarning('filesystem', grants([base]), { path: join(base, 'new', 'deep.md'), content: 'x' })).toBeNull();
    expect(sandboxWriteWarning('memory', grants([]), { entities: [{ name: 'Q3' }] })).toBeNull();
    expect(sandboxWriteWarning('host', null, { path: join(base, 'x.md') })).toBeNull();
  });
});
