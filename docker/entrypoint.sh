#!/bin/sh
# The image's ENTRYPOINT and $AIRBYTE_ENTRYPOINT: runs the connector with a heap sized from the
# container's memory limit. POSIX sh only (the platform calls it from `sh -c`; busybox and dash work).
set -eu
. /airbyte/integration_code/heap.sh
exec node /airbyte/integration_code/dist/main.js "$@"
