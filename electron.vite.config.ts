import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, MainConfigFactory, type MainViteConfig } from 'electron-vite';
import { build, type Plugin } from 'vite';

/**
 * Builds each of these main-process entries into one file holding all of its code, with the main build's settings:
 * in the main build, the modules an entry shares with the app go into chunks, and the tool worker loaded five files at
 * its start (each ~0.4 ms under its permission model; a worker starts for every pool slot and after every crash).
 * Fails the build should an entry ever come out as more than one file.
 */
function selfContainedEntries(main: MainViteConfig, entries: Record<string, string>): Plugin {
  let whole: Array<{ fileName: string; code: string }> = [];
  return {
    name: 'portcullis:self-contained-entries',
    apply: 'build',
    // Built in the build phase, where the files they are made of can be watched (electron-vite dev).
    async buildStart() {
      whole = [];
      for (const [name, entry] of Object.entries(entries)) {
        const config = await new MainConfigFactory(main, {}, { root: __dirname }).build(true);
        const built = await build({ ...config, configFile: false, logLevel: 'warn', build: { ...config.build, write: false, lib: { entry: { [name]: entry } } } });
        const files = (Array.isArray(built) ? built : [built]).flatMap((result) => ('output' in result ? result.output : []));
        const [file] = files;
        if (files.length !== 1 || file?.type !== 'chunk') this.error(`${name} was built into ${files.length} files (${files.map((f) => f.fileName).join(', ')}), not one`);
        whole.push(file);
        for (const id of file.moduleIds) if (!id.startsWith('\0')) this.addWatchFile(id);
      }
    },
    generateBundle() {
      for (const { fileName, code } of whole) this.emitFile({ type: 'asset', fileName, source: code });
    },
  };
}

// One build for every host. The main bundle also carries the plain-Node entries (the tool worker and the
// `portcullis` command), so the desktop app, the headless host and the tests all run the same built code.
const main: MainViteConfig = {
  build: {
    lib: {
      entry: {
        index: resolve(__dirname, 'src/main/index.ts'),
        'span-writer': resolve(__dirname, 'src/workers/span-writer.ts'),
        cli: resolve(__dirname, 'src/cli/index.ts'),
      },
    },
  },
};

export default defineConfig({
  main: {
    ...main,
    plugins: [
      selfContainedEntries(main, {
        'tool-worker': resolve(__dirname, 'src/workers/tool-worker.ts'),
        'tool-thread': resolve(__dirname, 'src/workers/tool-thread.ts'),
      }),
    ],
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
