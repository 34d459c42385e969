import { join } from 'node:path';

/**
 * Where runtimes, their version managers and their tools keep what a server runs on, as paths inside a home folder:
 * a sandboxed server may read these though the rest of the home folder is private to it. Only programs, libraries,
 * caches and the settings that say which version to run: a secret kept in one of them (`~/.cache/huggingface/token`,
 * `~/.config/git/credentials`, `~/.cargo/credentials.toml`) is denied on its own (home-secrets.ts) and stays
 * unreadable. A path that is not there grants nothing. Edit a group here to let every server read one more place;
 * a single server takes `"sandbox": { "allowRead": [...] }` in mcp.json.
 */
const RUNTIME_PLACES: Record<string, string[]> = {
  // Node: version managers (nvm, fnm, volta), npm's cache (npx's packages) and global folder, pnpm, Bun, Deno.
  node: [
    '.nvm', '.config/nvm', '.fnm', '.local/share/fnm', 'Library/Application Support/fnm', '.volta', '.npm', '.npm-global', '.node-gyp',
    '.local/share/pnpm', 'Library/pnpm', '.pnpm-store', '.bun', '.deno', 'Library/Caches/deno', 'Library/Caches/node-gyp',
  ],
  // Python: pyenv, uv (its Pythons and tools), pipx, Poetry, user-installed packages (~/.local/lib), conda/mamba.
  python: [
    '.pyenv', '.local/share/uv', '.local/share/pipx', '.local/pipx', '.local/share/pypoetry', 'Library/Application Support/pypoetry',
    '.local/lib', 'Library/Python', 'Library/Caches/pip', 'Library/Caches/pypoetry', '.conda', '.condarc', 'miniconda3',
    'anaconda3', 'miniforge3', 'mambaforge', 'micromamba', '.local/share/mamba',
  ],
  // Version managers for many languages (asdf, mise) and the settings that pick each tool's version.
  versionManagers: ['.asdf', '.asdfrc', '.tool-versions', '.local/share/mise', '.config/mise', '.local/share/rtx', '.linuxbrew'],
  // Rust (rustup's toolchains, cargo's installed programs and downloaded crates) and Go (GOPATH, its toolchains).
  rustAndGo: ['.rustup', '.cargo/bin', '.cargo/registry', '.cargo/git', 'go', 'sdk', '.cache/go-build'],
  // Java, Kotlin and .NET: SDKMAN, JBang, Maven's and Gradle's downloaded libraries, Gradle's wrapper, dotnet tools.
  jvmAndDotnet: ['.sdkman', '.jbang', '.m2/repository', '.gradle/caches', '.gradle/wrapper', '.dotnet', '.nuget/packages'],
  // Ruby and PHP: rbenv, chruby's rubies, gems, Composer's global packages.
  rubyAndPhp: ['.rbenv', '.rubies', '.gem', '.local/share/gem', '.config/composer/vendor', '.composer/vendor'],
  // Nix: the user's profile, links into /nix/store (made again inside the sandbox, where they lead out of the home folder).
  nix: ['.nix-profile', '.local/state/nix/profile', '.local/state/nix/profiles'],
  // Programs installed for this user alone, and caches of every kind (pip, uv, Hugging Face models, Playwright's browsers).
  userPrograms: ['.local/bin', 'bin', '.fly/bin', '.cache', 'Library/Caches/ms-playwright'],
  // git's own settings (a server that runs git reads them; its credentials file is denied on its own).
  git: ['.gitconfig', '.config/git'],
};

/** Every runtime place in `home`. */
export function runtimePlaces(home: string): string[] {
  return Object.values(RUNTIME_PLACES).flat().map((path) => join(home, path));
}
