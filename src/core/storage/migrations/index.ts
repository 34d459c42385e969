import { migration001 } from './001-conversations-and-messages';
import { migration002 } from './002-tool-calls-and-approvals';
import { migration003 } from './003-spans-and-message-traces';
import { migration004 } from './004-settings';
import { migration005 } from './005-policy-rules-taint-and-audit';
import { migration006 } from './006-memories-and-search';
import { migration008 } from './008-telemetry';
import { migration009 } from './009-api-keys';
import { migration010 } from './010-spans-in-write-order';
import { migration011 } from './011-search-secure-delete';
import { migration012 } from './012-foreign-key-indexes';
import { migration013 } from './013-model-call-ids';
import { migration014 } from './014-memory-taint';
import { migration015 } from './015-cut-short-replies';
import { migration016 } from './016-turn-claims';
import { migration017 } from './017-tool-results-search';
import { migration018 } from './018-message-authors';
import { migration019 } from './019-api-key-tools';
import { migration020 } from './020-user-rule-disabled-note';
import { migration021 } from './021-mcp-sessions';
import { migration022 } from './022-mcp-session-holders';
import { migration023 } from './023-results-listed-by-the-indexer';
import { migration024 } from './024-reply-reasoning';
import { migration025 } from './025-direct-call-requests';
import { migration026 } from './026-audit-log-by-kind';
import { migration027 } from './027-approval-deciders';
import { migration028 } from './028-conversation-allowance-givers';
import { migration029 } from './029-answers-at-budget';
import { migration030 } from './030-call-allowance-reach';
import { migration031 } from './031-reply-drafts';
import { migration032 } from './032-turn-claim-traces';
import type { Migration } from './migration';

/** Every migration in ascending version order (`migrate` runs them by version). */
export const migrations: readonly Migration[] = [
  migration001, migration002, migration003, migration004, migration005, migration006, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017, migration018, migration019, migration020, migration021, migration022, migration023, migration024, migration025, migration026, migration027, migration028, migration029, migration030, migration031, migration032,
];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)!.version;
