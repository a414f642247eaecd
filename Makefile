# Entry points; each is a script in scripts/ (see README.md).
.PHONY: run check check-parts check-bisect bench bench-breakdown bench-cgfile tree export base kselftest-tar lab clean help soak sign
# A bare "make" lists the targets, as kunit.py and nolibc's runner do:
# building and booting a kernel is asked for by name.
.DEFAULT_GOAL := help

run:            ## apply, build, boot and run the suite on the series kernel
	@scripts/pipeline/run.sh series

check:          ## everything CI runs: series, base and stable-parts runs, before/after tables, debug kernel, series, build and parts checks
	@scripts/check/check.sh

check-parts:    ## every part of patches/ alone on the base with the parts it needs: applies, compiles
	@scripts/check/check-parts.sh --all

check-bisect:   ## a bzImage at every patch, with and without CONFIG_TASKSTATS (before a posting)
	@scripts/check/check-bisect.sh

base:           ## the same suite on the unpatched base kernel
	@scripts/pipeline/run.sh base

soak:           ## the suite SOAK times (default 20) in one boot of the series kernel
	@scripts/pipeline/soak.sh

kselftest-tar:  ## build/kselftest-taskstats.tar.gz: the series' kselftests for a lab (gen_tar)
	@scripts/pipeline/kselftest-tar.sh

lab:            ## the tarball on a defconfig kernel, as root and as nobody, as a lab runs it (not in make check)
	@scripts/pipeline/lab.sh

tree:           ## materialize build/work: the series as commits, to edit
	@scripts/pipeline/tree.sh

export:         ## write build/work's series back to patches/ (deterministic)
	@scripts/pipeline/export.sh

sign:           ## build/signed: the series with your From: and Signed-off-by: (SIGN_AS="Name <email>")
	@scripts/pipeline/sign.sh

clean:          ## remove build/ (the base tree cache stays in ~/.cache)
	rm -rf build

help:
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*##/:/'

bench:          ## benchmark series, v7.3 and v7.3 without taskstats (not a test)
	@scripts/bench/bench.sh

bench-breakdown: ## where one plain listener's cost per exit goes (instrumented series kernel)
	@scripts/bench/breakdown.sh

bench-cgfile:   ## CGROUPSTATS against a prototype cgroupfs file (bench/cgroup-file.patch)
	@scripts/bench/cgfile.sh
