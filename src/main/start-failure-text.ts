import { AppError, messageOf } from '../shared/errors';

/**
 * What the desktop app's "could not start" box says. A damaged or newer database says what to do itself (salvage
 * it, restore a backup…); the advice about a folder that is not writable would send the person the wrong way.
 */
export function startFailureText(error: unknown, dataDir: string): string {
  const saysWhatToDo = error instanceof AppError && (error.code === 'DATABASE_CORRUPT' || /newer Portcullis/.test(error.message));
  return saysWhatToDo
    ? `${messageOf(error)}\n\nIts data folder is ${dataDir}.`
    : `${messageOf(error)}\n\nIts data folder is ${dataDir}. ` +
        'Check that the folder is writable and not used by another program, or start Portcullis with --data-dir=<another folder>.';
}
