import { createContext, useContext } from 'react';

/**
 * Opens Settings with the keyboard on the Model card: a turn its model failed offers it beside Retry, where the error's
 * "check … in Settings → Model" left the person to find it. Null where no Settings can be opened.
 */
export const ModelSettingsOpener = createContext<(() => void) | null>(null);

export const useModelSettingsOpener = () => useContext(ModelSettingsOpener);
