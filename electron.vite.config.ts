import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// One build for every host. The main bundle also carries the plain-Node entries (the tool worker and the
// `portcullis` command), so the desktop app, the headless host and the tests all run the same built code.
export default defineConfig({
  main: {
    build: {
      lib: {
        entry: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'tool-worker': resolve(__dirname, 'src/workers/tool-worker.ts'),
          'tool-thread': resolve(__dirname, 'src/workers/tool-thread.ts'),
          'span-writer': resolve(__dirname, 'src/workers/span-writer.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      lib: { entry: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
