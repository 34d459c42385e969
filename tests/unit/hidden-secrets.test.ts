import { describe, expect, it } from 'vitest';
import { hiddenSecrets } from '../../src/shared/hidden-secrets';

const readable = [{ path: '/home/me/ws', from: 'workspace' as const }];

describe("the workspace's secret files hidden from a server, as its row says them", () => {
  it('counts them and names each as a path in the workspace, with those its allowRead gives back', () => {
    expect(hiddenSecrets({ readable, workspaceSecrets: { hidden: ['/home/me/ws/sub/.env.local', '/home/me/ws/key.pem'], allowed: ['/home/me/ws/.env'], complete: true } })).toEqual({
      summary: '2 secret files in the workspace',
      hidden: ['sub/.env.local', 'key.pem'],
      allowed: ['.env'],
    });
    expect(hiddenSecrets({ readable, workspaceSecrets: { hidden: ['/home/me/ws/.env'], allowed: [], complete: true } })?.summary).toBe('1 secret file in the workspace');
  });

  it('says nothing when there are none, and says when the look stopped at its limit', () => {
    expect(hiddenSecrets({ readable, workspaceSecrets: { hidden: [], allowed: [], complete: true } })).toBeNull();
    expect(hiddenSecrets({ readable, workspaceSecrets: { hidden: ['/home/me/ws/.env'], allowed: [], complete: false } })?.summary).toBe(
      '1 secret file (the look stopped at its limit: deeper ones may be readable) in the workspace',
    );
  });
});
