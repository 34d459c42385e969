import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { isInside } from '../policy/matchers/resolve-path';

/** What is read of this process's environment and the temp folders: replaced in tests. */
export interface SocketPlaces {
  env: Record<string, string | undefined>;
  /** The temp folders' entries' names (`/tmp` and the process's own temp folder). */
  tempFolders: string[];
  list: (folder: string) => string[];
}

const here = (): SocketPlaces => ({ env: process.env, tempFolders: [...new Set(['/tmp', tmpdir()])], list: (folder) => readdirSync(folder) });

/**
 * The SSH agent's socket as this process's environment names it (`SSH_AUTH_SOCK`): its folder when it is the
 * agent's own (OpenSSH's `/tmp/ssh-XXXX/agent.N`, a forwarded agent's too: named `ssh-…`, holding agents' sockets
 * alone), else the socket alone (given to a server, a folder `~/ssh-keys` beside it would give the keys too). Null
 * when none.
 */
export function sshAgentSocket(places: SocketPlaces = here()): string | null {
  const socket = places.env['SSH_AUTH_SOCK'];
  if (!socket || !isAbsolute(socket)) return null;
  const folder = dirname(socket);
  return /^ssh-/.test(basename(folder)) && agentsAlone(folder, places) ? folder : socket;
}

/** Whether `folder` holds nothing but agents' sockets (`agent.N`); false when it cannot be listed. */
function agentsAlone(folder: string, places: SocketPlaces): boolean {
  try {
    return places.list(folder).every((name) => name.startsWith('agent.'));
  } catch {
    return false;
  }
}

/**
 * The sockets through which a process of this user gets what the sandbox withholds from a server: an agent signs
 * with the person's SSH or GPG keys, D-Bus hands out an unlocked keyring's secrets, tmux and screen type commands
 * into the person's shells, the X server their keystrokes, Docker and Podman start a container with the host's disk.
 * Hidden from every server (a path that is not there hides nothing). sandbox-runtime's seccomp filter refuses Unix
 * sockets altogether where its helper runs; where it does not (warned about at start), only this keeps them out
 * of reach. The login session's runtime folder, holding most of them, is hidden whole (read-denials.ts); its
 * sockets are listed here too for when it is not (the temp folder inside it). An abstract socket needs no file
 * and is out of reach anyway: every server has a network namespace of its own.
 * `keepSshAgent`: the person gave this server their SSH agent (`"sandbox": { "sshAgent": true }`). `workspace`: never
 * hidden, nor a folder holding it (a project in `/tmp/ssh-demo`).
 */
export function agentSocketDenies(options: { keepSshAgent?: boolean; workspace?: string; places?: SocketPlaces } = {}): string[] {
  const places = options.places ?? here();
  const { env } = places;
  const sshAgent = sshAgentSocket(places);
  // The session's runtime folder as the environment names it, and the login's own where that is another (a snap's
  // XDG_RUNTIME_DIR is a folder of its own inside it).
  const runtimes = [...new Set([env['XDG_RUNTIME_DIR'], `/run/user/${process.getuid?.() ?? ''}`].filter((f): f is string => !!f && isAbsolute(f)))];
  const socketsIn = (folder: string, names: RegExp): string[] => {
    try {
      return places.list(folder).filter((name) => names.test(name)).map((name) => join(folder, name));
    } catch {
      return [];
    }
  };
  // OpenSSH's agent folder holds `agent.<pid>`; another user's cannot be listed (hidden too: nothing of ours is there).
  const agentFolder = (folder: string): boolean => {
    try {
      return places.list(folder).some((name) => name.startsWith('agent.'));
    } catch {
      return true;
    }
  };
  const found = [
    // SSH agents: the one this session uses, and every OpenSSH agent's folder in the temp folders (another session's,
    // a forwarded one), found as they are at the server's start.
    ...(sshAgent ? [sshAgent] : []),
    ...places.tempFolders.flatMap((folder) => socketsIn(folder, /^ssh-/).filter(agentFolder)),
    // GPG's agent: the keyring folder GNUPGHOME names (~/.gnupg is among the home folder's secrets), and GPG 2.0's.
    ...(env['GNUPGHOME'] && isAbsolute(env['GNUPGHOME']) ? [env['GNUPGHOME']] : []),
    ...(env['GPG_AGENT_INFO']?.startsWith('/') ? [env['GPG_AGENT_INFO'].split(':')[0]!] : []),
    // The session's bus (an unlocked keyring's secrets, the desktop's portals) where it is a file.
    ...dbusSocket(env['DBUS_SESSION_BUS_ADDRESS']),
    // Hidden one by one for when the folder is not hidden whole: the temp folder or the workspace inside it.
    ...runtimes.flatMap((runtime) => RUNTIME_SOCKETS.map((name) => join(runtime, name))),
    // The system's bus: polkit lets a process of the active session reboot, mount disks, change the network's settings.
    '/run/dbus', '/var/run/dbus',
    // Terminal multiplexers (tmux send-keys runs a command in the person's shell) and the X server.
    ...places.tempFolders.flatMap((folder) => socketsIn(folder, /^(tmux-\d+|\.X11-unix|\.ICE-unix|dbus-.+)$/)),
    '/run/screen', '/var/run/screen',
    // Container engines' daemons: a container with the host's disk mounted is the whole computer.
    '/var/run/docker.sock', '/run/docker.sock', '/run/podman', '/run/containerd/containerd.sock', '/var/run/libvirt',
  ];
  const kept = options.keepSshAgent && sshAgent ? sshAgent : null;
  const { workspace } = options;
  return [...new Set(found)].filter((path) => path !== kept && !(workspace && isInside(workspace, path, false)));
}

/**
 * What of the session's runtime folder is a way out: the agents, the session bus and the keyring; systemd's user
 * manager (its private socket starts any command outside the sandbox, as `systemd-run --user` does), the
 * accessibility bus (reads and types into every window), PipeWire's and PulseAudio's sockets (the microphone),
 * p11-kit's (keys of smart cards and keyrings), gvfs' daemon and mounts (network shares signed in), Docker's and Podman's,
 * and podman's registry logins (`containers/auth.json`, a file: readable also where sockets are refused).
 */
const RUNTIME_SOCKETS = ['gnupg', 'keyring', 'gcr', 'bus', 'ssh-agent.socket', 'openssh_agent', 'systemd', 'at-spi', 'pipewire-0', 'pipewire-0-manager', 'pulse', 'p11-kit', 'gvfs', 'gvfsd', 'docker.sock', 'podman', 'containers'];

/** The file of a D-Bus address (`unix:path=/run/user/1000/bus,guid=…`); none for an abstract one. */
function dbusSocket(address: string | undefined): string[] {
  const path = /(?:^|;)unix:(?:[^;]*,)?path=([^,;]+)/.exec(address ?? '')?.[1];
  return path && isAbsolute(path) ? [decodeURIComponent(path)] : [];
}
