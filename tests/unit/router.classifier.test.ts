import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runSuiteFile } from '../../src/core/eval/suite-runner';
import { defaultIntentRouter } from '../../src/core/router/default-router';
import { parseIntentCatalogue } from '../../src/core/router/intent-catalogue';
import { IntentRouter } from '../../src/core/router/intent-router';
import { extractSlots } from '../../src/core/router/slot-extractor';
import { repoRoot } from '../helpers/paths';

const suiteFile = join(repoRoot, 'resources', 'eval', 'router.yaml');

describe('intent catalogue', () => {
  it.each([
    ['not YAML', 'intents: [', /not valid YAML/],
    ['no out_of_scope intent', 'version: 1\nintents:\n  - { id: a.b, description: x, examples: [a, b, c] }\n  - { id: c.d, description: y, examples: [d, e, f] }', /out_of_scope/],
    ['a plan with an undeclared slot', 'version: 1\nintents:\n  - { id: a.b, description: x, examples: [a, b, c], plan: { tool: t, arguments: { p: "{path}" } } }\n  - { id: out_of_scope, description: y, examples: [d, e, f] }', /\{path\}/],
    ['too few examples', 'version: 1\nintents:\n  - { id: a.b, description: x, examples: [a] }\n  - { id: out_of_scope, description: y, examples: [d, e, f] }', /intents\.0\.examples/],
  ])('rejects %s with a clear error', (_, text, message) => {
    expect(() => parseIntentCatalogue(text)).toThrow(message);
  });
});

