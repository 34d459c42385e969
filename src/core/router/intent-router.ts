import { OUT_OF_SCOPE, type Intent, type IntentCatalogue } from './intent-catalogue';
import { IntentClassifier } from './intent-classifier';
import { extractSlots } from './slot-extractor';
import type { WorkspaceHas } from './workspace-name';

/** What the router concluded about one request. */
export interface Route {
  intent: string;
  confidence: number;
  /** True when the confidence reaches the intent's threshold and the intent is not out of scope. */
  confident: boolean;
  outOfScope: boolean;
  slots: Record<string, string>;
  missingSlots: string[];
  /** The tools the intent allows; empty when the route is not confident or out of scope. */
  tools: string[];
  threshold: number;
  alternatives: { intent: string; confidence: number }[];
}

/** What the router may know of the request's surroundings. */
export interface RouteContext {
  /** Whether a path is a file or folder of the workspace: "delete reports" or "read my notes.md" then names it. */
  workspaceHas?: WorkspaceHas;
}

/** Classifies a request against the catalogue and fills the winning intent's slots. */
export class IntentRouter {
  private readonly classifier: IntentClassifier;
  private readonly intents: Map<string, Intent>;

  constructor(readonly catalogue: IntentCatalogue) {
    this.classifier = new IntentClassifier(catalogue);
    this.intents = new Map(catalogue.intents.map((intent) => [intent.id, intent]));
  }

  intent(id: string): Intent | undefined {
    return this.intents.get(id);
  }

  route(text: string, context: RouteContext = {}): Route {
    const { intent: id, confidence, ranking } = this.classifier.classify(text);
    return this.routeAs(text, id, confidence, ranking.slice(1, 3), context);
  }

  /** The route for an intent decided elsewhere (e.g. by a model), with this router's slots and thresholds. */
  routeAs(text: string, id: string, confidence: number, alternatives: Route['alternatives'] = [], context: RouteContext = {}): Route {
    const intent = this.intents.get(id);
    if (!intent) throw new Error(`Unknown intent ${id}`);
    const outOfScope = id === OUT_OF_SCOPE;
    const confident = !outOfScope && confidence >= intent.threshold;
    const { slots, missing } = outOfScope ? { slots: {}, missing: [] } : extractSlots(text, intent.slots, context.workspaceHas);
    return {
      intent: id,
      confidence,
      confident,
      outOfScope,
      slots,
      missingSlots: missing,
      tools: confident ? intent.tools : [],
      threshold: intent.threshold,
      alternatives,
    };
  }
}
