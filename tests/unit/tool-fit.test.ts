import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/core/orchestrator/turn-budget';
import { fitToolsToContext } from '../../src/core/orchestrator/tool-fit';
import type { ModelToolSpec } from '../../src/core/model/model-provider';

const schema = { type: 'object', properties: { path: { type: 'string' } } };
const tool = (name: string, description: string): ModelToolSpec => ({ name, description, inputSchema: schema });
const long = (what: string) => `${what}. ${'It has a long description, as servers write them, with examples and caveats. '.repeat(12)}`;
const tools = [
  tool('fs.read', long('Read a file in the workspace')),
  tool('fs.write', long('Write a file in the workspace')),
  tool('memory.search', long('Search the memories you saved')),
  tool('github.create_issue', long('Create an issue on a GitHub repository')),
  tool('github.list_pull_requests', long('List the pull requests of a repository')),
  tool('slack.post_message', long('Post a message to a Slack channel')),
];
const size = (offered: readonly ModelToolSpec[]) => estimateTokens(JSON.stringify(offered));

describe('the tools a model with a small context is offered', () => {
  it('are all of them, as they are, when the context is unknown or holds them', () => {
    expect(fitToolsToContext(tools, null, { request: 'x', routeTools: [] })).toEqual({ tools, leftOut: [], shortened: false });
    expect(fitToolsToContext(tools, 200_000, { request: 'x', routeTools: [] })).toEqual({ tools, leftOut: [], shortened: false });
  });

  it('have their descriptions cut to the first sentence when that is enough', () => {
    const fitted = fitToolsToContext(tools, 2_400, { request: 'x', routeTools: [] });
    expect(fitted.leftOut).toEqual([]);
    expect(fitted.shortened).toBe(true);
    expect(fitted.tools.map((t) => t.description)).toEqual([
      'Read a file in the workspace.', 'Write a file in the workspace.', 'Search the memories you saved.',
      'Create an issue on a GitHub repository.', 'List the pull requests of a repository.', 'Post a message to a Slack channel.',
    ]);
    expect(fitted.tools.map((t) => t.inputSchema)).toEqual(tools.map((t) => t.inputSchema)); // the arguments stay whole
  });

  it("are, in a context too small for them all, the route's and those the request's words name, in their own order, within a share of it", () => {
    const fitted = fitToolsToContext(tools, 500, { request: 'open an issue about the failing pull request on GitHub', routeTools: ['fs.read'] });
    expect(fitted.tools.map((t) => t.name)).toEqual(['fs.read', 'github.create_issue', 'github.list_pull_requests']);
    expect(fitted.leftOut).toEqual(['fs.write', 'memory.search', 'slack.post_message']);
    expect(size(fitted.tools)).toBeLessThanOrEqual(500 * 0.3);
    // Room left over goes to the next tools in line, whatever their words.
    expect(fitToolsToContext(tools, 600, { request: 'open an issue about the failing pull request on GitHub', routeTools: ['fs.read'] }).tools.map((t) => t.name)).toEqual([
      'fs.read', 'fs.write', 'github.create_issue', 'github.list_pull_requests',
    ]);
  });
});
