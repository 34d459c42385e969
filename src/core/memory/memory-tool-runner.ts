import type { Memory, SearchHit } from '../../shared/domain/memory';
import { AppError, toWireError, type WireError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Clock } from '../clock';
import type { Tracer } from '../telemetry/tracer';
import type { ToolOutcome, ToolRunner, ToolRunRequest } from '../tools/tool-runner';
import type { MemoryStore } from './memory-store';
import type { SearchIndex } from './search-index';

export interface MemoryToolDeps {
  memories: MemoryStore;
  search: SearchIndex;
  clock: Clock;
  /** The person's latest message in the turn: the source a saved memory points back to. */
  sourceMessageOf(conversationId: string, turnId: string): string | null;
  /** Private conversations are never written to disk, so nothing from them becomes a memory. */
  isPrivate?(conversationId: string): boolean;
  /** Records each memory write and search as a `memory` span inside the call's sandbox span. */
  tracer?: Tracer;
  /**
   * The untrusted content a conversation holds (the newest source's words), or null: a memory the model saves
   * there keeps it, and a search that finds such a memory, or a message of such a conversation, brings it along.
   */
  taintOf?(conversationId: string): string | null;
}

/**
 * Runs the memory tools in-process: they need the database, which lives here, and touch nothing else. They
 * still pass the gateway (validation, policy, approval, trace) like every tool; only this last step is local.
 */
const PRIVATE_SAVE = new AppError('TOOL_FAILED', 'This is a private conversation: nothing from it is written to disk, so it cannot be saved as a memory.');

const noSuchMemory = (id: string) => new AppError('NOT_FOUND', `There is no memory with id ${id}; search memories to find its id.`);

export class MemoryToolRunner implements ToolRunner {
  constructor(private readonly deps: MemoryToolDeps) {}

  async run(request: ToolRunRequest, options: { signal?: AbortSignal } = {}): Promise<ToolOutcome> {
    if (options.signal?.aborted) return fail(new AppError('TOOL_FAILED', 'The call was cancelled before it started.'));
    try {
      const { tracer } = this.deps;
      const operation = request.toolName.replace(/^memory\./, '');
      const result = tracer
        ? tracer.withLeafSpan('memory', `memory ${operation}`, { 'portcullis.memory.operation': operation }, () => this.execute(request))
        : this.execute(request);
      const taint = request.toolName === 'memory.search' ? this.taintOfHits((result as SearchResult).hits) : null;
      return { ok: true, result, ...(taint ? { untrusted: true, untrustedSource: taint } : {}) };
    } catch (error) {
      return fail(error);
    }
  }

  refusal({ toolName, arguments: args, context }: ToolRunRequest): WireError | undefined {
    if (toolName === 'memory.save' && context && this.deps.isPrivate?.(context.conversationId)) return PRIVATE_SAVE.toWire();
    if (toolName === 'memory.forget' && !this.deps.memories.get(String(args.id))) return noSuchMemory(String(args.id)).toWire();
    return undefined;
  }

  dispose(): void {}

  /**
   * Why hits a search returned are untrusted, or null: a memory saved beside untrusted content, or a message of a
   * conversation that holds some (its replies may repeat what a page told the model).
   */
  private taintOfHits(hits: SearchResult['hits']): string | null {
    for (const hit of hits) {
      if (hit.kind === 'memory') {
        const source = this.deps.memories.get(hit.id)?.taintSource;
        if (source) return `a memory saved while its conversation held ${source}`;
      } else if (hit.conversationId) {
        const source = this.deps.taintOf?.(hit.conversationId);
        if (source) return `a message of a conversation that held ${source}`;
      }
    }
    return null;
  }

  private execute(request: ToolRunRequest): unknown {
    const { toolName, arguments: args, context } = request;
    const { memories, search, clock } = this.deps;
    switch (toolName) {
      case 'memory.save': {
        const refused = this.refusal(request);
        if (refused) throw AppError.fromWire(refused);
        const now = clock.now();
        const memory: Memory = {
          id: newId(),
          content: String(args.content).trim(),
          sourceMessageId: context ? this.deps.sourceMessageOf(context.conversationId, context.turnId) : null,
          conversationId: context?.conversationId ?? null,
          ...withTaint(context ? this.deps.taintOf?.(context.conversationId) : null),
          createdAt: now,
          updatedAt: now,
        };
        return { saved: memories.save(memory) };
      }
      case 'memory.search': {
        const scope = args.scope === 'all' ? 'all' : 'memories';
        const hits = search.search(String(args.query), { scope, limit: typeof args.limit === 'number' ? args.limit : 10 });
        const result: SearchResult = { query: args.query, hits: hits.map(({ kind, id, snippet, conversationId }) => ({ kind, id, snippet, conversationId })) };
        return result;
      }
      case 'memory.forget': {
        const id = String(args.id);
        const existing = memories.get(id);
        if (!existing) throw noSuchMemory(id);
        memories.delete(id);
        return { forgotten: { id, content: existing.content } };
      }
      default:
        throw new AppError('TOOL_NOT_FOUND', `The memory runner has no tool named ${toolName}.`);
    }
  }
}

interface SearchResult {
  query: unknown;
  hits: { kind: SearchHit['kind']; id: string; snippet: string; conversationId: string | null }[];
}

const withTaint = (source: string | null | undefined) => (source ? { taintSource: source } : {});

function fail(error: unknown): ToolOutcome {
  const wire = toWireError(error);
  return { ok: false, error: wire.code === 'INTERNAL' ? { code: 'TOOL_FAILED', message: 'The memory tool failed inside Portcullis.' } : wire };
}
