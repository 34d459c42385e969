import { describe, expect, it } from 'vitest';
import { agentSocketDenies, type SocketPlaces, sshAgentSocket } from '../../src/core/sandbox/agent-sockets';

const places = (env: Record<string, string>, entries: Record<string, string[]> = {}): SocketPlaces => ({
  env,
  tempFolders: ['/tmp'],
  list: (folder) => {
    if (!entries[folder]) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return entries[folder];
  },
});

describe("local agents' and daemons' sockets a sandboxed server may not reach", () => {
  it("hides the SSH agent's own folder, every OpenSSH agent's folder, tmux's and the X server's in the temp folder", () => {
    const denied = agentSocketDenies({
      places: places(
        { SSH_AUTH_SOCK: '/tmp/ssh-Ab12/agent.77', XDG_RUNTIME_DIR: '/run/user/1000' },
        { '/tmp': ['ssh-Ab12', 'ssh-Zz99', 'ssh-notes', 'tmux-1000', '.X11-unix', 'notes.txt', 'dbus-QwErTy'], '/tmp/ssh-Ab12': ['agent.77'], '/tmp/ssh-notes': ['todo.md'] },
      ),
    });
    expect(denied).toEqual(expect.arrayContaining(['/tmp/ssh-Ab12', '/tmp/ssh-Zz99', '/tmp/tmux-1000', '/tmp/.X11-unix', '/tmp/dbus-QwErTy']));
    expect(denied).toEqual(expect.arrayContaining(['/run/user/1000/gnupg', '/run/user/1000/keyring', '/run/user/1000/bus', '/var/run/docker.sock']));
    expect(denied).not.toContain('/tmp/notes.txt');
    expect(denied).not.toContain('/tmp/ssh-notes'); // a folder of files, no agent's (ssh-Zz99 is another user's: unlisted)
    expect(denied.filter((p) => p === '/tmp/ssh-Ab12')).toHaveLength(1);
  });

  it("hides a socket alone where its folder is not the agent's own, and the session bus and GPG's home named by the environment", () => {
    const env = { SSH_AUTH_SOCK: '/home/me/.1password/agent.sock', GNUPGHOME: '/home/me/keys/gpg', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/my%20bus,guid=1f' };
    expect(sshAgentSocket(places(env))).toBe('/home/me/.1password/agent.sock');
    expect(agentSocketDenies({ places: places(env) })).toEqual(expect.arrayContaining(['/home/me/.1password/agent.sock', '/home/me/keys/gpg', '/tmp/my bus']));
    // An abstract bus has no file (and is out of reach in the server's own network namespace); a relative path is no place.
    expect(agentSocketDenies({ places: places({ DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-x', SSH_AUTH_SOCK: 'agent.sock' }) }).some((p) => p.includes('dbus-x') || p === 'agent.sock')).toBe(false);
  });

  it("gives a server the SSH agent's folder only when it holds agents alone: a folder of keys named ssh-… beside the socket stays hidden", () => {
    const env = { SSH_AUTH_SOCK: '/home/me/ssh-keys/agent.sock' };
    expect(sshAgentSocket(places(env, { '/home/me/ssh-keys': ['agent.sock', 'id_ed25519', 'id_ed25519.pub'] }))).toBe('/home/me/ssh-keys/agent.sock');
    expect(sshAgentSocket(places({ SSH_AUTH_SOCK: '/tmp/ssh-Ab12/agent.77' }, { '/tmp/ssh-Ab12': ['agent.77'] }))).toBe('/tmp/ssh-Ab12');
  });

  it('leaves the SSH agent to a server the person gave it, and nothing else', () => {
    const env = { SSH_AUTH_SOCK: '/tmp/ssh-Ab12/agent.77' };
    const kept = agentSocketDenies({ keepSshAgent: true, places: places(env, { '/tmp': ['ssh-Ab12', 'ssh-Other'], '/tmp/ssh-Ab12': ['agent.77'] }) });
    expect(kept).not.toContain('/tmp/ssh-Ab12');
    expect(kept).toContain('/tmp/ssh-Other');
    expect(agentSocketDenies({ keepSshAgent: true, places: places({}) })).toContain('/var/run/docker.sock');
  });

  it("hides the system's bus, and systemd's and the microphone's sockets in the runtime folder the environment names and in the login's own", () => {
    const denied = agentSocketDenies({ places: places({ XDG_RUNTIME_DIR: '/run/user/1000/snap.portcullis' }) });
    const own = `/run/user/${process.getuid?.() ?? ''}`;
    expect(denied).toEqual(expect.arrayContaining(['/run/dbus', '/run/user/1000/snap.portcullis/systemd', `${own}/systemd`, `${own}/at-spi`, `${own}/pipewire-0`, `${own}/pulse`, `${own}/bus`]));
  });

  it('never hides the workspace, nor a folder holding it', () => {
    const denied = agentSocketDenies({ workspace: '/tmp/ssh-demo/project', places: places({ SSH_AUTH_SOCK: '/tmp/ssh-demo/agent.1' }, { '/tmp': ['ssh-demo'], '/tmp/ssh-demo': ['agent.1', 'project'] }) });
    expect(denied).not.toContain('/tmp/ssh-demo');
  });
});
