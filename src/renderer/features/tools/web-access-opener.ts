import { createContext, useContext } from 'react';

/**
 * Opens Tools & servers at "Web access (http.fetch)" with `domain` typed in, for the person to read and Add (never
 * added for them); null where no page can be opened. A refused fetch's card offers it, as a server's row offers a grant.
 */
export const WebAccessOpener = createContext<((domain: string) => void) | null>(null);

export const useWebAccessOpener = () => useContext(WebAccessOpener);

/** A domain put in the section's field from elsewhere; `id` tells two offers of the same domain apart. */
export interface WebAccessDraft {
  domain: string;
  id: number;
}
