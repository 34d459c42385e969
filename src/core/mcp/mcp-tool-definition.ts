import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolAnnotations } from '../../shared/domain/tool-call';
import { toolKindWords } from '../../shared/tool-kind';
import { keyArguments } from '../../shared/key-arguments';
import type { ToolDefinition } from '../tools/tool-definition';
import { exposedToolName } from './resource-tools';

/** `server.tool`: the name the model and the policy see for an MCP tool. */
export function namespacedName(server: string, tool: string): string {
  return `${server}.${tool}`;
}

/** Keeps the MCP hints as the protocol names them; a tool that gives none counts as mutating (MCP's default). */
export function annotationsOf(tool: Tool): ToolAnnotations {
  const a = tool.annotations ?? {};
  const out: ToolAnnotations = {};
  const title = a.title ?? tool.title;
  if (typeof title === 'string') out.title = title;
  for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
    if (typeof a[key] === 'boolean') out[key] = a[key];
  }
  return out;
}

/**
 * The gateway's view of one MCP tool on `server`, named `namespace.tool` (the namespace is the server's name, unless
 * that is taken by built-in tools).
 */
export function toToolDefinition(server: string, tool: Tool, options: { sandboxed: boolean; offline?: boolean; outputTrusted?: boolean; namespace: string }): ToolDefinition {
  const name = namespacedName(options.namespace, exposedToolName(tool.name));
  const annotations = annotationsOf(tool);
  return {
    name,
    description: tool.description ?? '',
    inputSchema: (tool.inputSchema ?? { type: 'object' }) as Record<string, unknown>,
    annotations,
    sandboxed: options.sandboxed,
    ...(options.sandboxed && options.offline ? { offline: true } : {}),
    ...(options.sandboxed && options.outputTrusted ? { outputTrusted: true } : {}),
    server,
    remoteName: tool.name,
    // In Portcullis' words: the name the policy sees and what its annotations say it may do, then the one or two
    // arguments that say what it does (the dialog shows all). Never its title or description: a server writes those,
    // and a malicious one would title a delete "Read notes". The dialog shows them below, as the server's.
    describeCall: (args) => {
      const shown = keyArguments(args);
      return `Run ${name} (${actionKind(annotations)})${shown ? ` with ${shown}` : ''}`;
    },
  };
}

/**
 * What a call may do, as its annotations say it (a tool that says nothing counts as able to change things, as the
 * policy treats it): "may delete or overwrite data, reaches outside your computer".
 */
export function actionKind(annotations: ToolAnnotations): string {
  const kind = toolKindWords(annotations);
  return annotations.openWorldHint ? `${kind}, reaches outside your computer` : kind;
}
