import { createHash } from 'node:crypto';
import { toolGlobList } from '../../core/tools/tool-glob-list';
import { counted } from '../../shared/counted';
import { messageOf } from '../../shared/errors';
import type { ToolInfo, ToolCatalog } from '../../shared/domain/tool-catalog';
import { heldToolsApproval, isHeldBack, type ApprovedTogether, type DecidedApart } from '../../shared/held-tools-approval';
import { shownHash, shownHashNames } from '../../shared/shown-hash';
import { toolKindWord } from '../../shared/tool-kind';
import type { CommandContext } from '../command';

/** What approving together needs of Portcullis: its catalog, and the approval of one tool's definition by its hash. */
export interface HeldToolsApi {
  catalog(): Promise<ToolCatalog>;
  approve(name: string, hash: string): Promise<boolean>;
}

/**
 * The hash of a list of tools approved together: their names and their definitions' hashes. `--hash` names it, so
 * what is approved is the list the person was shown, not one a server changed or grew since.
 */
function togetherHash(tools: readonly ApprovedTogether[]): string {
  const lines = [...tools].sort((a, b) => (a.name < b.name ? -1 : 1)).map((tool) => `${tool.name} ${tool.hash}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** Whether `pattern` is a glob (`github.*`) rather than one tool's name. */
export function isToolGlob(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}

/**
 * `portcullis tools approve 'server.*' [--hash H]`: the held-back tools the glob names that may be approved together
 * (`heldToolsApproval`: those held only because the pins were lost). Without --hash it lists them, each with its
 * definition's hash, and the command that approves that list; with the list's hash it approves each one, printing
 * it with its hash. Tools to decide on their own (a changed definition, a tool added later, one rejected) are named,
 * never approved here. 0 when it approved the whole list, 1 otherwise.
 */
export async function approveHeldTools(context: CommandContext, pattern: string, api: HeldToolsApi): Promise<number> {
  const names = toolGlobList([pattern]);
  const held = (await api.catalog()).tools.filter((tool) => isHeldBack(tool) && names(tool.name) !== null);
  const { together, apart } = heldToolsApproval(held);
  const listHash = togetherHash(together);
  const json = context.values.json === true;
  const shown = context.values.hash;
  const command = `portcullis tools approve '${pattern}' --hash ${shownHash(listHash)}`;
  if (typeof shown !== 'string') {
    if (json) context.out(JSON.stringify({ pattern, together: together.map(asJson), apart: apart.map(apartJson), hash: together.length > 0 ? shownHash(listHash) : null, approved: [] }));
    else printReview(context, pattern, held, together, apart, command);
    return 1;
  }
  // The list shown is the one approved: a tool held since, or a definition changed since, makes it another list.
  if (together.length === 0 || !shownHashNames(shown, listHash)) {
    const why = together.length === 0 ? `no held-back tool that ${pattern} names can be approved together now` : `the held-back tools ${pattern} names are not the list that hash names: a server changed or added one since you looked`;
    if (json) context.out(JSON.stringify({ pattern, approved: [], notApproved: [], apart: apart.map(apartJson), problem: why }));
    else context.out(`Nothing was approved: ${why}. Review them again with portcullis tools approve '${pattern}'.`);
    return 1;
  }
  const approved: ApprovedTogether[] = [];
  const notApproved: DecidedApart[] = [];
  for (const tool of together) {
    try {
      if (await api.approve(tool.name, tool.hash)) approved.push(tool);
      else notApproved.push({ name: tool.name, why: 'nothing of it waits to be approved any more' });
    } catch (error) {
      notApproved.push({ name: tool.name, why: messageOf(error) });
    }
  }
  if (json) context.out(JSON.stringify({ pattern, approved: approved.map(asJson), notApproved: notApproved.map(apartJson), apart: apart.map(apartJson) }));
  else {
    for (const tool of approved) context.out(`approved ${tool.name}  ${shownHash(tool.hash)}`);
    for (const tool of notApproved) context.out(`NOT approved ${tool.name}: ${tool.why}`);
    context.out(`${counted(approved.length, 'tool')} approved and offered again.`);
    printApart(context, apart);
  }
  return notApproved.length === 0 ? 0 : 1;
}

function printReview(context: CommandContext, pattern: string, held: readonly ToolInfo[], together: readonly ApprovedTogether[], apart: readonly DecidedApart[], command: string): void {
  if (held.length === 0) {
    context.out(`No held-back tool matches ${pattern}.`);
    return;
  }
  if (together.length > 0) {
    context.out(`Held back because the record of the tools you approved was lost (${together.length}); the command below approves these definitions, by their hashes:`);
    for (const tool of together) {
      const info = held.find((candidate) => candidate.name === tool.name);
      context.out(`  ${tool.name}  ${shownHash(tool.hash)}  ${kindOf(info)}${info?.change?.offered.description ? `: ${oneLine(info.change.offered.description)}` : ''}`);
    }
  }
  printApart(context, apart);
  if (together.length > 0) context.out(`To approve these ${counted(together.length, 'tool')}: ${command}`);
  context.out('Nothing was approved.');
}

function printApart(context: CommandContext, apart: readonly DecidedApart[]): void {
  if (apart.length === 0) return;
  context.out('Not approved with them, each to decide on its own (`portcullis tools list` shows it, with its own approve command):');
  for (const tool of apart) context.out(`  ${tool.name}: ${tool.why}`);
}

/** What the tool says it does, as `tools list` says it. */
function kindOf(tool: ToolInfo | undefined): string {
  return toolKindWord(tool?.change?.offered.annotations ?? tool?.annotations ?? {});
}

/** A description in one line, cut short: the review lists many tools. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

const asJson = (tool: ApprovedTogether) => ({ tool: tool.name, hash: tool.hash });
const apartJson = (tool: DecidedApart) => ({ tool: tool.name, why: tool.why });
