import type { ResultCut } from '../../../shared/domain/context-use';
import { formatCount as n } from '../../lib/format';

/**
 * What a cut result's card says: how much of it the model saw, as its request last sent it (the meter above the
 * message box says that some result was cut; the card says which, and how much of it).
 */
export function resultCutWords({ shownChars, totalChars }: ResultCut): string {
  return `Too long for the model's context: the model saw the first ${n(shownChars)} of ${n(totalChars)} characters (what it says of this result rests on that part); Details show it whole.`;
}
