import { describe, expect, it } from 'vitest';
import type { ModelProvider } from '../../src/core/model/model-provider';
import { fullDiskError } from '../helpers/full-disk';
import { startTestRuntime } from '../helpers/test-runtime';

describe('a turn on a disk that fills up', () => {
  it('ends saying the disk is full and what to do, not "something went wrong inside Portcullis"', async () => {
    // A write in the middle of the turn (here, under the model step) fails as on a full disk.
    const model: ModelProvider = {
      id: 'writes', description: 'a step whose write fails',
      // eslint-disable-next-line require-yield
      async *stream() {
        throw fullDiskError();
      },
    };
    const { runtime } = startTestRuntime({ model });
    const { id } = await runtime.handlers['conversations.create']({});
    const outcome = await runtime.startTurn(id, 'hello').done;
    expect(outcome.error).toMatchObject({ code: 'STORAGE_FULL', message: expect.stringMatching(/disk is full.*the rest of this turn was not saved.*Everything saved before is intact/) });
  });
});
