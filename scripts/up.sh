#!/usr/bin/env bash
# `make up`: the whole appliance on this machine until Ctrl-C — the Kafka broker (mutual TLS 1.3
# under the dev CA), the control plane with the web UI, on the first run a demo tenant with its accounts, and
# one local agent (CPU). State lives in .enclave/dev/ (ENCLAVE_DEV_DIR) and is reused by the
# next run. The launcher is devkit/src/appliance/cli/up.ts (the tests boot the same code).
# Settings: ENCLAVE_API_PORT (8443), ENCLAVE_AGENT_PORT (8444), ENCLAVE_KAFKA_PORT (19093),
# ENCLAVE_AGENT_ALLOW_UNSANDBOXED=1 on hosts that cannot give steps a network namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh
# The web UI (ui/dist), served by the control plane on the same URL: built when missing or older
# than its sources (vite, a few seconds).
if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html ui/public contracts/src -newer ui/dist/index.html -print -quit)" ]; then
  echo "enclave: building the web UI (ui/dist)"
  npm run --silent build -w @enclave/ui >/dev/null
fi
# exec: the launcher is the process that gets Ctrl-C, and it stops agent, control plane and
# broker in that order.
exec node devkit/src/appliance/cli/up.ts
