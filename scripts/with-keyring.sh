#!/usr/bin/env sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret Service), so the
# keychain tests exercise the OS keychain exactly as the desktop app does. Temp HOME/XDG_RUNTIME_DIR keep the
# person's own keyring untouched. Usage: scripts/with-keyring.sh <command> [args...]
# Where dbus-run-session or gnome-keyring-daemon is missing, the command runs as is (the keychain tests then
# check the clear "no keychain" error instead) and a note says how to install them.
set -eu
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with-keyring: dbus-run-session or gnome-keyring-daemon not found (apt-get install dbus gnome-keyring); running without a Secret Service" >&2
  exec "$@"
fi
PORTCULLIS_KEYRING_TMP="$(mktemp -d "${TMPDIR:-/tmp}/portcullis-keyring-XXXXXX")"
export PORTCULLIS_KEYRING_TMP
trap 'rm -rf "$PORTCULLIS_KEYRING_TMP"' EXIT INT TERM
mkdir -p "$PORTCULLIS_KEYRING_TMP/run" "$PORTCULLIS_KEYRING_TMP/home"
chmod 700 "$PORTCULLIS_KEYRING_TMP/run"
# The inner shell starts the keyring daemon (unlocked with a throwaway password), then runs the command.
dbus-run-session -- sh -c '
  export XDG_RUNTIME_DIR="$PORTCULLIS_KEYRING_TMP/run" HOME="$PORTCULLIS_KEYRING_TMP/home"
  eval "$(printf portcullis-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  export PORTCULLIS_SECRET_SERVICE=1
  # gnome-keyring-daemon leaves with the session bus, which dbus-run-session ends when the command exits.
  exec "$@"
' with-keyring "$@"
