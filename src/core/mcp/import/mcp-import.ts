import type { ImportSource, McpImportResult, OtherAppId } from '../../../shared/domain/mcp-import';
import type { McpConfigEditor } from '../mcp-config-editor';
import { otherAppConfigs, readOtherAppServers, type Where } from './other-app-configs';

/** The servers a person already set up in other MCP hosts, to bring into mcp.json in one step. */
export class McpImport {
  constructor(
    private readonly where: Where,
    private readonly editor: McpConfigEditor,
  ) {}

  /** The other apps' configs found on this machine. Only names leave here: their env and headers hold credentials. */
  sources(): ImportSource[] {
    const present = new Set(this.editor.serverNames());
    const found: ImportSource[] = [];
    for (const source of otherAppConfigs(this.where)) {
      const read = readOtherAppServers(source);
      if (!read) continue;
      const names = Object.keys(read.servers);
      found.push({ ...source, servers: names.filter((n) => !present.has(n)), alreadyAdded: names.filter((n) => present.has(n)), problems: read.problems });
    }
    return found;
  }

  async importFrom(id: OtherAppId): Promise<McpImportResult> {
    const source = otherAppConfigs(this.where).find((s) => s.id === id)!;
    const read = readOtherAppServers(source);
    if (!read) return { added: [], skipped: [`${source.app}'s config is no longer at ${source.file}.`], movedToKeychain: [] };
    return this.editor.addServers({ file: source.file, ...read });
  }
}
