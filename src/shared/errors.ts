/**
 * One error type for the whole app. Errors cross process and network boundaries as plain
 * `WireError` objects and are rebuilt on the other side; class instances never travel.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_CHANNEL'
  | 'NOT_FOUND'
  | 'TURN_IN_PROGRESS'
  | 'TURN_STOPPED'
  | 'BUDGET_EXCEEDED'
  | 'TOOL_NOT_FOUND'
  | 'TOOL_HELD_BACK'
  | 'TOOL_ARGUMENTS_INVALID'
  | 'TOOL_FAILED'
  | 'TOOL_TIMEOUT'
  | 'WORKER_CRASHED'
  | 'PATH_OUTSIDE_WORKSPACE'
  | 'POLICY_DENIED'
  | 'APPROVAL_REJECTED'
  | 'APPROVAL_TIMEOUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'DATABASE_ERROR'
  | 'DATABASE_CORRUPT'
  | 'STORAGE_FULL'
  | 'MODEL_UNAVAILABLE'
  | 'MODEL_OUTPUT_INVALID'
  | 'MODEL_CONTEXT_EXCEEDED'
  | 'SECRET_MISSING'
  | 'MCP_SERVER_UNAVAILABLE'
  | 'TOOL_CIRCUIT_OPEN'
  | 'TOOL_BUSY'
  | 'TOOL_CANCELLED'
  | 'TOOL_INTERRUPTED'
  | 'INTERNAL';

export interface WireError {
  code: ErrorCode;
  message: string;
  data?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly data: unknown;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; data?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.data = options.data;
  }

  toWire(): WireError {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  static fromWire(wire: WireError): AppError {
    return new AppError(wire.code, wire.message, { data: wire.data });
  }
}

export class ValidationError extends AppError {
  constructor(message: string, data?: unknown) {
    super('VALIDATION_FAILED', message, { data });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class PolicyDeniedError extends AppError {
  constructor(message: string, data?: unknown) {
    super('POLICY_DENIED', message, { data });
  }
}

export class ApprovalRejectedError extends AppError {
  constructor(message: string, data?: unknown) {
    super('APPROVAL_REJECTED', message, { data });
  }
}

export class ToolTimeoutError extends AppError {
  constructor(message: string) {
    super('TOOL_TIMEOUT', message);
  }
}

/** Turns anything thrown into a wire error without leaking stack traces or internals. */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return error.toWire();
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside Portcullis. The details are in the log; please try again.',
  };
}

/** What went wrong, in one line: an Error's message, or anything else thrown as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
