import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PolicyFileSchema, type PolicyRule } from '../../src/shared/domain/policy';
import type { ToolAnnotations } from '../../src/shared/domain/tool-call';
import { RulesPolicyEngine, type PolicyInput } from '../../src/core/policy/policy-engine';
import { userRuleToPolicyRule } from '../../src/core/policy/policy-source';

/** A real workspace with symlinks that lead out of it and into it. */
const root = realpathSync(mkdtempSync(join(tmpdir(), 'portcullis-policy-')));
const workspace = join(root, 'workspace');
const outside = join(root, 'outside');
mkdirSync(join(workspace, 'notes'), { recursive: true });
mkdirSync(join(workspace, 'drafts'), { recursive: true });
mkdirSync(outside, { recursive: true });
writeFileSync(join(outside, 'secret.txt'), 'x');
symlinkSync(outside, join(workspace, 'link-out'));
symlinkSync(outside, join(workspace, 'notes', 'escape'));
symlinkSync(join(workspace, 'notes'), join(workspace, 'to-notes'));
symlinkSync(join(outside, 'not-yet'), join(workspace, 'notes', 'dangling'));

const policyYaml = `
version: 1
rules:
  - { id: deny.secrets, effect: deny, reason: secrets, match: { args: { path: { glob: ["**/.env", "**/*.pem", ".ssh/**"] } } } }
  - { id: deny.outside, effect: deny, reason: outside, match: { tool: "fs.*", args: { path: { outside: ["\${workspace}"] } } } }
  - { id: allow.notes, effect: allow, reason: notes, match: { tool: fs.write, args: { path: { within: ["\${workspace}/notes"] } } } }
  - { id: ask.git, effect: ask, reason: git, match: { class: mutating, args: { path: { glob: [".git/**"] } } } }
  - { id: deny.fetch-evil, effect: deny, reason: evil, match: { tool: web.fetch, args: { url: { domain: ["evil.com", "*.evil.com", "127.0.0.1", "[::1]"] } } } }
  - { id: allow.fetch-docs, effect: allow, reason: docs, match: { tool: web.fetch, args: { url: { domain: ["docs.example.com", "*.trusted.org", "bücher.de"] } } } }
  - { id: ask.fetch-other, effect: ask, reason: other sites, match: { tool: web.fetch, args: { url: { notDomain: ["docs.example.com", "*.trusted.org", "bücher.de"] } } } }
  - { id: deny.rm, effect: deny, reason: rm, match: { tool: shell.run, args: { command: { regex: "rm\\\\s+-[a-z]*r" } } } }
  - { id: allow.ls, effect: allow, reason: ls, match: { tool: shell.run, args: { command: { regex: "^(ls|pwd)( [^;&|]*)?$" } } } }
  - { id: allow.limit, effect: allow, reason: small queries, match: { tool: db.query, args: { limit: { range: { min: 1, max: 100 } } } } }
  - { id: deny.limit, effect: deny, reason: huge queries, match: { tool: db.query, args: { limit: { range: { min: 10001 } } } } }
  - { id: allow.staging, effect: allow, reason: staging, match: { tool: deploy.run, args: { env: { enum: [staging] } } } }
  - { id: deny.prod, effect: deny, reason: production, match: { tool: deploy.run, args: { env: { enum: [production, prod] } } } }
  - { id: deny.untrusted-server, effect: deny, reason: untrusted server, match: { server: "untrusted-*" } }
  - { id: ask.github-mutating, effect: ask, reason: github writes, match: { server: github, class: mutating } }
  - { id: allow.github-read, effect: allow, reason: github reads, match: { server: github, tool: "github.*", class: read-only } }
  - { id: allow.email-confident, effect: allow, reason: confident email, match: { tool: email.send, intent: [email], confidence: { min: 0.8 } } }
  - { id: deny.email-unsure, effect: deny, reason: unsure, match: { tool: "email.*", confidence: { max: 0.3 } } }
  - { id: deny.secrets-tainted, effect: deny, reason: tainted secret read, match: { tool: vault.read, tainted: true } }
  - { id: ask.write-rate, effect: ask, reason: too many writes, match: { tool: fs.write, rate: { max: 3, windowSeconds: 60 } } }
  - { id: deny.body, effect: deny, reason: no bodies, match: { tool: http.post, args: { body: { present: true } } } }
  - { id: allow.order-a, effect: allow, reason: a, match: { tool: order.test } }
  - { id: deny.order-b, effect: deny, reason: b, match: { tool: order.test, args: { x: { enum: [1] } } } }
  - { id: ask.order-c, effect: ask, reason: c, match: { tool: order.test, args: { x: { enum: [2] } } } }
  - { id: allow.order-d, effect: allow, reason: d, match: { tool: order.test, args: { x: { enum: [2, 3] } } } }
  - { id: ask.destructive, effect: ask, reason: destructive, match: { class: destructive, tool: "danger.*" } }
  - { id: allow.mcp-any-read, effect: allow, reason: mcp reads, match: { tool: "mcp_*", class: [read-only] } }
  - { id: allow.list, effect: allow, reason: list, match: { tool: [multi.a, multi.b] } }
  - { id: deny.named-keys, effect: deny, reason: keys, match: { tool: "pattern.*", args: { "*_path": { glob: ["**/*.key"] } } } }
  - { id: allow.named-notes, effect: allow, reason: notes, match: { tool: pattern.copy, args: { "{from,to}": { within: ["\${workspace}/notes"] } } } }
`;
const file = PolicyFileSchema.parse(parse(policyYaml));
const userRule = userRuleToPolicyRule({ id: 'user.drafts', tool: 'fs.write', server: null, args: { path: { glob: ['drafts/*.md'] } }, reason: 'you always allow drafts', createdAt: 1 });
const rules: PolicyRule[] = [...file.rules, userRule];
const context = { workspace, home: root, ignoreCase: false };
const engine = new RulesPolicyEngine(rules, context);
const engineIgnoreCase = new RulesPolicyEngine(rules, { ...context, ignoreCase: true });

