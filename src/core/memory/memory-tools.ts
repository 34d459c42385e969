import type { ToolDefinition } from '../tools/tool-definition';

const quote = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

const memorySaveTool: ToolDefinition = {
  name: 'memory.save',
  description: 'Remember a fact about the person or their work for later conversations.',
  inputSchema: {
    type: 'object',
    properties: { content: { type: 'string', minLength: 1, maxLength: 4_000, description: 'The fact, in one sentence.' } },
    required: ['content'],
    additionalProperties: false,
  },
  annotations: { title: 'Save a memory', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  sandboxed: false,
  describeCall: (args) => `Remember "${quote(args.content)}"`,
};

const memorySearchTool: ToolDefinition = {
  name: 'memory.search',
  description: 'Search long-term memories (and, with scope "all", past conversations) by keywords.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, maxLength: 500 },
      scope: { type: 'string', enum: ['memories', 'all'], default: 'memories' },
      limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
    },
    required: ['query'],
    additionalProperties: false,
  },
  annotations: { title: 'Search memories', readOnlyHint: true, openWorldHint: false },
  sandboxed: false,
  describeCall: (args) => `Search memories for "${quote(args.query)}"`,
};

const memoryForgetTool: ToolDefinition = {
  name: 'memory.forget',
  description: 'Delete one long-term memory by its id (as returned by memory.search).',
  inputSchema: {
    type: 'object',
    properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
    required: ['id'],
    additionalProperties: false,
  },
  annotations: { title: 'Forget a memory', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  sandboxed: false,
  describeCall: (args) => `Forget the memory ${quote(args.id)}`,
};

/**
 * The memory tools. `contentOf` reads a memory's text, so that the approval of a forget says what would be
 * forgotten, not only its id.
 */
export function memoryTools(contentOf: (id: string) => string | undefined): readonly ToolDefinition[] {
  const forget: ToolDefinition = {
    ...memoryForgetTool,
    describeCall: (args) => {
      const content = contentOf(String(args.id));
      return content === undefined ? memoryForgetTool.describeCall(args) : `Forget the memory "${content.length > 120 ? `${content.slice(0, 117)}…` : content}"`;
    },
  };
  return [memorySaveTool, memorySearchTool, forget];
}
