import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDefinition } from '../tools/tool-definition';
import type { ServerEntry } from './mcp-server-entry';
import { toToolDefinition } from './mcp-tool-definition';
import { launchFacts, outputTrust, saysItReachesOut } from './output-trust';
import { isResourceMethod } from './resource-tools';
import type { ToolPinStore } from './tool-pins';

/** A server's listed tools by what becomes of them: offered, held back until approved, or turned off. */
export interface SortedTools {
  offered: Map<string, ToolDefinition>;
  /** A changed definition, or a tool added after the server's first list: listed, never offered or run. */
  heldBack: Map<string, ToolDefinition>;
  /** Tools the person turned off (`disabledTools`): listed, never offered or run. */
  turnedOff: Map<string, ToolDefinition>;
}

/**
 * A server's tools as it listed them, made definitions (`server.tool`, the first of a name kept) and sorted: one
 * its pin does not match is held back, one named in `disabledTools` is turned off, the rest are offered.
 */
export function sortListedTools(entry: Pick<ServerEntry, 'connection' | 'namespace' | 'config'>, listed: readonly Tool[], pins: ToolPinStore | undefined): SortedTools {
  const server = entry.connection.name;
  const offered = new Map<string, ToolDefinition>();
  for (const tool of listed) {
    const { sandboxed, sandboxGrants } = entry.connection;
    // A tool that says it reaches out keeps tainting on a trusted server: its status note names it.
    const outputTrusted = outputTrust(server, entry.connection.config, launchFacts(entry.connection)).trusted && !saysItReachesOut(tool);
    const definition = toToolDefinition(server, tool, { sandboxed: sandboxed === true, offline: sandboxGrants?.offline === true, outputTrusted, namespace: entry.namespace });
    if (offered.has(definition.name)) continue;
    offered.set(definition.name, definition);
  }
  const heldBack = new Map<string, ToolDefinition>();
  const turnedOff = new Map<string, ToolDefinition>();
  const disabled = new Set(entry.config.disabledTools);
  // Asked before this list is pinned: a tool new to a server whose first list is behind it waits for approval.
  const heldIfNew = pins?.knowsNamespace(entry.namespace) === true;
  const sort = (): void => {
    for (const [name, definition] of offered) {
      // The resource tools are Portcullis' own words, not the server's: nothing of theirs to pin.
      const pinned = !isResourceMethod(definition.remoteName ?? '');
      const shown = { description: definition.description, inputSchema: definition.inputSchema, annotations: definition.annotations };
      if (pinned && pins && pins.check(name, shown, { heldIfNew }) !== 'pinned') heldBack.set(name, definition);
      else if (definition.remoteName && disabled.has(definition.remoteName)) turnedOff.set(name, definition);
      else continue;
      offered.delete(name);
    }
  };
  // The whole list's pins are written once.
  if (pins) pins.checkAll(sort);
  else sort();
  return { offered, heldBack, turnedOff };
}
