#!/usr/bin/env bash
# `make up`: the single-box appliance. Today it runs what exists — the real Kafka broker over
# mutual TLS with the appliance CA — and says what it does not start yet. The control plane,
# the agent and the UI join here with issue 9.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh

stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo
  echo "enclave: stopping"
  npm run --silent kafka:stop || true
}
trap stop EXIT
trap 'stop; exit 0' INT TERM

npm run --silent kafka:start
cat <<MSG

Enclave (single box) is up — what exists so far:
  Kafka broker  mutual TLS 1.3 on $(grep '^KAFKA_BOOTSTRAP=' .enclave/dev/kafka.env | cut -d= -f2)
                client settings for kcat and tools: .enclave/dev/kafka.env
  Appliance CA  .enclave/dev/ca  (enclave cert list --dir .enclave/dev/ca)
Not started by make up yet: the control plane and the agent exist and are tested, but
starting them here with a demo tenant is issue 9; the UI is issue 8.
Press Ctrl-C to stop.
MSG
while true; do sleep 3600 & wait $!; done
