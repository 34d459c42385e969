import { describe, expect, it } from 'vitest';
import { nearestToolName, toolOfOwnName } from '../../src/core/tools/nearest-tool-name';
import { unknownToolMessage } from '../../src/core/tools/unknown-tool-message';

const names = ['everything.echo', 'everything.add', 'fs.read', 'fs.write', 'memory.add', 'memory.list'];

describe('the tool a mistyped name most likely meant', () => {
  it.each([
    ['everythin.echo', 'everything.echo'],
    ['EVERYTHING.ECHO', 'everything.echo'],
    ['fs.raed', 'fs.read'],
    ['memory.ad', 'memory.add'],
  ])('%s → %s', (typed, meant) => expect(nearestToolName(typed, names)).toBe(meant));

  it.each([
    ['fs.delete', 'nothing that near'],
    ['fs.x', 'a short name is allowed fewer edits'],
    ['memory.lis', 'one edit from memory.list only'],
  ])('%s: %s', (typed) => expect(nearestToolName(typed, names)).toBe(typed === 'memory.lis' ? 'memory.list' : undefined));

  it('two names equally near are no guess', () => {
    expect(nearestToolName('fs.rite', ['fs.write', 'fs.bite'])).toBeUndefined();
  });
});

describe('the tool a name without its server, or with a made-up one, meant', () => {
  it.each([
    ['read', 'fs.read'],
    ['filesystem.read', 'fs.read'],
    ['files__write', 'fs.write'],
    ['ECHO', 'everything.echo'],
  ])('%s → %s', (asked, meant) => expect(toolOfOwnName(asked, names)).toBe(meant));

  it('a name several tools end with, or none, is no guess', () => {
    expect(toolOfOwnName('add', names)).toBeUndefined();
    expect(toolOfOwnName('search_repos', names)).toBeUndefined();
  });

  it('the model is told it after the gateway refused the name', () => {
    expect(unknownToolMessage('filesystem.read', names)).toBe(`There is no tool named "filesystem.read". Did you mean fs.read? Available tools: ${names.join(', ')}.`);
  });
});
