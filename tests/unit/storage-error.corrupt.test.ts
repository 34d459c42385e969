import { describe, expect, it } from 'vitest';
import { toStorageError } from '../../src/core/storage/storage-error';
import { AppError } from '../../src/shared/errors';

describe('a write that finds the database damaged', () => {
  it('says to quit, and names the command that keeps every row that can still be read', () => {
    const error = toStorageError(Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }), 'the message');
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DATABASE_CORRUPT');
    expect((error as AppError).message).toBe(
      'The database is damaged, so the message was not saved. Quit Portcullis; at the next start it keeps a copy and explains what to do (`portcullis db salvage` keeps every row that can still be read).',
    );
  });
});
