import { loadIntentCatalogue } from './intent-catalogue';
import { IntentRouter } from './intent-router';
import { defaultIntentCatalogueFile } from './resource-paths';

let shared: IntentRouter | undefined;

/** The router over the shipped catalogue, built once per process (fitting takes a few milliseconds). */
export function defaultIntentRouter(): IntentRouter {
  shared ??= new IntentRouter(loadIntentCatalogue(defaultIntentCatalogueFile()));
  return shared;
}
