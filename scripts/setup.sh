#!/usr/bin/env bash
# Idempotent setup shared by `make up` and `make test`: Debian packages, Node.js 24,
# npm dependencies (only when the lockfile or the Node version changed), the Kafka broker jars.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

# 1. Debian packages.
mapfile -t wanted < <(grep -Ev '^\s*(#|$)' scripts/debian-packages.txt)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages; run as root:"
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# 2. Node.js 24.
# shellcheck source=scripts/node-env.sh
source scripts/node-env.sh

# 3. npm dependencies, when the lockfile or the Node version changed.
stamp="node_modules/.enclave-install-stamp"
want="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node -v)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "npm ci (native add-ons build against Node $(node -v); node-rdkafka takes a few minutes)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# 4. The Kafka broker jars (cached outside the repository).
node devkit/src/kafka/cli/kafka-fetch.ts

# 5. Schemathesis (the API fuzzer of `npm run test:fuzz`), pinned, in a venv outside the repo.
schemathesis_version=4.32.5
venv="$HOME/.cache/enclave/venv-schemathesis"
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $schemathesis_version" ]; then
  say "installing schemathesis $schemathesis_version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi
