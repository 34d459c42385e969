import { AppError } from '../../shared/errors';
import type { ToolDefinition } from './tool-definition';
import type { ToolRunner } from './tool-runner';

/** A tool and the runner that executes it: the worker pool for built-ins, an MCP client, an in-process runner. */
export interface RegisteredTool {
  definition: ToolDefinition;
  runner: ToolRunner;
}

export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();

  register(definition: ToolDefinition, runner: ToolRunner): void {
    if (this.tools.has(definition.name)) throw new AppError('INTERNAL', `Tool ${definition.name} is registered twice.`);
    this.tools.set(definition.name, { definition, runner });
  }

  unregister(name: string): void {
    this.tools.delete(name);
  }

  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  list(): ToolDefinition[] {
    return [...this.tools.values()].map((tool) => tool.definition);
  }
}
