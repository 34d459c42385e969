import { describe, expect, it } from 'vitest';
import { startFailureText } from '../../src/main/start-failure-text';
import { AppError } from '../../src/shared/errors';

describe("the desktop app's could-not-start box", () => {
  it('for a damaged database, says only what its error says to do (salvage it), not that the folder may not be writable', () => {
    const damaged = new AppError('DATABASE_CORRUPT', 'The database at /d/portcullis.db is damaged (…). Run `portcullis db salvage --data-dir /d` to keep every row that can still be read.');
    expect(startFailureText(damaged, '/d')).toBe(`${damaged.message}\n\nIts data folder is /d.`);
  });

  it('for another failure, adds what to check', () => {
    expect(startFailureText(new AppError('DATABASE_ERROR', 'Could not open it.'), '/d')).toMatch(/^Could not open it\.\n\nIts data folder is \/d\. Check that the folder is writable/);
  });
});
