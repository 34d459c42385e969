import { join } from 'node:path';

/** An Electron app's signed-in session (its cookies and web storage), not its settings or the programs it installed. */
const electronSession = (folder: string): string[] => ['Cookies', 'Network', 'Local Storage', 'Session Storage', 'IndexedDB'].map((name) => `${folder}/${name}`);

/**
 * What of a home folder holds secrets, by kind, as paths inside it. All platforms' places are listed everywhere
 * (a path that is not there denies nothing, and the sandbox starts without it). Only the secret itself is listed
 * where its folder holds what servers need (`~/.cargo/bin`, `~/.m2/repository`, `~/.cache/huggingface/hub`).
 */
const HOME_SECRETS: Record<string, string[]> = {
  // Keys (SSH, GPG, VPN, client certificates) and cloud, deployment and hosting CLIs' sign-ins.
  cloud: [
    '.ssh', '.cert', '.pki', '.aws', '.azure', '.gnupg', '.docker', '.kube', '.netrc', '.vault-token', '.config/gcloud', '.boto', '.oci',
    '.ibmcloud', '.config/doctl', '.config/scw', '.config/hcloud', '.config/linode-cli', '.terraform.d/credentials.tfrc.json',
    '.pulumi/credentials.json', '.fly/config.yml', '.config/netlify', '.local/share/com.vercel.cli',
    'Library/Application Support/com.vercel.cli', '.wrangler', '.config/.wrangler', '.supabase/access-token', '.config/stripe',
    '.config/containers/auth.json', '.tsh', '.minikube', '.s3cfg', '.passwd-s3fs', '.config/rclone', '.mc/config.json',
  ],
  // File-sharing and remote-desktop clients' saved passwords (FileZilla's in base64, Remmina's beside their key).
  remote: ['.config/filezilla', '.config/remmina', '.local/share/remmina', '.smbcredentials', '.davfs2/secrets', '.subversion/auth'],
  // Code hosts' and git's tokens.
  git: ['.git-credentials', '.config/git/credentials', '.gitcookies', '.config/gh', '.config/hub', '.config/glab-cli'],
  // Package registries' publish and read tokens.
  registries: [
    '.npmrc', '.yarnrc.yml', '.bunfig.toml', '.pypirc', '.config/pip/pip.conf', '.pip/pip.conf', '.config/pypoetry/auth.toml',
    '.cargo/credentials', '.cargo/credentials.toml', '.gem/credentials', '.m2/settings.xml', '.gradle/gradle.properties',
    '.config/composer/auth.json', '.composer/auth.json', '.nuget/NuGet/NuGet.Config', '.config/configstore',
  ],
  // Databases' and data platforms' passwords, as analysts' tools keep them.
  data: [
    '.pgpass', '.pg_service.conf', '.my.cnf', '.mylogin.cnf', '.odbc.ini', '.dbt/profiles.yml', '.snowflake', '.databrickscfg',
    '.kaggle/kaggle.json', '.config/kaggle/kaggle.json', '.Renviron', '.local/share/DBeaverData/workspace6/General/.dbeaver',
    'Library/DBeaverData/workspace6/General/.dbeaver',
  ],
  // Editors' and API clients' stores of tokens and connection passwords (saved requests' keys, KeePass files, secret storage).
  tools: [
    '.config/JetBrains', 'Library/Application Support/JetBrains', '.config/Code/User/globalStorage',
    'Library/Application Support/Code/User/globalStorage', '.config/Postman', 'Library/Application Support/Postman',
    '.config/Insomnia', 'Library/Application Support/Insomnia', '.config/Code - Insiders/User/globalStorage',
    '.config/VSCodium/User/globalStorage',
  ],
  // AI tools' sign-ins and keys.
  ai: [
    '.claude/.credentials.json', '.codex/auth.json', '.gemini/oauth_creds.json', '.config/github-copilot', '.huggingface/token',
    '.cache/huggingface/token', '.cache/huggingface/stored_tokens', '.ollama/id_ed25519', '.config/Cursor/User/globalStorage',
    'Library/Application Support/Cursor/User/globalStorage', '.config/Windsurf/User/globalStorage',
    'Library/Application Support/Windsurf/User/globalStorage', ...electronSession('.config/Claude'),
    ...electronSession('Library/Application Support/Claude'),
  ],
  // Keychains, keyrings and password managers.
  secretStores: [
    '.password-store', '.local/share/keyrings', '.local/share/kwalletd', 'Library/Keychains', '.config/op', '.config/1Password',
    '.config/Bitwarden', '.config/Bitwarden CLI', 'Library/Application Support/Bitwarden', '.config/sops/age',
    // Their SSH agents' sockets, which sign with the keys they hold (agent-sockets.ts hides the session's others).
    '.1password', 'Library/Group Containers/2BUA8C4S2C.com.1password', '.bitwarden-ssh-agent.sock',
    'Library/Containers/com.maxgoedjen.Secretive.SecretAgent',
  ],
  // Shell and REPL histories: a token pasted on a command line or into a prompt stays there.
  histories: [
    '.bash_history', '.zsh_history', '.zhistory', '.histfile', '.zsh_sessions', '.local/share/fish/fish_history',
    '.local/share/atuin', '.python_history', '.ipython/profile_default/history.sqlite', '.node_repl_history',
    '.psql_history', '.mysql_history', '.sqlite_history', '.duckdb_history', '.rediscli_history', '.mongosh', '.dbshell',
    '.irb_history', '.pry_history', '.julia/logs/repl_history.jl', '.viminfo',
  ],
  // Browsers' profiles: their cookies are signed-in sessions (Firefox's unencrypted) and their saved passwords.
  browsers: [
    '.mozilla', '.config/google-chrome', '.config/google-chrome-beta', '.config/chromium', '.config/BraveSoftware',
    '.config/microsoft-edge', '.config/vivaldi', '.config/opera', 'snap/firefox', 'snap/chromium', 'snap/brave', 'snap/opera',
    '.var/app', 'Library/Application Support/Google/Chrome', 'Library/Application Support/Chromium',
    'Library/Application Support/BraveSoftware', 'Library/Application Support/Microsoft Edge', 'Library/Application Support/Arc',
    'Library/Application Support/Vivaldi', 'Library/Application Support/com.operasoftware.Opera',
    'Library/Application Support/Firefox', 'Library/Safari', 'Library/Containers/com.apple.Safari', 'Library/Cookies',
  ],
  // Caches holding copies of private files and pages (~/.cache is readable to every server, its runtimes' caches are
  // there): thumbnails of pictures and documents, the desktop search index (files' text), browsers' and mail's caches.
  cachedCopies: [
    '.cache/thumbnails', '.thumbnails', '.cache/tracker', '.cache/tracker3', '.cache/mozilla', '.cache/google-chrome',
    '.cache/chromium', '.cache/BraveSoftware', '.cache/microsoft-edge', '.cache/vivaldi', '.cache/opera', '.cache/evolution',
    '.cache/thunderbird', 'Library/Caches/Google/Chrome', 'Library/Caches/Firefox', 'Library/Caches/com.apple.Safari',
  ],
  // Mail and chat apps: their mail and mail passwords, and sessions that are the account (a Slack or Discord token,
  // Telegram's tdata).
  messaging: [
    '.msmtprc', '.config/msmtp', '.mbsyncrc', '.fetchmailrc', '.muttrc', '.mutt', '.config/mutt', '.thunderbird', 'snap/thunderbird', '.local/share/evolution', 'Library/Thunderbird', 'Library/Mail', 'Library/Messages',
    '.config/Slack', 'snap/slack', 'Library/Application Support/Slack', 'Library/Containers/com.tinyspeck.slackmacgap',
    '.config/discord', 'snap/discord', 'Library/Application Support/discord', '.config/Signal', 'snap/signal-desktop',
    'Library/Application Support/Signal', '.config/Element', 'Library/Application Support/Element',
    '.config/Microsoft/Microsoft Teams', '.config/teams-for-linux', 'Library/Application Support/Microsoft/Teams',
    '.local/share/TelegramDesktop', 'snap/telegram-desktop', 'Library/Application Support/Telegram Desktop',
  ],
};

/** The secrets' paths in `home`, every kind. */
export function homeSecrets(home: string): string[] {
  return Object.values(HOME_SECRETS).flat().map((path) => join(home, path));
}
