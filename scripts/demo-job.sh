#!/usr/bin/env bash
# The demo job against the running single box (`make up` in another terminal): signs in as the
# demo producer from .enclave/dev/demo.env, creates a project, uploads fixtures/stills/*.jpg,
# submits a promo-video job, follows it to the end and downloads the MP4.
#   scripts/demo-job.sh [OUT.mp4]        (default ./enclave-demo.mp4)
# ENCLAVE_DEMO_ENV=FILE points at another demo.env (e.g. one made with ENCLAVE_DEV_DIR).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source "$root/scripts/node-env.sh" >/dev/null
exec node "$root/devkit/src/appliance/cli/demo-job.ts" "$@"
