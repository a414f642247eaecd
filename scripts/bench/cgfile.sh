#!/bin/bash
# make bench-cgfile: CGROUPSTATS_CMD_GET of a cgroup v2 directory against
# the cgroupfs file Tejun Heo named as its alternative.  Builds the series
# kernel with bench/cgroup-file.patch (a prototype "cgroup.task_states"
# doing the same subtree walk; instrumentation, never part of the series)
# and boots it once under bench/boot.sh's QEMU (one vCPU, -icount: times
# count guest instructions), where tsbench cgstats times the query, the
# file and what userspace reads from /proc, over the same sleeping threads.
set -euo pipefail
exec "$(dirname "$0")"/instrumented.sh cgfile cgroup-file.patch kernel/cgroup/cgroup.c 5
