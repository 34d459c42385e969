/**
 * The app's id, as electron-builder.yml's appId. On Windows the installer's Start menu shortcut carries it, and a
 * notification is shown (and named Portcullis) only when the running process says the same id.
 */
export const APP_USER_MODEL_ID = 'dev.portcullis.app';
