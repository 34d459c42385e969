import { describe, expect, it } from 'vitest';
import { lastMeaningfulLine } from '../../src/core/mcp/stderr-reason';

describe("the line of a failed server's stderr that says why it stopped", () => {
  it.each([
    ['Docker, its help pointer after the reason', "docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\nSee 'docker run --help'.\n", 'docker: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'],
    [
      "Node, its stack, the error's fields and its version after the reason",
      "node:internal/modules/cjs/loader:1228\n  throw err;\n  ^\n\nError: Cannot find module '/srv/index.js'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)\n    at node:internal/main/run_main_module:28:49 {\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n\nNode.js v24.1.0\n",
      "Error: Cannot find module '/srv/index.js'",
    ],
    ['Python, its traceback before the reason', 'Traceback (most recent call last):\n  File "/srv/server.py", line 1, in <module>\n    import mcp\nModuleNotFoundError: No module named \'mcp\'\n', "ModuleNotFoundError: No module named 'mcp'"],
    ['a plain last line', 'starting\nlistening failed: EADDRINUSE', 'listening failed: EADDRINUSE'],
    ["Portcullis' own note after the program's words", "db: connection lost\nPortcullis dropped a message of the server's larger than the 10 MB that one JSON-RPC message may have (notifications/message), unread.\n", 'db: connection lost'],
  ])('%s', (_what, stderr, line) => expect(lastMeaningfulLine(stderr)).toBe(line));

  it('is null for nothing said', () => {
    expect(lastMeaningfulLine('')).toBeNull();
    expect(lastMeaningfulLine('\n  \n---\n')).toBeNull();
  });
});
