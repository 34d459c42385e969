import { z } from 'zod';

/**
 * Something wrong with the running Portcullis itself, said to every page until it is restarted: today only its
 * data folder removed (or replaced) under it, when nothing it saves would be kept.
 */
export const RuntimeNoticeSchema = z.object({
  kind: z.enum(['data-folder-gone']),
  message: z.string(),
});

export type RuntimeNotice = z.infer<typeof RuntimeNoticeSchema>;