const A = {
  write: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
  read: { readOnlyHint: true, openWorldHint: false },
  fetch: { readOnlyHint: true, openWorldHint: true },
  none: {},
  safeWrite: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
} satisfies Record<string, ToolAnnotations>;

interface Case {
  tool: string;
  ann: ToolAnnotations;
  args: Record<string, unknown>;
  effect: 'allow' | 'ask' | 'deny';
  rule: string;
  server?: string;
  intent?: string;
  confidence?: number;
  tainted?: boolean;
  recent?: number;
  conversationAllowed?: boolean;
  ignoreCase?: boolean;
  /** Its server's sandbox lets it reach nothing outside the computer. */
  offline?: boolean;
}

const c = (tool: string, ann: ToolAnnotations, args: Record<string, unknown>, effect: Case['effect'], rule: string, extra: Partial<Case> = {}): Case => ({ tool, ann, args, effect, rule, ...extra });
const w = (path: string, effect: Case['effect'], rule: string, extra: Partial<Case> = {}) => c('fs.write', A.write, { path, content: 'x' }, effect, rule, extra);
const r = (path: string, effect: Case['effect'], rule: string, extra: Partial<Case> = {}) => c('fs.read', A.read, { path }, effect, rule, extra);
const f = (url: string, effect: Case['effect'], rule: string, extra: Partial<Case> = {}) => c('web.fetch', A.fetch, { url }, effect, rule, extra);

