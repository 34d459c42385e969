import { z } from 'zod';
import type { ModelProvider } from '../model/model-provider';
import { repairJson } from '../model/prompted-tool-calls';
import type { IntentRouter, Route } from './intent-router';

/**
 * The optional model-based classifier: the configured model is asked for structured output (one JSON object
 * naming an intent of the catalogue and its confidence), validated with zod. Anything else — no answer, bad
 * JSON, an unknown intent — counts as no opinion, and the offline route stands.
 */
export class ModelIntentClassifier {
  private readonly schema: z.ZodType<{ intent: string; confidence: number }>;

  constructor(private readonly model: ModelProvider, private readonly router: IntentRouter) {
    const ids = router.catalogue.intents.map((i) => i.id) as [string, ...string[]];
    this.schema = z.object({ intent: z.enum(ids), confidence: z.number().min(0).max(1) });
  }

  async classify(text: string, signal?: AbortSignal): Promise<{ intent: string; confidence: number } | null> {
    const catalogue = this.router.catalogue.intents.map((i) => `- ${i.id}: ${i.description}`).join('\n');
    const prompt = `Classify the request into exactly one intent.\nIntents:\n${catalogue}\n\nAnswer with one JSON object only: {"intent": "<id>", "confidence": <0..1>}.\n\nRequest: ${JSON.stringify(text)}`;
    let answer = '';
    try {
      for await (const chunk of this.model.stream({ messages: [{ role: 'user', content: prompt }], tools: [] }, signal)) {
        if (chunk.type === 'text-delta') answer += chunk.text;
        else if (chunk.type === 'reasoning-delta' && chunk.recalled) answer = ''; // it was thinking, not the answer
      }
      const parsed = this.schema.safeParse(repairJson(answer));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /**
   * 'model': the model decides when it answers validly. 'together': agreement raises confidence to the higher
   * of the two; on disagreement the more confident classifier wins, at the lower of the two confidences.
   */
  async route(text: string, mode: 'model' | 'together', signal?: AbortSignal): Promise<Route> {
    const offline = this.router.route(text);
    const opinion = await this.classify(text, signal);
    if (!opinion) return offline;
    if (mode === 'model') return this.router.routeAs(text, opinion.intent, opinion.confidence);
    if (opinion.intent === offline.intent) return this.router.routeAs(text, offline.intent, Math.max(opinion.confidence, offline.confidence), offline.alternatives);
    const winner = opinion.confidence > offline.confidence ? opinion.intent : offline.intent;
    return this.router.routeAs(text, winner, Math.min(opinion.confidence, offline.confidence), offline.alternatives);
  }
}
