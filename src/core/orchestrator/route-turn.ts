import type { IntentRouter, Route } from '../router/intent-router';
import { directCallRoute, parseDirectCall } from '../router/direct-call';
import type { Tracer } from '../telemetry/tracer';
import type { ToolRegistry } from '../tools/tool-registry';

export interface RouteTurnDeps {
  /** When set, each turn is routed: a call outside the intent's tools asks (`outsideRoute`), and the route goes to the policy. */
  router?: IntentRouter;
  tracer: Tracer;
  registry: ToolRegistry;
  /** Whether a path is a file or folder of the workspace: a request may name one without a slash or with spaces. */
  workspaceHas?: (name: string) => boolean;
}

/**
 * Routes the turn's user message (as stored, secrets masked) when a router is configured, as a `route` span. It
 * is handed over by `start`: finding it read the whole conversation back from the database at every turn.
 */
export function routeTurn(deps: RouteTurnDeps, request: string): Route | null {
  const { router, tracer, workspaceHas } = deps;
  if (!router) return null;
  return tracer.withLeafSpan('route', 'route', {}, (span) => {
    // A message that names a tool with JSON arguments is routed to that tool, whatever the classifier would say.
    const direct = parseDirectCall(request, (name) => deps.registry.get(name) !== undefined);
    const route = direct ? directCallRoute(direct.name) : router.route(request, workspaceHas ? { workspaceHas } : {});
    span.setAttributes({
      'portcullis.route.intent': route.intent,
      'portcullis.route.confidence': route.confidence,
      'portcullis.route.confident': route.confident,
      'portcullis.route.threshold': route.threshold,
      'portcullis.route.tools': route.tools.join(','),
      'portcullis.route.slots': Object.keys(route.slots).join(','),
      'portcullis.route.missing_slots': route.missingSlots.join(','),
    });
    return route;
  });
}

/** The tools some intent of the catalogue names: these are offered only when the route allows them. */
export function routedTools(router: IntentRouter | undefined): Set<string> {
  return new Set(router?.catalogue.intents.flatMap((intent) => intent.tools) ?? []);
}
