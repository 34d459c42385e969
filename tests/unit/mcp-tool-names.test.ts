import { describe, expect, it } from 'vitest';
import { absentToolName, inClientNames, mcpToolNames, notFoundInClientNames } from '../../src/server/mcp-tool-names';

describe("the names /mcp gives Portcullis' tools", () => {
  it('are names the model APIs behind MCP clients take, each one its own, and lead back to the tool', () => {
    const long = `server.${'x'.repeat(80)}`;
    const names = mcpToolNames(['fs.read', 'everything.get-tiny_image', 'a.b_c', 'a_b.c', 'weird.tool/with spaces', long, 'plain_name']);
    expect([...names.toClient.values()]).toEqual([
      'fs_read', 'everything_get-tiny_image', 'a_b_c', 'a_b_c_2', 'weird_tool_with_spaces', expect.stringMatching(/^server_x{48}_[0-9a-f]{8}$/), 'plain_name',
    ]);
    for (const [portcullis, client] of names.toClient) {
      expect(client).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(names.fromClient.get(client)).toBe(portcullis);
    }
  });

  it('are the ones a refusal names, so the client can call what it is told to', () => {
    const names = mcpToolNames(['fs.read', 'fs.write', 'chaos.echo']);
    expect(inClientNames('There is no tool named "chaos.ecko". Did you mean chaos.echo? Available tools: fs.read, fs.write, chaos.echo.', names))
      .toBe('There is no tool named "chaos.ecko". Did you mean chaos_echo? Available tools: fs_read, fs_write, chaos_echo.');
  });

  it('suggest, for a mistyped client name, the client name nearest it', () => {
    const names = mcpToolNames(['fs.read', 'fs.write']);
    const refusal = 'TOOL_NOT_FOUND: There is no tool named "fs_wrte". Available tools: fs.read, fs.write.';
    expect(notFoundInClientNames(refusal, 'fs_wrte', names)).toBe('TOOL_NOT_FOUND: There is no tool named "fs_wrte". Did you mean fs_write? Available tools: fs_read, fs_write.');
    // The gateway's own guess, in its names, gives way to the client's.
    expect(notFoundInClientNames('TOOL_NOT_FOUND: There is no tool named "fs.wrte". Did you mean fs.write? Available tools: fs.read, fs.write.', 'fs.wrte', names))
      .toBe('TOOL_NOT_FOUND: There is no tool named "fs.wrte". Did you mean fs_write? Available tools: fs_read, fs_write.');
  });

  it('lead a client name of a tool not offered now back to the tool, so the gateway can say why it cannot run', () => {
    const tools = { offered: ['fs.read', 'chaos.echo', 'my_db.query'], absent: ['chaos.send_notes', 'web.fetch_page'], namespaces: ['chaos', 'web', 'down', 'my_db', 'my'] };
    // Held back or turned off: by the name it had.
    expect(absentToolName('chaos_send_notes', tools)).toBe('chaos.send_notes');
    expect(absentToolName('web_fetch_page', tools)).toBe('web.fetch_page');
    // A server that offers nothing now (down, turned off): any name in its namespace.
    expect(absentToolName('down_anything', tools)).toBe('down.anything');
    // A running server's unknown tool, an offered tool, a bare namespace, anything else: none.
    expect(absentToolName('chaos_ecko', tools)).toBeUndefined();
    expect(absentToolName('my_db_nope', tools)).toBeUndefined();
    expect(absentToolName('fs_read', tools)).toBeUndefined();
    expect(absentToolName('down_', tools)).toBeUndefined();
    expect(absentToolName('nothing_here', tools)).toBeUndefined();
  });
});
