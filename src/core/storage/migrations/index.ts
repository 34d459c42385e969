import { migration001 } from './001-conversations-and-messages';
import { migration002 } from './002-tool-calls-and-approvals';
import { migration003 } from './003-spans-and-message-traces';
import { migration004 } from './004-settings';
import { migration008 } from './008-telemetry';
import type { Migration } from './migration';

/** Every migration in order; version N is at index N−1. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration008];

export const LATEST_SCHEMA_VERSION = migrations.length;
