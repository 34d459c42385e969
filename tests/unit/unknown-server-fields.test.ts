import { describe, expect, it } from 'vitest';
import { unknownFieldNotes } from '../../src/core/mcp/unknown-server-fields';

describe('the fields of a server entry Portcullis does not know', () => {
  it('are each said with the field likely meant, a sandbox field written at the top too', () => {
    expect(unknownFieldNotes({ command: 'x', timeoutMS: 5000, envs: {}, sandox: false, allowedDomains: ['a.example'], colour: 'red' })).toEqual([
      '"timeoutMS" is not a field Portcullis knows, so it is not used: did you mean "timeoutMs"?',
      '"envs" is not a field Portcullis knows, so it is not used: did you mean "env"?',
      '"sandox" is not a field Portcullis knows, so it is not used: did you mean "sandbox"?',
      '"allowedDomains" is not a field Portcullis knows, so it is not used: did you mean "sandbox": { "allowedDomains": … }?',
      '"colour" is not a field Portcullis knows, so it is not used.',
    ]);
  });

  it('say the field meant by a short or other word for it, too far from it for a typo (Goose\'s cmd, "arg", "enviroment")', () => {
    expect(unknownFieldNotes({ cmd: 'npx', arg: ['-y'], enviroment: {}, Environment: {}, workingDirectory: '/', uri: 'https://x.example/mcp' })).toEqual([
      '"cmd" is not a field Portcullis knows, so it is not used: did you mean "command"?',
      '"arg" is not a field Portcullis knows, so it is not used: did you mean "args"?',
      '"enviroment" is not a field Portcullis knows, so it is not used: did you mean "env"?',
      '"Environment" is not a field Portcullis knows, so it is not used: did you mean "env"?',
      '"workingDirectory" is not a field Portcullis knows, so it is not used: did you mean "cwd"?',
      '"uri" is not a field Portcullis knows, so it is not used: did you mean "url"?',
    ]);
  });

  it("leave other hosts' fields and comments aside without a word, and know every field of Portcullis' own", () => {
    const cline = { command: 'x', disabled: false, autoApprove: [], timeout: 60, timeoutMs: 60_000, transportType: 'stdio', type: 'stdio' };
    const vsCode = { type: 'http', url: 'https://x.example/mcp', headers: {}, envFile: '.env', dev: { watch: '**' }, '//': 'mine' };
    const ours = { command: 'x', args: [], env: {}, cwd: '/', enabled: true, timeoutMs: 1, maxTotalTimeoutMs: 1, toolTimeouts: {}, startupTimeoutMs: 1, maxConcurrent: 1, maxQueued: 1, maxRetries: 1, breakerThreshold: 1, breakerCooldownMs: 1, elicitation: true, sampling: true, disabledTools: [], trustedOutput: false, sandbox: false, oauth: {} };
    expect([cline, vsCode, ours].map(unknownFieldNotes)).toEqual([[], [], []]);
  });

  it("say that Cline's timeout (seconds) is not used, with the timeoutMs in force and the one it meant, unless they agree", () => {
    expect(unknownFieldNotes({ command: 'x', timeout: 60, timeoutMs: 30_000 })).toEqual(['"timeout" (Cline\'s, in seconds) is not used: Portcullis reads "timeoutMs", in milliseconds (this server\'s: 30000); for 60 s: "timeoutMs": 60000.']);
    expect(unknownFieldNotes({ command: 'x', timeout: '60' })).toEqual(['"timeout" (Cline\'s, in seconds) is not used: Portcullis reads "timeoutMs", in milliseconds.']);
    expect(unknownFieldNotes({ command: 'x', timeout: 60, timeoutMs: 60_000 })).toEqual([]);
  });
});
