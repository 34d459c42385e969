import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../secrets/secret-store';
import {
  argsOf, credentialValues, hideArgumentCredentials, hideInBrokenText, HIDDEN_VALUE, isLiteralCredential, restoreHiddenArguments, type ServerEntries,
} from './hidden-credentials';
import { McpFileSchema, parseMcpConfig } from './mcp-config';
import { moveCredentialsToKeychain } from './move-credentials-to-keychain';
import { notOfferedWords } from './unwritable-folders';
import { NO_WRITE_GRANT_RULES, type WriteGrantRefusal } from '../sandbox/write-grant-rules';
import type { McpImportResult } from '../../shared/domain/mcp-import';
import { jsonSyntaxHint } from '../../shared/json-syntax-hint';
import { unreadableWhere } from '../config/unreadable-config';
import { restoreMasked } from '../redaction/restore-masked';

const EMPTY_FILE = `${JSON.stringify({ mcpServers: {} }, null, 2)}\n`;

export interface McpConfigSaveResult {
  saved: boolean;
  /** Why it was not saved: the JSON, or each server entry that would be skipped. */
  problems: string[];
  /** Keychain names the pasted credentials went to; the file now holds `secret:NAME` in their place. */
  movedToKeychain: string[];
}

/**
 * `mcp.json` as the Tools & servers page edits it. Credentials pasted as plain values (as Claude Desktop configs
 * carry them) never reach the page: they are hidden when the file is read, and moved to the OS keychain when it is
 * saved, leaving a `secret:NAME` reference behind. A save that would skip a server is refused whole.
 */
export class McpConfigEditor {
  constructor(
    private readonly deps: {
      file: string;
      secrets?: SecretStore;
      onSaved: () => Promise<void>;
      /** Why a folder may not be granted from the page (null: it may); without it, write grants are refused. */
      writeGrantRefusal?: (folder: string) => WriteGrantRefusal | null;
      /**
       * Masks the values of keychain secrets in a text (`Redactor.maskKnownSecrets`): the page never shows one, where
       * ever the file holds it (a server's address, an argument), and a save of what it showed keeps the file's value.
       */
      maskSecrets?: (text: string) => string;
    },
  ) {}

  read(): { file: string; text: string } {
    const { file } = this.deps;
    if (!existsSync(file)) return { file, text: EMPTY_FILE };
    const text = readFileSync(file, 'utf8');
    const servers = this.currentServers();
    const maskSecrets = this.deps.maskSecrets ?? ((words: string) => words);
    // A file that does not parse is shown only with its credential-like values cut, line by line.
    if (!servers) return { file, text: maskSecrets(hideInBrokenText(text)) };
    const shown = JSON.parse(text) as { mcpServers: ServerEntries };
    for (const [, values] of credentialValues(shown.mcpServers)) {
      for (const key of Object.keys(values)) if (isLiteralCredential(key, values[key])) values[key] = HIDDEN_VALUE;
    }
    for (const entry of Object.values(shown.mcpServers)) {
      const args = argsOf(entry);
      if (args) entry.args = hideArgumentCredentials(args);
    }
    return { file, text: `${JSON.stringify(mapStrings(shown, maskSecrets), null, 2)}\n` };
  }

