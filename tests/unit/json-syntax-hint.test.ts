import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMcpConfig } from '../../src/core/mcp/mcp-config';
import { jsonSyntaxHint } from '../../src/shared/json-syntax-hint';
import { tempDir } from '../helpers/temp-dir';

describe('jsonSyntaxHint: the slips of a hand-edited config, with their line', () => {
  it('a comma after the last entry, of an array or an object, names the comma\'s line', () => {
    expect(jsonSyntaxHint('{\n  "args": ["-y", "pkg",\n  ]\n}')).toBe('line 2 ends its last entry with a comma before the ], which JSON does not allow: remove it');
    expect(jsonSyntaxHint('{\n  "a": 1,\n}')).toBe('line 2 ends its last entry with a comma before the }, which JSON does not allow: remove it');
  });

  it('a comma left out between two entries names the line it belongs at the end of', () => {
    // JSON.parse places this at the next entry ("line 7 column 5"), a line that is not wrong.
    expect(jsonSyntaxHint('{\n  "mcpServers": {\n    "everything": {\n      "command": "x"\n    }\n    "memory": {}\n  }\n}')).toBe(
      'line 5 ends an entry with no comma before the next one, which JSON needs: add a comma at its end',
    );
    expect(jsonSyntaxHint('{\n  "args": ["-y"\n    "pkg"]\n}')).toBe('line 2 ends an entry with no comma before the next one, which JSON needs: add a comma at its end');
    expect(jsonSyntaxHint('{\n  "timeoutMs": 30000\n  "enabled": true\n}')).toBe('line 2 ends an entry with no comma before the next one, which JSON needs: add a comma at its end');
    expect(jsonSyntaxHint('{ "a": true "b": [] }')).toBe('line 1 holds two entries with no comma between them, which JSON needs: add one after the first');
  });

  it('a comment and a typographic quote', () => {
    expect(jsonSyntaxHint('{\n  // my servers\n  "a": 1\n}')).toBe('line 2 holds a comment, which JSON does not allow: remove it');
    expect(jsonSyntaxHint('{ "a":\n \u201cx\u201d }')).toBe('line 2 holds a typographic quote, \u201c, where JSON takes only straight ones: type it as "');
  });

  it('none of those inside a string, nor in valid or otherwise broken text', () => {
    expect(jsonSyntaxHint('{ "url": "https://x.example/a,]", "q": "\u201cok\u201d", "e": "a\\",]" }')).toBeNull();
    expect(jsonSyntaxHint('[1, 2]')).toBeNull();
    expect(jsonSyntaxHint('{ "a": 1')).toBeNull();
    expect(jsonSyntaxHint('{ "a" "b" }')).toBeNull(); // a colon left out, not a comma
    expect(jsonSyntaxHint('{ "env": { "TOKEN": ghp_x1\n "B": "y" } }')).toBeNull(); // a value left unquoted, not a comma
    expect(jsonSyntaxHint('{"a": [{"b": 1}, {"c": [1, {"d": "e"}]}], "f": null}\n')).toBeNull();
  });

  it('mcp.json with a comma after its last argument says the line, where JSON.parse named none', () => {
    const file = join(tempDir(), 'mcp.json');
    writeFileSync(file, '{\n  "mcpServers": {\n    "memory": {\n      "command": "npx",\n      "args": ["-y", "@modelcontextprotocol/server-memory",]\n    }\n  }\n}\n');
    const { problems, unreadable } = loadMcpConfig(file);
    expect(unreadable).toBe(true);
    expect(problems).toEqual([`${file} is not valid JSON (line 5 ends its last entry with a comma before the ], which JSON does not allow: remove it); no MCP servers were started from it. Fix the file.`]);
  });

  it("mcp.json with a token pasted unquoted says where, never quoting the file's text around it", () => {
    const file = join(tempDir(), 'mcp.json');
    for (const text of ['{"mcpServers": {"gh": {"command": "x", "env": {"GITHUB_TOKEN": ghp_CANARY0secret0value}}}}', 'ghp_CANARY0secret0value']) {
      writeFileSync(file, text);
      const [problem] = loadMcpConfig(file).problems;
      expect(problem).toMatch(/is not valid JSON \((its mistake is at line 1, column \d+|it holds an unexpected character)\); no MCP servers/);
      expect(problem).not.toMatch(/ghp_|CANARY/);
    }
  });
});
