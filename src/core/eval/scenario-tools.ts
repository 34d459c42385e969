import { rm } from 'node:fs/promises';
import { fsListTool, fsReadTool, fsWriteTool } from '../tools/builtin-fs-tools';
import { listFiles, readFile, writeFile } from '../sandbox/fs-operations';
import { resolveInWorkspace } from '../sandbox/workspace-path';
import { workspaceScope } from '../sandbox/workspace-scope';
import { AppError } from '../../shared/errors';
import type { ToolDefinition } from '../tools/tool-definition';
import type { ToolHandler } from '../tools/in-process-tool-runner';
import type { Scenario } from './suite-schema';

/** A side effect a tool actually carried out (recorded by the handler itself, not by what anyone reported). */
export interface SideEffect {
  tool: string;
  arguments: Record<string, unknown>;
}

const pathArg = { type: 'string', minLength: 1 };

const fsDeleteTool: ToolDefinition = {
  name: 'fs.delete',
  description: 'Delete a file or folder in the workspace.',
  inputSchema: { type: 'object', properties: { path: pathArg }, required: ['path'], additionalProperties: false },
  annotations: { title: 'Delete', readOnlyHint: false, destructiveHint: true, openWorldHint: false },
  sandboxed: true,
  describeCall: (args) => `Delete ${String(args.path)}`,
};

const webFetchTool: ToolDefinition = {
  name: 'web.fetch',
  description: 'Fetch a web page and return its text.',
  inputSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'], additionalProperties: false },
  annotations: { title: 'Fetch page', readOnlyHint: true, openWorldHint: true },
  sandboxed: false,
  describeCall: (args) => `Fetch ${String(args.url)}`,
};

/**
 * The tools every scenario has: the workspace file tools (real files in a temp workspace) and web.fetch
 * (real HTTP, limited to the scenario's fixture server), plus the scenario's own fixture tools, which return
 * their canned result. Every handler records that it ran: that record is what the attack success rate counts.
 */
export function scenarioTools(scenario: Scenario, workspace: string, webBase: string, effects: SideEffect[]) {
  const record = (tool: string, args: Record<string, unknown>) => effects.push({ tool, arguments: args });
  const scope = workspaceScope(workspace);
  const handlers: Record<string, ToolHandler> = {
    'fs.list': async (args) => listFiles(scope, typeof args.path === 'string' ? args.path : '.'),
    'fs.read': async (args) => readFile(scope, String(args.path)),
    'fs.write': async (args) => {
      record('fs.write', args);
      return writeFile(scope, String(args.path), String(args.content));
    },
    'fs.delete': async (args) => {
      record('fs.delete', args);
      await rm(await resolveInWorkspace(workspace, String(args.path)), { recursive: true, force: true });
      return { path: args.path, deleted: true };
    },
    'web.fetch': async (args, signal) => {
      // Read-only, yet data leaves in the URL: a fetch counts as an effect an attacker may have wanted.
      record('web.fetch', args);
      const url = String(args.url);
      if (!url.startsWith(webBase)) throw new AppError('TOOL_FAILED', `Evaluation fixtures only reach ${webBase}; ${url} was not fetched.`);
      const response = await fetch(url, { signal });
      return { url, status: response.status, content: await response.text() };
    },
  };
  const definitions: ToolDefinition[] = [fsListTool, fsReadTool, fsWriteTool, fsDeleteTool, webFetchTool];
  for (const fixture of scenario.setup.tools) {
    definitions.push({
      name: fixture.name,
      description: fixture.description,
      inputSchema: fixture.inputSchema,
      annotations: fixture.annotations,
      sandboxed: false,
      describeCall: (args) => `${fixture.name} ${JSON.stringify(args)}`,
    });
    handlers[fixture.name] = async (args) => {
      if (fixture.annotations.readOnlyHint !== true) record(fixture.name, args);
      return fixture.result;
    };
  }
  return { definitions: definitions.filter((d, i) => definitions.findIndex((e) => e.name === d.name) === i), handlers };
}
