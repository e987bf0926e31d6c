#!/bin/sh
# Helm plugin install/update hook: make sure dist/ is built. Idempotent; never fetches helm.
# Hooks run in the caller's working directory, so move to the plugin folder first.
set -eu

say() { printf 'imageguard: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ -n "${HELM_PLUGIN_DIR:-}" ] || die "HELM_PLUGIN_DIR is not set (this script is run by 'helm plugin install')"
cd "$HELM_PLUGIN_DIR" || die "cannot cd to $HELM_PLUGIN_DIR"

command -v node >/dev/null 2>&1 || die "node not found on PATH: imageguard needs Node.js >= 20 (install it, then reinstall the plugin)"
command -v npm >/dev/null 2>&1 || die "npm not found on PATH: imageguard needs npm to build (install it, then reinstall the plugin)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' \
  || die "Node.js >= 20 is required (found $(node --version))"

# Build when dist/cli/main.js is missing or package.json is newer than it.
needs_build() {
  [ ! -f dist/cli/main.js ] || [ -n "$(find package.json -newer dist/cli/main.js)" ]
}

needs_build || exit 0

if [ ! -d node_modules ]; then
  say "installing dependencies (npm) ..."
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --include=dev >&2 || die "npm ci failed in $HELM_PLUGIN_DIR"
  else
    npm install --no-audit --no-fund --include=dev >&2 || die "npm install failed in $HELM_PLUGIN_DIR"
  fi
fi

# npm ci already builds (prepare); build only if that did not happen.
if needs_build; then
  say "building ..."
  npm run build >&2 || die "build failed in $HELM_PLUGIN_DIR (npm run build)"
fi
[ -f dist/cli/main.js ] || die "build finished but dist/cli/main.js is missing"
say "ready"
