import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { holdRuntimeInstance, type RuntimeInstance } from '../../src/core/runtime/runtime-instance';
import { openDatabase } from '../../src/core/storage/database';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { TurnClaimStore } from '../../src/core/storage/stores/turn-claim-store';
import { tempDir } from './temp-dir';

export interface ClaimsFolder {
  dataDir: string;
  /** `portcullis.db`, open; the test closes it (before a runtime starts on the folder). */
  db: Database;
  claims: TurnClaimStore;
  /** A Portcullis process on the folder as the others see it: its lock file held until released or the test ends. */
  liveProcess(): RuntimeInstance;
  /** `instance`'s turn `turnId` holds the conversation. */
  claimFor(conversationId: string, instance: RuntimeInstance, turnId: string): void;
  /** A process killed while its turn held the conversation: its lock file went with it (here: never there). */
  claimOfKilledProcess(conversationId: string, turnId: string): void;
}

// Claims are written as a test's set-up: whoever held the conversation before is replaced.
const alwaysAlive = () => true;

/** A fresh data folder whose database holds a conversation (titled as its id) for each of `conversationIds`. */
export function claimsFolder(conversationIds: readonly string[], createdAt = 1): ClaimsFolder {
  const dataDir = tempDir();
  const db = openDatabase(join(dataDir, 'portcullis.db'));
  const conversations = new ConversationStore(db);
  for (const id of conversationIds) conversations.create({ id, title: id, createdAt, updatedAt: createdAt });
  const claims = new TurnClaimStore(db);
  return {
    dataDir,
    db,
    claims,
    liveProcess() {
      const instance = holdRuntimeInstance(dataDir);
      onTestFinished(() => instance.release());
      return instance;
    },
    claimFor(conversationId, instance, turnId) {
      claims.claim(conversationId, { pid: instance.pid, instance: instance.id, turnId }, 1, alwaysAlive);
    },
    claimOfKilledProcess(conversationId, turnId) {
      claims.claim(conversationId, { pid: 2_147_483_000, instance: '2147483000-deadbeef0000', turnId }, 1, alwaysAlive);
    },
  };
}
