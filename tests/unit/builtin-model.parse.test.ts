import { describe, expect, it } from 'vitest';
import { parseBuiltinRequest } from '../../src/core/model/builtin/request-parser';

describe('parseBuiltinRequest', () => {
  it.each([
    ['list files', { kind: 'list', path: '.' }],
    ['List the files in my workspace', { kind: 'list', path: '.' }],
    ['what files are in the workspace?', { kind: 'list', path: '.' }],
    ['show me the files in notes', { kind: 'list', path: 'notes' }],
    ['list the contents of folder "docs"', { kind: 'list', path: 'docs' }],
    ['read hello.txt', { kind: 'read', path: 'hello.txt' }],
    ['Read the file notes/todo.md', { kind: 'read', path: 'notes/todo.md' }],
    ['write hello.txt with hi', { kind: 'write', path: 'hello.txt', content: 'hi' }],
    ['Write hello.txt with "hi there"', { kind: 'write', path: 'hello.txt', content: 'hi there' }],
    ['create notes/a.md containing # Title', { kind: 'write', path: 'notes/a.md', content: '# Title' }],
    ['write "buy milk" to todo.txt', { kind: 'write', path: 'todo.txt', content: 'buy milk' }],
    ['please write the file out.txt with content: done', { kind: 'write', path: 'out.txt', content: 'done' }],
    ['what is the capital of France?', { kind: 'unknown' }],
    ['tell me a joke', { kind: 'unknown' }],
  ])('%j → %j', (text, expected) => {
    expect(parseBuiltinRequest(text)).toEqual(expected);
  });
});