const cases: Case[] = [
  // defaults
  c('fs.list', A.read, {}, 'allow', 'default.read-only'),
  c('other.read', A.read, { q: 1 }, 'allow', 'default.read-only'),
  c('other.tool', A.none, {}, 'ask', 'default.mutating'),
  c('other.write', A.write, {}, 'ask', 'default.mutating'),
  c('other.safe', A.safeWrite, {}, 'ask', 'default.mutating'),
  c('plain', { readOnlyHint: false }, {}, 'ask', 'default.mutating'),
  c('hinted', { destructiveHint: false }, {}, 'ask', 'default.mutating'),
  c('odd', { readOnlyHint: undefined }, {}, 'ask', 'default.mutating'),
  // an argument name with glob characters: in a deny rule any argument so named, in an allow rule every one
  c('pattern.read', A.read, { source_path: 'a.md', target_path: 'id.key' }, 'deny', 'deny.named-keys'),
  c('pattern.read', A.read, { source_path: 'a.md' }, 'allow', 'default.read-only'),
  c('pattern.read', A.read, { path: 'id.key' }, 'allow', 'default.read-only'), // "path" is not "*_path"
  c('pattern.copy', A.write, { from: 'notes/a.md', to: 'notes/b.md' }, 'allow', 'allow.named-notes'),
  c('pattern.copy', A.write, { from: 'notes/a.md', to: 'drafts/b.md' }, 'ask', 'default.mutating'),
  c('pattern.copy', A.write, {}, 'ask', 'default.mutating'),
  // paths inside the workspace
  w('notes/todo.md', 'allow', 'allow.notes'),
  w('notes/deep/er/x.md', 'allow', 'allow.notes'),
  w('./notes/todo.md', 'allow', 'allow.notes'),
  w('notes/../notes/todo.md', 'allow', 'allow.notes'),
  w('other/../notes/a.md', 'allow', 'allow.notes'),
  w('to-notes/a.md', 'ask', 'default.mutating'), // an alias through a link never widens an allow
  w(join(workspace, 'notes', 'abs.md'), 'allow', 'allow.notes'),
  w('notes', 'allow', 'allow.notes'),
  w('todo.md', 'ask', 'default.mutating'),
  w('notesX/a.md', 'ask', 'default.mutating'),
  w('notes-old/a.md', 'ask', 'default.mutating'),
  w('Notes/a.md', 'ask', 'default.mutating'),
  w('NOTES/a.md', 'ask', 'default.mutating'),
  w('Notes/a.md', 'allow', 'allow.notes', { ignoreCase: true }),
  w('notes/../todo.md', 'ask', 'default.mutating'),
  // paths that lead out: .., absolute, symlinks (also dangling)
  w('../outside/x', 'deny', 'deny.outside'),
  w('notes/../../outside/x', 'deny', 'deny.outside'),
  w('../../etc/passwd', 'deny', 'deny.outside'),
  w('/etc/passwd', 'deny', 'deny.outside'),
  w(join(outside, 'x'), 'deny', 'deny.outside'),
  w('link-out/secret.txt', 'deny', 'deny.outside'),
  w('link-out/new.txt', 'deny', 'deny.outside'),
  w('notes/escape/secret.txt', 'deny', 'deny.outside'),
  w('notes/escape/../escape/a', 'deny', 'deny.outside'),
  w('notes/dangling', 'deny', 'deny.outside'),
  w('notes/dangling/more', 'deny', 'deny.outside'),
  w(`${workspace}/../outside/x`, 'deny', 'deny.outside'),
  w(`${workspace}X/a`, 'deny', 'deny.outside'),
  r('../outside/secret.txt', 'deny', 'deny.outside'),
  r('link-out/secret.txt', 'deny', 'deny.outside'),
  r('/etc/hosts', 'deny', 'deny.outside'),
  r('notes/escape/secret.txt', 'deny', 'deny.outside'),
  r('notes/a.md', 'allow', 'default.read-only'),
  r('to-notes/a.md', 'allow', 'default.read-only'),
  c('fs.list', A.read, { path: '..' }, 'deny', 'deny.outside'),
  c('fs.list', A.read, { path: 'link-out' }, 'deny', 'deny.outside'),
  c('fs.list', A.read, { path: '.' }, 'allow', 'default.read-only'),
  c('fs.write', A.write, { path: ['notes/a', '../x'], content: '' }, 'deny', 'deny.outside'),
  c('fs.write', A.write, { path: ['notes/a', 'notes/b'], content: '' }, 'allow', 'allow.notes'),
  c('fs.write', A.write, { path: ['notes/a', 'todo.md'], content: '' }, 'ask', 'default.mutating'),
  c('fs.write', A.write, { path: 42, content: '' }, 'deny', 'deny.secrets'),
  c('fs.write', A.write, { path: '', content: '' }, 'deny', 'deny.secrets'),
  c('fs.write', A.write, { path: 'notes/a\0b', content: '' }, 'deny', 'deny.secrets'),
  c('fs.write', A.write, { content: 'no path' }, 'ask', 'default.mutating'),
  // secrets globs: any case, symlinks, nested
  w('.env', 'deny', 'deny.secrets'),
  w('.ENV', 'deny', 'deny.secrets'),
  // an argument is the same argument in any case: a tool's `Path` is held to the rules for `path`
  c('other.read', A.read, { Path: '.env' }, 'deny', 'deny.secrets'),
  c('other.read', A.read, { PATH: `file://${workspace}/.env` }, 'deny', 'deny.secrets'),
  c('other.write', A.write, { path: 'notes/a.md', Path: '.env', content: 'x' }, 'deny', 'deny.secrets'),
  c('fs.write', A.write, { path: 'notes/a.md', PATH: 'drafts/b.md', content: 'x' }, 'ask', 'default.mutating'), // an allow holds for every spelling or not at all
  w('notes/.env', 'deny', 'deny.secrets'),
  w('notes/.Env', 'deny', 'deny.secrets'),
  w('a/b/c/.env', 'deny', 'deny.secrets'),
  w('notes/key.pem', 'deny', 'deny.secrets'),
  w('notes/KEY.PEM', 'deny', 'deny.secrets'),
  w('notes/../.env', 'deny', 'deny.secrets'),
  w('to-notes/.env', 'deny', 'deny.secrets'),
  w('.ssh/id_rsa', 'deny', 'deny.secrets'),
  r('.env', 'deny', 'deny.secrets'),
  r('notes/server.pem', 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: '.env' }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: ['ok.txt', 'x/.env'] }, 'deny', 'deny.secrets'),
  // a "**/" glob of a deny rule also holds outside the workspace (an MCP server's own folders); a plain one does not
  c('any.tool', A.read, { path: join(outside, '.env') }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: join(outside, 'deploy', 'key.pem') }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: join(outside, '.ssh', 'id_rsa') }, 'allow', 'default.read-only'),
  // a file: URI (a resource's uri) is matched as the path it names, and as written; a malformed one as no path
  c('any.tool', A.read, { path: `file://${workspace}/.env` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://${outside}/.env` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `FILE://${outside}/deploy/key.pem` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://${outside}/.%65nv` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://${outside}/a/%2e%2e/.env` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://${outside}/a/..%2f.env` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://${outside}/%zz/.%65nv` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://localhost${outside}/.env` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://elsewhere${outside}/.env` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: ` fi\tle://${outside}/.env` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: [`file://${outside}/ok.txt`, `file://${outside}/.env`] }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://${outside}/%00.txt` }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: 'file://[broken/.txt' }, 'deny', 'deny.secrets'),
  c('any.tool', A.read, { path: `file://${outside}/notes.txt` }, 'allow', 'default.read-only'),
  c('any.tool', A.read, { path: 'https://example.com/readme' }, 'allow', 'default.read-only'),
  r(`file://${outside}/secret.txt`, 'deny', 'deny.outside'),
  r(`file://${workspace}/link-out/secret.txt`, 'deny', 'deny.outside'),
  w(`file://${workspace}/notes/a.md`, 'ask', 'default.mutating'), // read as written it is no file in notes: never widens an allow
  w(`file://${workspace}/.git/config`, 'ask', 'ask.git'),
  w('notes/env', 'allow', 'allow.notes'),
  w('notes/.envrc', 'allow', 'allow.notes'),
  w('notes/pem.txt', 'allow', 'allow.notes'),
  // .git asks (class mutating)
  w('.git/config', 'ask', 'ask.git'),
  w('.git/hooks/pre-commit', 'ask', 'ask.git'),
  w('.GIT/config', 'ask', 'ask.git'),
  r('.git/config', 'allow', 'default.read-only'),
  c('other.tool', A.none, { path: '.git/HEAD' }, 'ask', 'ask.git'),
  // the person's always-allow rule
  w('drafts/a.md', 'allow', 'user.drafts'),
  w('drafts/b.md', 'allow', 'user.drafts'),
  w('drafts/../drafts/c.md', 'allow', 'user.drafts'),
  w('drafts/sub/c.md', 'ask', 'default.mutating'),
  w('drafts/a.txt', 'ask', 'default.mutating'),
  w('Drafts/a.md', 'ask', 'default.mutating'),
  w('drafts/.env', 'deny', 'deny.secrets'),
  // URLs: allowlist, userinfo, IP literals, IDN, case, ports, trailing dots
  f('https://docs.example.com/guide', 'allow', 'allow.fetch-docs'),
  f('https://DOCS.EXAMPLE.COM/guide', 'allow', 'allow.fetch-docs'),
  f('https://docs.example.com./guide', 'allow', 'allow.fetch-docs'),
  f('https://docs.example.com:8443/x', 'allow', 'allow.fetch-docs'),
  f('https://user:pw@docs.example.com/x', 'allow', 'allow.fetch-docs'),
  f('https://a.trusted.org/x', 'allow', 'allow.fetch-docs'),
  f('https://a.b.trusted.org/x', 'allow', 'allow.fetch-docs'),
  f('https://trusted.org/x', 'allow', 'allow.fetch-docs'),
  f('https://bücher.de/', 'allow', 'allow.fetch-docs'),
  f('https://xn--bcher-kva.de/', 'allow', 'allow.fetch-docs'),
  f('https://BÜCHER.de/', 'allow', 'allow.fetch-docs'),
  f('https://example.com/', 'ask', 'ask.fetch-other'),
  f('https://docs.example.com.attacker.net/', 'ask', 'ask.fetch-other'),
  f('https://docs.example.com@attacker.net/', 'ask', 'ask.fetch-other'),
  f('https://attacker.net/?docs.example.com', 'ask', 'ask.fetch-other'),
  f('https://attacker.net/#@docs.example.com', 'ask', 'ask.fetch-other'),
  f('https://nottrusted.org/', 'ask', 'ask.fetch-other'),
  f('https://trusted.org.evil.net/', 'ask', 'ask.fetch-other'),
  f('https://bucher.de/', 'ask', 'ask.fetch-other'),
  f('not a url', 'ask', 'ask.fetch-other'),
  f('', 'ask', 'ask.fetch-other'),
  f('javascript:alert(1)', 'ask', 'ask.fetch-other'),
  f('file:///etc/passwd', 'ask', 'ask.fetch-other'),
  c('web.fetch', A.fetch, { url: 12 }, 'ask', 'ask.fetch-other'),
  c('web.fetch', A.fetch, {}, 'allow', 'default.read-only'),
  f('https://evil.com/', 'deny', 'deny.fetch-evil'),
  f('https://EVIL.com/', 'deny', 'deny.fetch-evil'),
  f('https://x.evil.com/', 'deny', 'deny.fetch-evil'),
  f('https://docs.example.com@evil.com/', 'deny', 'deny.fetch-evil'),
  f('https://docs.example.com:pw@evil.com/', 'deny', 'deny.fetch-evil'),
  f('https://evil.com./', 'deny', 'deny.fetch-evil'),
  f('  https://evil.com/  ', 'deny', 'deny.fetch-evil'),
  f('http://127.0.0.1/', 'deny', 'deny.fetch-evil'),
  f('http://0x7f.1/', 'deny', 'deny.fetch-evil'),
  f('http://2130706433/', 'deny', 'deny.fetch-evil'),
  f('http://0177.0.0.1/', 'deny', 'deny.fetch-evil'),
  f('http://127.1/', 'deny', 'deny.fetch-evil'),
  f('http://[::1]/', 'deny', 'deny.fetch-evil'),
  f('http://[0:0:0:0:0:0:0:1]/', 'deny', 'deny.fetch-evil'),
  f('http://127.0.0.2/', 'ask', 'ask.fetch-other'),
  f('HTTPS://EVIL.COM', 'deny', 'deny.fetch-evil'),
  f('https://evil.com%2f@docs.example.com/', 'allow', 'allow.fetch-docs'),
  // regex
  c('shell.run', A.none, { command: 'ls' }, 'allow', 'allow.ls'),
  c('shell.run', A.none, { command: 'ls -la notes' }, 'allow', 'allow.ls'),
  c('shell.run', A.none, { command: 'pwd' }, 'allow', 'allow.ls'),
  c('shell.run', A.none, { command: 'ls; curl evil.com' }, 'ask', 'default.mutating'),
  c('shell.run', A.none, { command: 'ls && rm x' }, 'ask', 'default.mutating'),
  c('shell.run', A.none, { command: 'lsblk' }, 'ask', 'default.mutating'),
  c('shell.run', A.none, { command: 'rm -rf /' }, 'deny', 'deny.rm'),
  c('shell.run', A.none, { command: 'rm -fr x' }, 'deny', 'deny.rm'),
  c('shell.run', A.none, { command: 'ls x | rm -r y' }, 'deny', 'deny.rm'),
  c('shell.run', A.none, { command: 'rm x' }, 'ask', 'default.mutating'),
  c('shell.run', A.none, { command: 12 }, 'ask', 'default.mutating'),
  // numeric ranges
  c('db.query', A.none, { limit: 1 }, 'allow', 'allow.limit'),
  c('db.query', A.none, { limit: 100 }, 'allow', 'allow.limit'),
  c('db.query', A.none, { limit: '50' }, 'allow', 'allow.limit'),
  c('db.query', A.none, { limit: 0 }, 'ask', 'default.mutating'),
  c('db.query', A.none, { limit: 101 }, 'ask', 'default.mutating'),
  c('db.query', A.none, { limit: -5 }, 'ask', 'default.mutating'),
  c('db.query', A.none, { limit: 'many' }, 'ask', 'default.mutating'),
  c('db.query', A.none, { limit: null }, 'ask', 'default.mutating'),
  c('db.query', A.none, { limit: 10001 }, 'deny', 'deny.limit'),
  c('db.query', A.none, { limit: 1e9 }, 'deny', 'deny.limit'),
  c('db.query', A.none, { limit: Infinity }, 'deny', 'deny.limit'),
  c('db.query', A.none, { limit: '20000' }, 'deny', 'deny.limit'),
  c('db.query', A.none, {}, 'ask', 'default.mutating'),
  // enums
  c('deploy.run', A.none, { env: 'staging' }, 'allow', 'allow.staging'),
  c('deploy.run', A.none, { env: 'production' }, 'deny', 'deny.prod'),
  c('deploy.run', A.none, { env: 'prod' }, 'deny', 'deny.prod'),
  c('deploy.run', A.none, { env: 'Staging' }, 'ask', 'default.mutating'),
  c('deploy.run', A.none, { env: ['staging'] }, 'allow', 'allow.staging'),
  c('deploy.run', A.none, { env: ['staging', 'production'] }, 'deny', 'deny.prod'),
  c('deploy.run', A.none, { env: 'dev' }, 'ask', 'default.mutating'),
  // servers and tool classes
  c('any.tool', A.read, {}, 'deny', 'deny.untrusted-server', { server: 'untrusted-1' }),
  c('any.tool', A.write, {}, 'deny', 'deny.untrusted-server', { server: 'untrusted-x' }),
  c('any.tool', A.read, {}, 'allow', 'default.read-only', { server: 'trusted-1' }),
  c('github.create_issue', A.none, {}, 'ask', 'ask.github-mutating', { server: 'github' }),
  c('github.get_issue', A.read, {}, 'allow', 'allow.github-read', { server: 'github' }),
  c('github.get_issue', A.read, {}, 'allow', 'default.read-only', { server: 'gitlab' }),
  c('danger.drop', A.none, {}, 'ask', 'ask.destructive'),
  c('danger.soft', A.safeWrite, {}, 'ask', 'default.mutating'),
  c('mcp_files_read', A.read, {}, 'allow', 'allow.mcp-any-read'),
  c('mcp_files_write', A.write, {}, 'ask', 'default.mutating'),
  c('multi.a', A.write, {}, 'allow', 'allow.list'),
  c('multi.b', A.write, {}, 'allow', 'allow.list'),
  c('multi.c', A.write, {}, 'ask', 'default.mutating'),
  // intent and confidence
  c('email.send', A.none, {}, 'allow', 'allow.email-confident', { intent: 'email', confidence: 0.9 }),
  c('email.send', A.none, {}, 'allow', 'allow.email-confident', { intent: 'email', confidence: 0.8 }),
  c('email.send', A.none, {}, 'ask', 'default.mutating', { intent: 'email', confidence: 0.79 }),
  c('email.send', A.none, {}, 'ask', 'default.mutating', { intent: 'chat', confidence: 0.95 }),
  c('email.send', A.none, {}, 'deny', 'deny.email-unsure', { intent: 'email', confidence: 0.2 }),
  c('email.send', A.none, {}, 'deny', 'deny.email-unsure'),
  c('email.send', A.none, {}, 'deny', 'deny.email-unsure', { intent: 'email', confidence: Number.NaN }),
  c('email.send', A.none, {}, 'deny', 'deny.email-unsure', { intent: 'email', confidence: 7 }),
  c('email.draft', A.none, {}, 'ask', 'default.mutating', { confidence: 0.5 }),
  // taint
  c('vault.read', A.read, {}, 'allow', 'default.read-only'),
  c('vault.read', A.read, {}, 'deny', 'deny.secrets-tainted', { tainted: true }),
  w('notes/a.md', 'ask', 'taint.override', { tainted: true }),
  w('drafts/a.md', 'ask', 'taint.override', { tainted: true }),
  w('.env', 'deny', 'deny.secrets', { tainted: true }),
  f('https://docs.example.com/', 'ask', 'taint.override', { tainted: true }),
  f('https://evil.com/', 'deny', 'deny.fetch-evil', { tainted: true }),
  r('notes/a.md', 'allow', 'default.read-only', { tainted: true }),
  c('shell.run', A.none, { command: 'ls' }, 'ask', 'taint.override', { tainted: true }),
  c('deploy.run', A.none, { env: 'staging' }, 'ask', 'taint.override', { tainted: true }),
  c('other.tool', A.none, {}, 'ask', 'default.mutating', { tainted: true }),
  c('other.write', A.write, {}, 'ask', 'taint.override', { tainted: true, conversationAllowed: true }),
  // a read-only tool that does not say it stays local is open-world, unless its sandbox seals it off the network
  c('lookup.search', { readOnlyHint: true }, { q: 'x' }, 'ask', 'taint.override', { tainted: true }),
  c('lookup.search', { readOnlyHint: true }, { q: 'x' }, 'allow', 'default.read-only', { tainted: true, offline: true }),
  c('lookup.search', A.fetch, { q: 'x' }, 'allow', 'default.read-only', { tainted: true, offline: true }),
  c('lookup.edit', { readOnlyHint: false, openWorldHint: false }, {}, 'allow', 'conversation.allowed', { conversationAllowed: true, offline: true }),
  c('lookup.edit', {}, {}, 'ask', 'taint.override', { tainted: true, conversationAllowed: true, offline: true }), // it still changes things
  // conversation allowance
  c('other.write', A.write, {}, 'allow', 'conversation.allowed', { conversationAllowed: true }),
  w('.git/x', 'ask', 'ask.git', { conversationAllowed: true }),
  w('../x', 'deny', 'deny.outside', { conversationAllowed: true }),
  // rate limits
  w('notes/a.md', 'allow', 'allow.notes', { recent: 2 }),
  w('notes/a.md', 'ask', 'ask.write-rate', { recent: 3 }),
  w('notes/a.md', 'ask', 'ask.write-rate', { recent: 100 }),
  w('../x', 'deny', 'deny.outside', { recent: 100 }),
  // presence
  c('http.post', A.none, { body: 'x' }, 'deny', 'deny.body'),
  c('http.post', A.none, { body: null }, 'deny', 'deny.body'),
  c('http.post', A.none, {}, 'ask', 'default.mutating'),
  // precedence: deny beats ask beats allow; the first of equals wins
  c('order.test', A.none, {}, 'allow', 'allow.order-a'),
  c('order.test', A.none, { x: 1 }, 'deny', 'deny.order-b'),
  c('order.test', A.none, { x: 2 }, 'ask', 'ask.order-c'),
  c('order.test', A.none, { x: 3 }, 'allow', 'allow.order-a'),
  c('order.test', A.read, { x: 1 }, 'deny', 'deny.order-b'),
];

function decide(k: Case) {
  const input: PolicyInput = {
    tool: { name: k.tool, annotations: k.ann, ...(k.offline ? { offline: true } : {}) },
    arguments: k.args,
    ...(k.server ? { server: k.server } : {}),
    ...(k.intent ? { intent: k.intent } : {}),
    ...(k.confidence !== undefined ? { confidence: k.confidence } : {}),
    ...(k.tainted ? { taint: [{ description: 'web content from news.example' }] } : {}),
    ...(k.conversationAllowed ? { conversationAllowed: true } : {}),
    recentCalls: () => k.recent ?? 0,
  };
  return (k.ignoreCase ? engineIgnoreCase : engine).evaluate(input);
}

describe('policy decision table', () => {
  it('has at least 150 cases', () => expect(cases.length).toBeGreaterThanOrEqual(150));
  it.each(cases.map((k, i) => [`${i} ${k.tool} ${JSON.stringify(k.args)}${k.tainted ? ' tainted' : ''} → ${k.effect} by ${k.rule}`, k] as const))('%s', (_name, k) => {
    const decision = decide(k);
    expect({ effect: decision.effect, rule: decision.ruleId }).toEqual({ effect: k.effect, rule: k.rule });
    expect(decision.reason.length).toBeGreaterThan(0);
  });
  it('a tainted decision names the source', () => {
    const decision = decide(w('notes/a.md', 'ask', 'taint.override', { tainted: true }));
    expect(decision.reason).toContain('news.example');
    expect(decision.reason).toContain('allow.notes');
  });
  it("a call outside the turn's route that can change things asks where a rule would allow it, unless the person allowed it already; reading runs; a deny stays a deny", () => {
    const outsideRoute = 'This request was understood as "files.read"; fs.write is outside that, so it asks you first.';
    const call = (path: string, extra: Partial<PolicyInput> = {}) => engine.evaluate({ tool: { name: 'fs.write', annotations: {} }, arguments: { path }, outsideRoute, ...extra });
    expect(call('notes/a.md')).toEqual({ effect: 'ask', ruleId: 'route.outside', reason: outsideRoute });
    expect(call('drafts/a.md')).toMatchObject({ effect: 'allow', ruleId: 'user.drafts' }); // an "always allow" of the person's own
    expect(engine.evaluate({ tool: { name: 'fs.delete', annotations: {} }, arguments: { path: 'x' }, outsideRoute, conversationAllowed: true })).toMatchObject({ effect: 'allow', ruleId: 'conversation.allowed' });
    expect(engine.evaluate({ tool: { name: 'fs.read', annotations: { readOnlyHint: true, openWorldHint: false } }, arguments: { path: 'notes/a.md' }, outsideRoute })).toMatchObject({ effect: 'allow', ruleId: 'default.read-only' });
    expect(call('.env')).toMatchObject({ effect: 'deny', ruleId: 'deny.secrets' });
  });
});
