// SPDX-License-Identifier: GPL-2.0
/*
 * A listener whose socket is closed without deregistering leaves nothing
 * behind: an unprivileged socket that binds the same portid afterwards
 * receives no exit record.  Kernels without the taskstats socket-delivery
 * fix hand it every record; this test is kept apart from listener.c so
 * that it can follow the fix instead of coming with it.  A listener that
 * stays open over the same CPUs is the positive control: it must get the
 * record of every exit, so that "no record" means none was delivered, not
 * that none was made.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ts_netlink.h"

#define MAX_CPUS	256
#define EXITS		20	/* spread over the allowed CPUs, cycling */
/* The unprivileged child's exit codes other than the count of records. */
#define CHILD_SETUP	255
#define CHILD_WAIT	254
#define CHILD_READ	253

TEST(closed_listener_portid_reused_unprivileged)
{
	uint32_t portid = 0x70000000u | ((uint32_t)getpid() << 4) | 1;
	int cpus[MAX_CPUS], ncpus, ready[2], done[2], status, rc, i;
	struct ts_sock root, ctl;
	struct ts_record rec;
	char all[1024], c;
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	ncpus = ts_allowed_cpus(cpus, MAX_CPUS);
	ASSERT_LT(0, ncpus);
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	ASSERT_EQ(0, ts_allowed_cpulist(all, sizeof(all)));
	rc = ts_open(&root, portid);
	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
	if (ts_may_query(&root) == -EPERM) {
		ts_close(&root);
		SKIP(return, TS_NEEDS_ADMIN);
	}
	rc = ts_register(&root, all);
	if (rc == -EINVAL || rc == -EPERM) {
		/* A container: registration needs the initial namespaces. */
		ts_close(&root);
		SKIP(return, "registration refused (%d): run in the initial namespaces",
		     rc);
	}
	ASSERT_EQ(0, rc);
	ts_close(&root);
	ASSERT_EQ(0, ts_open(&ctl, 0));
	ASSERT_EQ(0, ts_register(&ctl, all));

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct pollfd pfd = { .fd = done[0], .events = POLLIN };
		struct ts_sock u;
		int n;

		close(ready[0]);
		close(done[1]);
		if (ts_drop_privileges() || ts_open(&u, portid))
			_exit(CHILD_SETUP);
		if (write(ready[1], "r", 1) != 1 || poll(&pfd, 1, 60000) != 1)
			_exit(CHILD_WAIT);
		n = ts_drain_count(&u, -1);
		_exit(n < 0 ? CHILD_READ : n > 200 ? 200 : n);
	}
	/* A child that dies before it is ready ends the read with EOF. */
	close(ready[1]);
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1))
		TH_LOG("the unprivileged child exited before binding the portid");
	/* Exits on the CPUs the closed listener had registered. */
	for (i = 0; i < EXITS; i++) {
		pid_t child = ts_spawn_exit(cpus[i % ncpus], 0);

		ASSERT_LT(0, child);
		status = ts_reap(child);
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, ts_wait_exit_of(&ctl, child, &rec, NULL, TS_TIMEOUT_MS))
			TH_LOG("the open listener got no record of exit %d", i);
	}
	ts_close(&ctl);
	ASSERT_EQ(1, write(done[1], "d", 1));
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_GT(CHILD_READ, WEXITSTATUS(status))
		TH_LOG("the unprivileged child failed (%d: %s)", WEXITSTATUS(status),
		       WEXITSTATUS(status) == CHILD_SETUP ? "drop privileges or bind" :
		       WEXITSTATUS(status) == CHILD_WAIT ? "wait" : "read");
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("an unregistered socket received %d exit records",
		       WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
