/**
 * The preload runs sandboxed: it may require only 'electron', so it imports nothing but zod-free shared
 * modules that the bundler inlines.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './create-bridge';

contextBridge.exposeInMainWorld('portcullis', createBridge(ipcRenderer));