  async save(text: string): Promise<McpConfigSaveResult> {
    const refused = (problems: string[]): McpConfigSaveResult => ({ saved: false, problems, movedToKeychain: [] });
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      // Where the mistake is, as the page says of the file on disk, not JSON.parse's words quoting the text around it.
      // The slip and its fix as the sentence itself, not in parentheses after "this is not valid JSON".
      const slip = jsonSyntaxHint(text);
      return refused([slip ? `Not saved: ${slip}.` : `Not saved: this is not valid JSON (${unreadableWhere(error)}).`]);
    }
    // What the page showed of the file outside the servers, masked, is put back too (the servers' come below).
    const maskSecrets = this.deps.maskSecrets;
    if (maskSecrets && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const outside: string[] = [];
      const file = this.currentFile();
      raw = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, key === 'mcpServers' ? value : restoreMasked(value, file[key], maskSecrets, key, (where) => outside.push(unplacedMask(where)))]));
      if (outside.length > 0) return refused(outside);
    }
    const top = McpFileSchema.safeParse(raw);
    if (!top.success) return refused(['Not saved: the file must be an object with an "mcpServers" object.']);
    const servers = top.data.mcpServers as ServerEntries;

    // Hidden values go back to what the file holds now: a secret's value shown masked, at the same place in it…
    const current = this.currentServers() ?? {};
    const problems: string[] = [];
    if (maskSecrets) {
      for (const [server, entry] of Object.entries(servers)) {
        servers[server] = restoreMasked(entry, current[server], maskSecrets, server, (where) => problems.push(unplacedMask(where))) as Record<string, unknown>;
      }
    }
    // …and a credential shown hidden.
    for (const [where, values, server, field] of credentialValues(servers)) {
      for (const key of Object.keys(values)) {
        if (values[key] !== HIDDEN_VALUE) continue;
        const saved = (current[server]?.[field] as Record<string, unknown> | undefined)?.[key];
        if (typeof saved === 'string') values[key] = saved;
        else problems.push(`Not saved: ${where}.${key} is hidden, but mcp.json has no saved value for it. Type the value.`);
      }
    }
    for (const [server, entry] of Object.entries(servers)) {
      const args = argsOf(entry);
      if (!args?.some((arg) => arg.includes(HIDDEN_VALUE))) continue;
      const restored = restoreHiddenArguments(args, argsOf(current[server]) ?? []);
      entry!.args = restored.args;
      for (const index of restored.missing) problems.push(`Not saved: ${server}'s argument ${index + 1} is hidden, but mcp.json has no saved value for it. Type the value.`);
    }
    const restored = { ...(raw as Record<string, unknown>), mcpServers: servers };
    problems.push(...parseMcpConfig(restored).problems.map((p) => `Not saved: ${p}`));
    if (problems.length > 0) return refused(problems);

    let movedToKeychain: string[] = [];
    if (this.deps.secrets) {
      const moved = await moveCredentialsToKeychain(servers, this.deps.secrets);
      if ('problem' in moved) return refused([moved.problem]);
      movedToKeychain = moved.names;
    }
    // What the save grants or takes back (trust, a domain, a folder) is recorded as the file is taken up (onSaved).
    await this.write(restored);
    return { saved: true, problems: [], movedToKeychain };
  }

  /**
   * Adds servers set up in another app, each under its own name: one already in mcp.json, or one that would not
   * load, is left out and said so. Saved like an edit: pasted credentials go to the keychain, and the new servers start.
   */
  async addServers(from: { file: string; servers: Record<string, Record<string, unknown>>; problems: string[] }): Promise<McpImportResult> {
    const skipped = [...from.problems];
    const raw = this.fileToChange();
    if (raw === undefined) return { added: [], skipped: ['Nothing was added: mcp.json is not valid JSON. Fix it in the editor first.'], movedToKeychain: [] };
    const top = McpFileSchema.safeParse(raw);
    if (!top.success) return { added: [], skipped: ['Nothing was added: mcp.json must be an object with an "mcpServers" object.'], movedToKeychain: [] };
    const servers = top.data.mcpServers;
    const added: string[] = [];
    for (const [name, entry] of Object.entries(from.servers)) {
      if (Object.hasOwn(servers, name)) {
        skipped.push(`${name}: mcp.json already has a server by that name.`);
        continue;
      }
      const { problems } = parseMcpConfig({ mcpServers: { [name]: entry } }, from.file);
      if (problems.length > 0) skipped.push(...problems);
      else added.push(name);
    }
    if (added.length === 0) return { added, skipped, movedToKeychain: [] };
    const merged = { ...raw, mcpServers: { ...servers, ...Object.fromEntries(added.map((name) => [name, from.servers[name]])) } };
    const saved = await this.save(JSON.stringify(merged));
    return saved.saved ? { added, skipped, movedToKeychain: saved.movedToKeychain } : { added: [], skipped: [...skipped, ...saved.problems], movedToKeychain: [] };
  }

  /** Turns one server on or off (its `enabled` field, and another app's `disabled`); the rest of the file stays as it is. */
  setEnabled(server: string, enabled: boolean): Promise<McpConfigSaveResult> {
    return this.changeEntry(server, (entry) => {
      delete entry.disabled;
      if (enabled) delete entry.enabled;
      else entry.enabled = false;
      return null;
    });
  }

  /** Turns one of a server's tools off or on (its `disabledTools`, by the tool's name on the server); the server keeps running. */
  setToolEnabled(server: string, tool: string, enabled: boolean): Promise<McpConfigSaveResult> {
    return this.changeEntry(server, (entry) => {
      const disabled = (Array.isArray(entry.disabledTools) ? entry.disabledTools : []).filter((name) => name !== tool);
      if (enabled && disabled.length === 0) delete entry.disabledTools;
      else entry.disabledTools = enabled ? disabled : [...disabled, tool];
      return null;
    });
  }

  /** Lets one sandboxed server reach `domain` (its `sandbox.allowedDomains`); it restarts with the grant. */
  allowDomain(server: string, domain: string): Promise<McpConfigSaveResult> {
    return this.changeEntry(server, (entry) => {
      if (entry.sandbox === false) return `Not changed: ${server} runs without a sandbox, so nothing limits its network.`;
      const sandbox = (entry.sandbox && typeof entry.sandbox === 'object' ? entry.sandbox : {}) as Record<string, unknown>;
      const domains = Array.isArray(sandbox.allowedDomains) ? (sandbox.allowedDomains as unknown[]) : [];
      if (!domains.includes(domain)) entry.sandbox = { ...sandbox, allowedDomains: [...domains, domain] };
      return null;
    });
  }

  /**
   * Lets one sandboxed server write `folder` (its `sandbox.allowWrite`); it restarts with the grant. A folder the
   * rules keep from being one click away (`writeGrantRefusal`) is refused, saying why.
   */
  allowWrite(server: string, folder: string): Promise<McpConfigSaveResult> {
    return this.changeEntry(server, (entry) => {
      if (entry.sandbox === false) return `Not changed: ${server} runs without a sandbox, so nothing limits what it writes.`;
      const refusal = this.deps.writeGrantRefusal ? this.deps.writeGrantRefusal(folder) : NO_WRITE_GRANT_RULES;
      if (refusal) return `Not changed: ${notOfferedWords(server, refusal)}`;
      const sandbox = (entry.sandbox && typeof entry.sandbox === 'object' ? entry.sandbox : {}) as Record<string, unknown>;
      const folders = Array.isArray(sandbox.allowWrite) ? (sandbox.allowWrite as unknown[]) : [];
      if (!folders.includes(folder)) entry.sandbox = { ...sandbox, allowWrite: [...folders, folder] };
      return null;
    });
  }

  /**
   * Changes one server's entry in place (`change` returns why it refuses, or null); the rest of the file stays as it
   * is.
   */
  private async changeEntry(server: string, change: (entry: Record<string, unknown>) => string | null): Promise<McpConfigSaveResult> {
    const refused = (problem: string): McpConfigSaveResult => ({ saved: false, problems: [problem], movedToKeychain: [] });
    const raw = this.fileToChange();
    if (raw === undefined) return refused('Not changed: mcp.json is not valid JSON. Fix it in the editor first.');
    const entry = McpFileSchema.safeParse(raw).data?.mcpServers[server];
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return refused(`Not changed: mcp.json has no server "${server}".`);
    const problem = change(entry as Record<string, unknown>);
    if (problem) return refused(problem);
    await this.write(raw);
    return { saved: true, problems: [], movedToKeychain: [] };
  }

  /** Written whole or not at all (a crash mid-write leaves the old file), then the servers are reloaded. */
  private async write(content: unknown): Promise<void> {
    const temporary = `${this.deps.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.deps.file);
    await this.deps.onSaved();
  }

  /** The servers mcp.json names now (none while it does not parse). */
  serverNames(): string[] {
    return Object.keys(this.currentServers() ?? {});
  }

  /** mcp.json as a change starts from: the file parsed, an empty one when there is none; undefined when it is not valid JSON. */
  private fileToChange(): Record<string, unknown> | undefined {
    try {
      return JSON.parse(existsSync(this.deps.file) ? readFileSync(this.deps.file, 'utf8') : EMPTY_FILE) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  /** The file as it is now, parsed; empty when it is not there or not an object. */
  private currentFile(): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.deps.file, 'utf8'));
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  private currentServers(): ServerEntries | null {
    try {
      const parsed = McpFileSchema.safeParse(JSON.parse(readFileSync(this.deps.file, 'utf8')));
      return parsed.success ? (parsed.data.mcpServers as ServerEntries) : null;
    } catch {
      return null;
    }
  }
}

/** Every string in a JSON value passed through `map` (object keys are left as they are). */
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
}

function unplacedMask(where: string): string {
  return `Not saved: ${where} shows a secret's value masked, but mcp.json holds no such value there. Type the value (or secret:NAME).`;
}
