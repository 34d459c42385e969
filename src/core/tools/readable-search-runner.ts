import { SEARCH_STEPS, type SearchResult } from '../sandbox/fs-search';
import type { ToolOutcome, ToolRunner, ToolRunOptions, ToolRunRequest } from './tool-runner';

/**
 * fs.search, in two steps in the tool worker: list the files under the folder, then search them. Between the
 * two, each file is put to the policy as an fs.read of it; one that would not be read without asking (a `.env`
 * under `deny.secrets`, a folder a rule asks about) is searched by name only, and never opened: a search is no
 * way round a read's policy, and its results say nothing of what such a file holds.
 */
export class ReadableSearchRunner implements ToolRunner {
  constructor(
    private readonly worker: ToolRunner,
    private readonly mayRead: (path: string) => boolean,
  ) {}

  async run(request: ToolRunRequest, options: ToolRunOptions): Promise<ToolOutcome> {
    const { query, path = '.', limit = 50 } = request.arguments;
    const listed = await this.worker.run({ ...request, toolName: SEARCH_STEPS.files, arguments: { path } }, options);
    if (!listed.ok) return listed;
    const { files, capped } = listed.result as { files: string[]; capped: boolean };
    const checked = files.map((file) => ({ path: file, read: this.mayRead(file) }));
    const searched = await this.worker.run({ ...request, toolName: SEARCH_STEPS.lines, arguments: { query, path, limit, files: checked } }, options);
    if (!searched.ok || !capped) return searched;
    return { ...searched, result: { ...(searched.result as SearchResult), truncated: true } };
  }

  /** The worker runner is the built-in tools' own, disposed by its owner. */
  dispose(): void {}
}
