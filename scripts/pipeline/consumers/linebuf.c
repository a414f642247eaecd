// SPDX-License-Identifier: GPL-2.0
/*
 * Linked into the tools/accounting programs by scripts/pipeline/ksft.sh: stdout
 * line-buffered, as "stdbuf -oL" would make it (the tools are static, so
 * stdbuf's LD_PRELOAD cannot), so that a listener killed at the end of a
 * check has written every record it printed.  The tools are unchanged.
 */
#include <stdio.h>

static void __attribute__((constructor)) linebuf(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}
