import type { ToolInfo } from './domain/tool-catalog';

/** A held-back tool approved together with others: its name and the hash of the definition shown for it. */
export interface ApprovedTogether {
  name: string;
  hash: string;
}

/** A held-back tool left out of an approval of several, to be reviewed and decided on its own: why. */
export interface DecidedApart {
  name: string;
  why: string;
}

/** Whether a tool is held back, unoffered until the person decides on it: a definition changed or new since approved. */
export function isHeldBack(tool: Pick<ToolInfo, 'pinState'>): boolean {
  return tool.pinState === 'new' || tool.pinState === 'changed';
}

/**
 * Which of the held-back tools `held` may be approved together (Tools & servers' "Approve all", `portcullis tools
 * approve 'server.*'`): those held only because tool-pins.json and its copy were lost, of which nothing was known.
 * A tool whose definition changed from one the person approved (a rug pull), one its server added after they approved
 * its tools, and one they rejected are each decided apart, having seen it: an approval of many names them, never
 * takes them in.
 */
export function heldToolsApproval(held: readonly ToolInfo[]): { together: ApprovedTogether[]; apart: DecidedApart[] } {
  const together: ApprovedTogether[] = [];
  const apart: DecidedApart[] = [];
  for (const tool of held) {
    const { change } = tool;
    if (!isHeldBack(tool)) continue;
    if (!change?.hash) apart.push({ name: tool.name, why: 'nothing of it waits to be approved' });
    else if (change.rejected) apart.push({ name: tool.name, why: 'you rejected it' });
    else if (tool.pinState === 'changed') apart.push({ name: tool.name, why: 'its definition changed from the one you approved: review what changed and approve it on its own' });
    else if (!change.pinsLost) apart.push({ name: tool.name, why: 'its server added it after you approved its tools: review it and approve it on its own' });
    else together.push({ name: tool.name, hash: change.hash });
  }
  return { together, apart };
}
