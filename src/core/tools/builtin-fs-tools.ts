import { counted } from '../../shared/counted';
import { normalizePath, shownPath } from '../../shared/shown-path';
import type { ToolDefinition } from './tool-definition';

const pathProperty = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  description: 'A path relative to the workspace folder.',
} as const;

export const fsListTool: ToolDefinition = {
  name: 'fs.list',
  description: 'List the files and folders in a workspace folder.',
  inputSchema: {
    type: 'object',
    properties: { path: { ...pathProperty, default: '.' } },
    additionalProperties: false,
  },
  annotations: { title: 'List files', readOnlyHint: true, openWorldHint: false },
  sandboxed: true,
  describeCall: (args) => `List the files in ${shownPath(args.path ?? '.')}`,
};

export const fsReadTool: ToolDefinition = {
  name: 'fs.read',
  description: 'Read a text file (UTF-8, or UTF-16 with its byte-order mark) from the workspace; a binary file, such as a spreadsheet or a PDF, is refused.',
  inputSchema: {
    type: 'object',
    properties: { path: pathProperty },
    required: ['path'],
    additionalProperties: false,
  },
  annotations: { title: 'Read file', readOnlyHint: true, openWorldHint: false },
  sandboxed: true,
  describeCall: (args) => `Read ${shownPath(args.path)}`,
};

export const fsWriteTool: ToolDefinition = {
  name: 'fs.write',
  description: 'Write a UTF-8 text file in the workspace, replacing it if it exists.',
  inputSchema: {
    type: 'object',
    properties: { path: pathProperty, content: { type: 'string', maxLength: 10_000_000 } },
    required: ['path', 'content'],
    additionalProperties: false,
  },
  annotations: { title: 'Write file', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  sandboxed: true,
  describeCall: (args) => {
    const content = typeof args.content === 'string' ? args.content : '';
    // "one\ntwo\n" is two lines: a final newline ends the last one, it does not start another.
    const lines = content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
    const size = lines > 1 ? `${lines} lines` : counted(content.length, 'character');
    return `Write ${size} to ${shownPath(args.path)}`;
  },
};

export const fsDeleteTool: ToolDefinition = {
  name: 'fs.delete',
  description: 'Delete one file (or link, or empty folder) in the workspace. It cannot be undone; a folder must be emptied first.',
  inputSchema: {
    type: 'object',
    properties: { path: pathProperty },
    required: ['path'],
    additionalProperties: false,
  },
  annotations: { title: 'Delete file', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  sandboxed: true,
  describeCall: (args) => `Delete ${shownPath(args.path)}`,
};

export const fsSearchTool: ToolDefinition = {
  name: 'fs.search',
  description:
    'Find files in the workspace whose name or text holds a phrase (case-insensitive), with the matching lines and their numbers. ' +
    'Skips .git and node_modules, files over 1 MB and binary files; files the policy does not let you read are left out.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, maxLength: 500, description: 'The phrase to look for.' },
      path: { ...pathProperty, default: '.', description: 'The folder to search, relative to the workspace folder.' },
      limit: { type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'The most matches to return.' },
    },
    required: ['query'],
    additionalProperties: false,
  },
  annotations: { title: 'Search files', readOnlyHint: true, openWorldHint: false },
  sandboxed: true,
  describeCall: (args) => `Search ${args.path && normalizePath(String(args.path)) !== '.' ? shownPath(args.path) : 'the workspace'} for ${JSON.stringify(String(args.query ?? ''))}`,
};

export const builtinFsTools: readonly ToolDefinition[] = [fsListTool, fsReadTool, fsWriteTool, fsDeleteTool, fsSearchTool];
