import { describe, expect, it } from 'vitest';
import { nearestToolName } from '../../src/core/tools/nearest-tool-name';

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
