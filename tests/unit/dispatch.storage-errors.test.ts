import { describe, expect, it } from 'vitest';
import { dispatchRequest } from '../../src/core/api/dispatch';
import type { RequestHandlers } from '../../src/shared/api/contract';
import { fullDiskError } from '../helpers/full-disk';

describe('dispatchRequest on a failing disk', () => {
  it('says the disk is full, whichever store was writing, not that something went wrong inside Portcullis', async () => {
    // conversations.create wrote through a store that does not word storage errors itself (a new chat on a full disk).
    const handlers = { 'conversations.create': async () => { throw fullDiskError(); } } as unknown as RequestHandlers;
    const result = await dispatchRequest(handlers, 'conversations.create', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL', message: expect.stringMatching(/disk is full.*Everything saved before is intact/) } });
  });

  it('still hides what is not a storage error', async () => {
    const handlers = { 'conversations.create': async () => { throw new TypeError('x is undefined'); } } as unknown as RequestHandlers;
    expect(await dispatchRequest(handlers, 'conversations.create', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
