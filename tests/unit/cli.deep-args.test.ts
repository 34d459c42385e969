import { describe, expect, it } from 'vitest';
import { CliUsageError, type CommandContext } from '../../src/cli/command';
import { jsonArgs } from '../../src/cli/commands/tools';

const withArgs = (args: string) => ({ values: { args } }) as unknown as CommandContext;

describe('--args nested thousands deep', () => {
  it('is refused as the command\'s mistake, where the call printed a RangeError and its stack', () => {
    const deep = `{"path":".","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(() => jsonArgs(withArgs(deep), '{"path":"."}')).toThrow(CliUsageError);
    expect(() => jsonArgs(withArgs(deep), '{"path":"."}')).toThrow('--args must not nest objects and arrays more than 128 levels deep.');
  });

  it('takes arguments as deep as real ones are', () => {
    expect(jsonArgs(withArgs('{"path":".","x":[[["a"]]]}'), '{"path":"."}')).toEqual({ path: '.', x: [[['a']]] });
  });
});
