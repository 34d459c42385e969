import { FixedApprovalGate, type ApprovalGate } from '../core/approvals/approval-gate';
import { ListedToolsApprovalGate } from '../core/approvals/listed-tools-approval-gate';
import { isExclusion } from '../core/tools/tool-glob-list';
import { splitToolPatterns } from '../shared/domain/tool-patterns';
import { CliUsageError } from './command';

/**
 * `--approve` of `tools call` and `chat`: what becomes of a call the policy asks about. `none` (the default) denies
 * it, `all` approves it, `ask` waits for the person in the running Portcullis' window, and a list of tool names and
 * globs approves the calls of those tools and denies the rest, unasked.
 */
export type ApproveOption = 'none' | 'all' | 'ask' | ApprovedTools;

export interface ApprovedTools {
  readonly tools: readonly string[];
  /** As typed, for messages and the trace. */
  readonly said: string;
}

/** Where no person is asked: a fixed answer, or the listed tools' approval. */
export type ScriptApproval = Exclude<ApproveOption, 'ask'>;

const MAX_PATTERNS = 50;
const MAX_PATTERN_LENGTH = 200;
/** What a Portcullis tool name (`server.tool`, letters, digits, `_`, `-`) and a glob over it may hold. */
const GLOB_CHARACTERS = /^[A-Za-z0-9_.\-*?![\]{},]+$/;
const GLOB_SYNTAX = /[*?[\]{}]/;
const EXAMPLE = '--approve "github.get_*,memory.read_graph"';

export function parseApproveOption(said: string | undefined): ApproveOption {
  if (said === undefined || said === 'none' || said === 'all' || said === 'ask') return said ?? 'none';
  const parts = said.split(',').map((part) => part.trim());
  // An empty place in the list is a slip (`a,,b`, a trailing comma, an unset shell variable): said, not skipped.
  if (said.trim() === '' || (parts.includes('') && !/[{}]/.test(said))) {
    throw new CliUsageError(`--approve "${said}" has an empty tool name or glob; give all, none, ask, or tool names and globs separated by commas, e.g. ${EXAMPLE}.`);
  }
  const tools = splitToolPatterns(said);
  if (tools.length > MAX_PATTERNS) throw new CliUsageError(`--approve takes at most ${MAX_PATTERNS} tool names or globs.`);
  for (const tool of tools) {
    if (tool.length > MAX_PATTERN_LENGTH) throw new CliUsageError(`A tool name or glob in --approve is at most ${MAX_PATTERN_LENGTH} characters ("${tool.slice(0, 40)}…").`);
    const bad = [...tool].find((char) => !GLOB_CHARACTERS.test(char));
    if (bad !== undefined) {
      throw new CliUsageError(`--approve: "${tool}" has ${JSON.stringify(bad)}, which no tool name or glob holds (letters, digits, _ - . and * ? [ ] { } !), e.g. ${EXAMPLE}.`);
    }
    // A word with neither a server nor a glob names no tool: most often a mistyped all, none or ask.
    if (!tool.includes('.') && !GLOB_SYNTAX.test(tool)) {
      throw new CliUsageError(`--approve takes all, none, ask, or tool names and globs as \`portcullis tools list\` shows them (server.tool); "${tool}" is none of those. E.g. ${EXAMPLE}.`);
    }
  }
  // `!glob` takes tools out of the others; alone it would approve nothing (and read as every tool but it).
  if (tools.every(isExclusion)) throw new CliUsageError(`--approve "${said}" only takes tools out (!…): name the tools to approve too, e.g. --approve "memory.*,!memory.delete_entities".`);
  return { tools, said: tools.join(',') };
}

export function approvalGateFor(approve: ScriptApproval): ApprovalGate {
  return typeof approve === 'string' ? new FixedApprovalGate(approve) : new ListedToolsApprovalGate(approve.tools, approve.said);
}

/** How the option reads in a sentence: `--approve all`, `--approve "github.get_*"`. */
export function approveWords(approve: ApproveOption): string {
  return typeof approve === 'string' ? `--approve ${approve}` : `--approve "${approve.said}"`;
}
