#!/usr/bin/env bash
# `make test`: formatting, lint (with a proof that the boundary rule bites), typecheck and
# every test suite through Nx, against one real Kafka broker shared by the integration suites.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh

rm -rf .enclave/test-results
started_broker=0
stop_broker() { if [ "$started_broker" = 1 ]; then npm run --silent kafka:stop || true; fi; }
trap stop_broker EXIT

if ! node devkit/src/kafka/cli/kafka-status.ts --quiet; then
  npm run --silent kafka:start
  started_broker=1
fi

# Every stage runs even when an earlier one failed, so that one red run names all its failures;
# the closing summary lists them last, where CI's tail shows them.
status=0
failed_stages=()
run() { "$@" || { failed_stages+=("$*"); status=1; }; }
run npx prettier --check . --log-level warn
run node scripts/check-boundaries.ts
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
run npx nx run-many -t lint typecheck test --outputStyle=stream --skip-nx-cache
# The suites kept out of the packages' test targets (vitest.shared.ts): fuzzing, security, and
# the fault suite (kill -9 of the control plane during 1,000 submissions; ~1.5 min, docs/reliability.md).
run node scripts/test-fuzz.ts
run node scripts/test-security.ts
run node scripts/test-faults.ts
for stage in "${failed_stages[@]}"; do echo "stage failed: ${stage:0:100}"; done
run node scripts/summarize-tests.ts contracts certs crypto devkit gpu-node agent control-plane ui \
  provisioning fuzz control-plane-security control-plane-faults
exit "$status"
