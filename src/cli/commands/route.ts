import { defaultIntentRouter } from '../../core/router/default-router';
import { CliUsageError, type CommandContext } from '../command';

export const routeHelp = `portcullis route [--json] "text"
  Shows how the offline router reads a request: the intent, its calibrated confidence, the slots and the tools it
  allows.`;

export async function routeCommand({ values, positionals, out }: CommandContext): Promise<number> {
  const text = positionals.join(' ').trim();
  if (!text) throw new CliUsageError('Give the text to route, e.g. portcullis route --json "read notes.md".');
  const route = defaultIntentRouter().route(text);
  const summary = {
    intent: route.intent,
    confidence: Number(route.confidence.toFixed(4)),
    confident: route.confident,
    threshold: route.threshold,
    outOfScope: route.outOfScope,
    slots: route.slots,
    missingSlots: route.missingSlots,
    tools: route.tools,
    alternatives: route.alternatives.map((a) => ({ intent: a.intent, confidence: Number(a.confidence.toFixed(4)) })),
  };
  if (values.json) out(JSON.stringify(summary));
  else {
    out(`${route.intent} (confidence ${route.confidence.toFixed(2)}, threshold ${route.threshold}${route.confident ? '' : ', not confident'})`);
    if (Object.keys(route.slots).length > 0) out(`slots: ${JSON.stringify(route.slots)}`);
    if (route.missingSlots.length > 0) out(`missing: ${route.missingSlots.join(', ')}`);
    out(`tools: ${route.tools.length > 0 ? route.tools.join(', ') : '(none)'}`);
  }
  return 0;
}
