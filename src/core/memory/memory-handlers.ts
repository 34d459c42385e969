import type { Database } from 'better-sqlite3';
import type { RequestHandlers } from '../../shared/api/contract';
import type { memoryRequestContract } from '../../shared/api/memory-contract';
import { AppError } from '../../shared/errors';
import type { Clock } from '../clock';
import { writeExport } from '../retention/data-export';
import type { RetentionService } from '../retention/retention-service';
import type { MemoryStore } from './memory-store';
import type { SearchIndex } from './search-index';

export type MemoryHandlers = Pick<RequestHandlers, keyof typeof memoryRequestContract>;

export interface MemoryHandlerDeps {
  db: Database;
  /** The connection to `traces.db`, for the export's spans. */
  tracesDb: Database;
  dataDir: string;
  memories: MemoryStore;
  search: SearchIndex;
  retention: RetentionService;
  clock: Clock;
  /** Also forgets the private (in-memory) conversations on "delete everything". */
  clearPrivate?: () => void;
  /** True while a turn runs anywhere: everything is not deleted from under it. */
  turnRunning?: () => boolean;
}

/** Handlers for search, memories and retention; spread into the runtime's handler map. */
export function createMemoryHandlers(deps: MemoryHandlerDeps): MemoryHandlers {
  const { memories, search, retention, clock } = deps;
  return {
    'search.query': async ({ query, scope, limit }) => search.search(query, { scope, limit, toolResults: true }),
    'memories.list': async () => memories.list(),
    'memories.update': async ({ id, content }) => memories.update(id, content, clock.now()),
    'memories.delete': async ({ id }) => ({ deleted: memories.delete(id) }),
    'retention.get': async () => ({ settings: retention.settings, databaseBytes: retention.databaseBytes() }),
    'retention.set': async (settings) => retention.update(settings),
    'retention.purge': async () => retention.run('purge now'),
    'data.export': async () => {
      // Spans still on their way to the file belong in the export too.
      retention.settleSpans();
      return writeExport({ main: deps.db, traces: deps.tracesDb }, deps.dataDir, clock.now());
    },
    'data.deleteAll': async () => {
      if (deps.turnRunning?.()) throw new AppError('TURN_IN_PROGRESS', 'The agent is still working in a conversation. Press Stop there, then delete everything.');
      deps.clearPrivate?.();
      return retention.deleteEverything();
    },
  };
}
