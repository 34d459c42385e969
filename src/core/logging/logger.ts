import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Redactor } from '../redaction/redactor';
import { RotatingFile } from './rotating-file';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** The data dir; logs go to `<dataDir>/logs/portcullis.log` (+ `.1` … rotated). */
  dataDir: string;
  redactor: Redactor;
  level?: pino.LevelWithSilent;
  maxBytes?: number;
  maxFiles?: number;
  /** Told once each time the log file stops being writable (default: standard error). */
  onProblem?: (problem: string) => void;
}

export interface FileLogger {
  logger: Logger;
  file: string;
  close(): void;
}

/**
 * Structured JSON logs (pino) to rotating files in the data dir. Every line passes through the redactor as its
 * last step, so a secret in any field, message or error is masked before it reaches the disk.
 */
export function createFileLogger(options: LoggerOptions): FileLogger {
  // Where the log cannot be written, the person is told on standard error, and Portcullis goes on.
  const file = new RotatingFile(
    { dir: join(options.dataDir, 'logs'), name: 'portcullis.log', maxBytes: options.maxBytes, maxFiles: options.maxFiles },
    options.onProblem ?? ((problem) => console.error(problem)),
  );
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { app: 'portcullis' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: (line: string) => options.redactor.redactText(line) },
    },
    { write: (line: string) => file.write(line) },
  );
  return { logger, file: file.file, close: () => file.close() };
}
