import { describe, expect, it } from 'vitest';
import { REQUEST_CHANNELS } from '../../src/shared/api/channels';
import type { RequestHandlers } from '../../src/shared/api/contract';
import { AppError } from '../../src/shared/errors';
import { refuseChangesWhileUnkept } from '../../src/core/api/kept-changes';

describe('requests once nothing more can be kept (the data folder is gone)', () => {
  const ran: string[] = [];
  const handlers = Object.fromEntries(REQUEST_CHANNELS.map((channel) => [channel, async () => void ran.push(channel)])) as unknown as RequestHandlers;
  let gone: AppError | null = null;
  const guarded = refuseChangesWhileUnkept(handlers, () => gone);

  it('refuses what adds or changes something kept, with why; lets reads and what takes something away run', async () => {
    await guarded['conversations.create']({});
    expect(ran).toEqual(['conversations.create']);
    gone = new AppError('DATABASE_ERROR', 'The data folder /d was deleted while Portcullis was running.');
    await expect(guarded['conversations.create']({})).rejects.toBe(gone);
    await expect(guarded['models.set']({ selection: { provider: 'builtin' } } as never)).rejects.toBe(gone);
    await expect(guarded['tools.controlServer']({ name: 's', action: 'enable' })).rejects.toBe(gone);
    await expect(guarded['tools.setToolEnabled']({ name: 's.t', enabled: true })).rejects.toBe(gone);
    await guarded['tools.controlServer']({ name: 's', action: 'restart' });
    await guarded['tools.controlServer']({ name: 's', action: 'signOut' });
    await guarded['tools.setToolEnabled']({ name: 's.t', enabled: false });
    await guarded['apiKeys.revoke']({ id: 'k' } as never);
    await guarded['conversations.list']({});
    expect(ran).toEqual(['conversations.create', 'tools.controlServer', 'tools.controlServer', 'tools.setToolEnabled', 'apiKeys.revoke', 'conversations.list']);
  });
});
