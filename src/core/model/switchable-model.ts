import type { ContextWindow } from './context-window';
import type { ModelChunk, ModelProvider, ModelRequest } from './model-provider';

/** The runtime's one model: it delegates to the provider chosen in Settings, which can change between turns. */
export class SwitchableModel implements ModelProvider {
  constructor(private current: ModelProvider) {}

  get id(): string {
    return this.current.id;
  }

  get description(): string {
    return this.current.description;
  }

  get name(): string {
    return this.current.name ?? this.current.id;
  }

  get writesFreeText(): boolean {
    return this.current.writesFreeText ?? true;
  }

  get acceptsToolImages(): boolean {
    return this.current.acceptsToolImages ?? false;
  }

  get plansFromMessageOnly(): boolean {
    return this.current.plansFromMessageOnly ?? false;
  }

  use(provider: ModelProvider): void {
    this.current = provider;
  }

  stream(request: ModelRequest, signal?: AbortSignal): AsyncIterable<ModelChunk> {
    return this.current.stream(request, signal);
  }

  async contextWindow(signal?: AbortSignal): Promise<ContextWindow | null> {
    return (await this.current.contextWindow?.(signal)) ?? null;
  }
}