describe('intent router', () => {
  const router = defaultIntentRouter();

  it.each([
    ['list the files', 'files.list', { path: '.' }],
    ['show me the files in notes', 'files.list', { path: 'notes' }],
    ['Read the file notes/todo.md', 'files.read', { path: 'notes/todo.md' }],
    ['write hello.txt with hi', 'files.write', { path: 'hello.txt', content: 'hi' }],
    ['write "buy milk" to todo.txt', 'files.write', { path: 'todo.txt', content: 'buy milk' }],
    ['please write the file out.txt with content: done', 'files.write', { path: 'out.txt', content: 'done' }],
    ['delete old.txt', 'files.delete', { path: 'old.txt' }],
    ['search my notes for "invoice"', 'files.search', { query: 'invoice' }],
    ['summarize https://example.com/post.', 'web.fetch', { url: 'https://example.com/post' }],
    // A file to sum up is read (it was taken for a web page, and the built-in model asked for its address).
    ['Please summarise sales.csv', 'files.read', { path: 'sales.csv' }],
    ['Summarize notes/q1.md for me', 'files.read', { path: 'notes/q1.md' }],
  ])('%j → %s with slots %j', (text, intent, slots) => {
    const route = router.route(text);
    expect(route).toMatchObject({ intent, confident: true, slots, missingSlots: [] });
    expect(route.tools.length).toBeGreaterThan(0);
  });

  it('recognizes out-of-scope requests and offers them no tools', () => {
    // A chart of a file is analysis, not a file to write (it was files.write, "I could not tell what to write").
    for (const text of ['what is the capital of France?', 'tell me a joke', 'book a table for two tonight', 'make a chart of revenue.csv']) {
      expect(router.route(text)).toMatchObject({ intent: 'out_of_scope', outOfScope: true, confident: false, tools: [] });
    }
  });

  it('is deterministic: two routers over the same catalogue agree exactly', () => {
    const other = new IntentRouter(router.catalogue);
    for (const text of ['list files', 'raed todo.txt', 'hello', 'what is love']) expect(other.route(text)).toEqual(router.route(text));
  });

  it("takes a dotfile for a path, and a sentence's last dot for none", () => {
    const path = { path: { kind: 'path' as const, description: '', required: true } };
    expect(extractSlots('read .env', path).slots).toEqual({ path: '.env' });
    expect(extractSlots('show me .gitignore please', path).slots).toEqual({ path: '.gitignore' });
    expect(extractSlots('read notes/todo.md.', path).slots).toEqual({ path: 'notes/todo.md' });
    expect(extractSlots('it costs .5 more', path).missing).toEqual(['path']);
  });

  it('takes a bare name of the workspace\'s (a folder, a file without extension) for the path, and no other word', () => {
    const workspaceHas = (name: string) => ['reports', 'Makefile', 'delete', 'notes'].includes(name);
    expect(router.route('delete reports', { workspaceHas })).toMatchObject({ intent: 'files.delete', slots: { path: 'reports' }, missingSlots: [] });
    expect(router.route('please delete the reports folder.', { workspaceHas }).slots).toEqual({ path: 'reports' });
    expect(router.route('read Makefile', { workspaceHas }).slots).toEqual({ path: 'Makefile' });
    expect(router.route('list reports', { workspaceHas }).slots).toEqual({ path: 'reports' });
    // A name not there is not guessed, a path-like word still wins, and the words another slot took stay its own.
    expect(router.route('delete drafts', { workspaceHas }).missingSlots).toEqual(['path']);
    expect(router.route('delete reports/old.txt', { workspaceHas }).slots).toEqual({ path: 'reports/old.txt' });
    expect(router.route('list the files', { workspaceHas }).slots).toEqual({ path: '.' });
    expect(extractSlots('write notes with reports', { path: { kind: 'path', description: '', required: true }, content: { kind: 'content', description: '', required: true } }, workspaceHas).slots)
      .toEqual({ path: 'notes', content: 'reports' });
    // Without knowing the workspace, as before: the built-in model asks.
    expect(router.route('delete reports').missingSlots).toEqual(['path']);
  });

  it('takes a file in a subfolder, and a name with spaces quoted or as the workspace has it', () => {
    const workspaceHas = (name: string) => ['my notes.md', 'notes.md', 'Q3 reports', 'reports', 'docs/plan.md', 'docs/Q3 plan.md', 'archive/old'].includes(name);
    const path = (text: string, has: ((name: string) => boolean) | null = workspaceHas) => router.route(text, has ? { workspaceHas: has } : {}).slots.path;
    // A subfolder, as written, there or not.
    expect(path('read docs/plan.md')).toBe('docs/plan.md');
    expect(path('show me docs/plan.md please')).toBe('docs/plan.md');
    expect(path('read docs/draft.md')).toBe('docs/draft.md');
    // In a folder said after it, when it is there.
    expect(path('read plan.md in docs')).toBe('docs/plan.md');
    expect(path('delete old in archive')).toBe('archive/old');
    expect(path('read todo.md in docs')).toBe('todo.md');
    // Quoted: the whole name, there or not, and a file-like word outside the quotes first.
    expect(path("read 'my notes.md'")).toBe('my notes.md');
    expect(path('read "my draft.md"')).toBe('my draft.md');
    expect(path('read “my notes.md”', null)).toBe('my notes.md');
    expect(router.route("write 'see b.txt' to a.txt").slots).toEqual({ path: 'a.txt', content: 'see b.txt' });
    // Unquoted: the longest name the workspace has, the words about it left out.
    expect(path('read my notes.md')).toBe('my notes.md');
    expect(path('read the file my notes.md.')).toBe('my notes.md');
    expect(path('read docs/Q3 plan.md')).toBe('docs/Q3 plan.md');
    expect(path('delete Q3 reports')).toBe('Q3 reports');
    expect(path('please delete the Q3 reports folder.')).toBe('Q3 reports');
    expect(path('delete reports')).toBe('reports');
    // Not there, or not known: the words as they were read before.
    expect(path('read my notes.md', (name) => name === 'notes.md')).toBe('notes.md');
    expect(path('read my notes.md', null)).toBe('notes.md');
    expect(path("read Bob's notes.md")).toBe('notes.md');
    // Never widened to a name outside the workspace, whatever the disk says: the words as read go to the sandbox.
    expect(path('read ../secret plan', () => true)).toBe('../secret');
    expect(path('delete ~/old reports', () => true)).toBe('reports');
  });

  it('reports a missing required slot instead of guessing it', () => {
    expect(extractSlots('delete the file', { path: { kind: 'path', description: '', required: true } })).toEqual({ slots: {}, missing: ['path'] });
  });

  it('reaches accuracy ≥ 0.95 and macro-F1 ≥ 0.93 on the shipped suite, which is held out from the examples', async () => {
    const normalize = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    const examples = new Set(router.catalogue.intents.flatMap((i) => i.examples.map(normalize)));
    const suite = parse(readFileSync(suiteFile, 'utf8')) as { cases: Record<string, string[]> };
    const utterances = Object.values(suite.cases).flat();
    expect(utterances.length).toBeGreaterThanOrEqual(300);
    expect(utterances.filter((u) => examples.has(normalize(u)))).toEqual([]);
    const holdout = parse(readFileSync(join(repoRoot, 'resources', 'eval', 'router-holdout.yaml'), 'utf8')) as { cases: Record<string, string[]> };
    expect(Object.values(holdout.cases).flat().filter((u) => examples.has(normalize(u)))).toEqual([]);
    expect(Object.keys(suite.cases).sort()).toEqual(router.catalogue.intents.map((i) => i.id).sort());
    const report = await runSuiteFile(suiteFile);
    if (report.kind !== 'router') throw new Error('expected a router report');
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.metrics.macroF1).toBeGreaterThanOrEqual(0.93);
    expect(report.metrics.ece).toBeLessThan(0.1);
  });
});
