import { describe, expect, it } from 'vitest';
import { refusedHostNames } from '../../src/core/sandbox/sandbox-command';

describe('the hosts a sandbox refused that the person could allow', () => {
  it('are the host names that only lacked a grant, once each', () => {
    expect(
      refusedHostNames([
        'deny network-outbound api.github.com:443 (host is not on the allow list)',
        'deny network-outbound API.github.com:80 (host is not on the allow list)',
        'deny network-outbound 10.0.0.5:22 (host is not on the allow list)', // an IP literal: not offered
        'deny network-outbound evil.example.com:443 (blocked by the administrator)', // a rule denies it
        'deny file-write /etc/passwd',
      ]),
    ).toEqual(['api.github.com']);
  });
});
