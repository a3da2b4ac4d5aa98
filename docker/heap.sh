# Sourced (not run) by entrypoint.sh. Gives Node's old space about 75% of the container's memory
# limit: V8's own default is derived from the machine's memory and caps out, so in a container it
# either wastes most of a large limit or lets the heap grow past a small one and get OOM-killed
# instead of failing with a clear message. The rest of the limit is left for buffers, code and stacks.
# Nothing changes when no limit is set, or when NODE_OPTIONS already sets --max-old-space-size.
# SPM_CGROUP_ROOT exists for the tests, which cannot switch a machine between cgroup v1 and v2.

spm_memory_limit() {
  # cgroup v2 first (unified hierarchy), then v1.
  for spm_file in "${SPM_CGROUP_ROOT:-/sys/fs/cgroup}/memory.max" \
                  "${SPM_CGROUP_ROOT:-/sys/fs/cgroup}/memory/memory.limit_in_bytes"; do
    if [ -r "$spm_file" ]; then
      cat "$spm_file" 2>/dev/null && return 0
    fi
  done
  return 0
}

spm_limit="$(spm_memory_limit)"
case "${NODE_OPTIONS:-}" in
  *--max-old-space-size*) spm_limit="" ;;
esac
case "$spm_limit" in
  '' | max | *[!0-9]*) ;; # v2 says "max" when unlimited
  *)
    # v1 says "unlimited" with a number near 2^63 (19 digits): 16 digits or more (a petabyte) is no
    # limit either.
    if [ "${#spm_limit}" -le 15 ]; then
      spm_heap_mb=$((spm_limit / 1048576 * 3 / 4))
      if [ "$spm_heap_mb" -lt 32 ]; then spm_heap_mb=32; fi
      NODE_OPTIONS="--max-old-space-size=${spm_heap_mb}${NODE_OPTIONS:+ $NODE_OPTIONS}"
      export NODE_OPTIONS
    fi
    ;;
esac
unset spm_limit spm_heap_mb spm_file
unset -f spm_memory_limit
