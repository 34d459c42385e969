import { nearestToolName } from './nearest-tool-name';

/**
 * What a call of a name no tool has is answered: the tool it most likely meant, then every name there is. One
 * wording for the gateway and for `portcullis tools call`, which answers an unknown name before recording anything.
 */
export function unknownToolMessage(name: string, known: readonly string[]): string {
  const meant = nearestToolName(name, known);
  return `There is no tool named "${name}".${meant ? ` Did you mean ${meant}?` : ''} Available tools: ${known.join(', ')}.`;
}
