#!/bin/sh
# The image's ENTRYPOINT and $AIRBYTE_ENTRYPOINT: runs the connector with a heap sized from the
# container's memory limit and the Node flags in node-flags. POSIX sh only (the platform calls it from `sh -c`; busybox and dash work).
set -eu
. /airbyte/integration_code/heap.sh
# node-flags: a young generation of 2 x 4 MiB instead of up to 2 x 16, and a heap that grows by two
# fifths past what survived the last full GC instead of up to several times: V8's defaults let RSS
# climb by tens of MiB of uncollected garbage over a long read, for no gain in speed here. The old
# space may reach 40 MiB before that growth applies: above a live heap of about 15 MiB, two fifths
# leave less room than the young generation needs, and V8 began a full GC every five pages or so
# (a third of the CPU of a read).
SPM_NODE_FLAGS=''
read -r SPM_NODE_FLAGS < /airbyte/integration_code/node-flags || :
# The flags are separate words: unquoted on purpose.
# shellcheck disable=SC2086
exec node $SPM_NODE_FLAGS /airbyte/integration_code/dist/main.js "$@"
