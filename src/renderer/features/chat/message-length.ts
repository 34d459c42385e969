import { MAX_MESSAGE_CHARS } from '../../../shared/domain/message';
import { formatCount } from '../../lib/format';

/** Why a message is too long to send, in words; null when it fits. Counted as the host counts: after trimming. */
export function messageTooLong(text: string): string | null {
  const length = text.trim().length;
  if (length <= MAX_MESSAGE_CHARS) return null;
  return `This message is ${formatCount(length)} characters; a message can hold at most ${formatCount(MAX_MESSAGE_CHARS)}. Shorten it, or send it in parts.`;
}
