#!/bin/bash
# make bench-breakdown: where a plain listener's cost per exit goes.  Builds
# the series kernel with bench/breakdown.patch, which lets the exit path stop
# a record after allocating it, after filling it (with or without the
# executable lookup) or not at all, and boots it once under bench/boot.sh's
# QEMU (one vCPU, -icount: rates count guest instructions).  The difference
# between two consecutive steps is what that step costs per exit.
# Instrumentation for this benchmark only, never part of the series.
set -euo pipefail
exec "$(dirname "$0")"/instrumented.sh breakdown breakdown.patch kernel/taskstats.c 3
