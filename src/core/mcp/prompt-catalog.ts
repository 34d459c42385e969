import type { McpPromptList } from '../../shared/domain/mcp-prompt';
import { AppError, messageOf } from '../../shared/errors';
import type { McpConnection } from './mcp-connection';
import type { PromptCompletion } from './server-prompts';

/** How long the composer's `/` list waits for a server to say its prompts. */
const LIST_TIMEOUT_MS = 5_000;

/**
 * The prompts of every connected MCP server, for the composer: listed when the person asks (each server's list
 * kept as `PromptListCache` says), and one filled in as the text of a message the person reads before sending.
 * A server that cannot answer is named, never holds up the others.
 */
export class PromptCatalog {
  constructor(private readonly mcp: { connections(): readonly McpConnection[] }) {}

  async list(): Promise<McpPromptList> {
    // A server still starting is waited for, within the same time.
    const asked = this.mcp.connections().filter((connection) => connection.state === 'connected' || connection.state === 'starting');
    const now = Date.now();
    const listed = await Promise.all(
      asked.map((connection) => {
        // A request already out counts from when it was sent: a server that does not answer costs 5 s once.
        const waited = now - (connection.promptsAskedAt ?? now);
        const deadline = AbortSignal.timeout(Math.max(0, LIST_TIMEOUT_MS - waited));
        return connection.listPrompts(deadline).then(
          (prompts) => ({ prompts, problem: null }),
          (error: unknown) => {
            const why = deadline.aborted ? `no answer in ${Math.round((Date.now() - now + waited) / 1000)} s` : connection.redact(messageOf(error));
            return { prompts: [], problem: `The ${connection.name} server did not list its prompts: ${why}.` };
          },
        );
      }),
    );
    const prompts = listed.flatMap((outcome) => outcome.prompts);
    const problems = listed.flatMap((outcome) => (outcome.problem ? [outcome.problem] : []));
    return { prompts, problems };
  }

  get(server: string, name: string, args: Record<string, string>): Promise<string> {
    return this.ask(server, `give its prompt ${name}`, (connection, signal) => connection.getPrompt(name, args, signal));
  }

  /** Suggestions for one argument of a prompt as the person types it; none when the server gives none. */
  complete(server: string, request: PromptCompletion): Promise<string[]> {
    return this.ask(server, `suggest values for ${request.argument}`, (connection, signal) => connection.completePrompt(request, signal));
  }

  /** One request to a server, within its call timeout; its failure told in its words (its secrets hidden). */
  private async ask<T>(server: string, what: string, request: (connection: McpConnection, signal: AbortSignal) => Promise<T>): Promise<T> {
    const connection = this.mcp.connections().find((c) => c.name === server);
    if (!connection) throw new AppError('NOT_FOUND', `No MCP server named ${server} is configured.`);
    try {
      return await request(connection, AbortSignal.timeout(connection.config.timeoutMs));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('TOOL_FAILED', `The ${server} server could not ${what}: ${connection.redact(messageOf(error))}`);
    }
  }
}
