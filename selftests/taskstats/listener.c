// SPDX-License-Identifier: GPL-2.0
/*
 * Exit-record listeners: a socket registered with
 * TASKSTATS_CMD_ATTR_REGISTER_CPUMASK receives a record when a task exits on
 * one of its CPUs, and nothing for other CPUs or after deregistering.
 *
 * Records are queued in do_exit() before the parent is notified, so once
 * waitpid() has returned a record is either in the socket or never coming:
 * the "no record" checks drain without waiting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/acct.h>

#include "../kselftest_harness.h"
#include "ts_netlink.h"

FIXTURE(listener) {
	struct ts_sock s;
	char all[32];		/* "0-N": every online CPU */
};

FIXTURE_SETUP(listener)
{
	int rc = ts_open(&self->s, 0);

	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
	snprintf(self->all, sizeof(self->all), "0-%d", ts_online_cpus() - 1);
}

FIXTURE_TEARDOWN(listener)
{
	if (self->s.fd >= 0)
		ts_deregister(&self->s, self->all);
	ts_close(&self->s);
}

/* Run a child on @cpu that exits with @code; return its pid after reaping. */
static pid_t exit_on_cpu(struct __test_metadata *_metadata, int cpu, int code)
{
	pid_t pid = ts_spawn_exit(cpu, code);
	int status;

	if (pid < 0)
		return pid;
	status = ts_reap(pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(code, WEXITSTATUS(status));
	return pid;
}

TEST_F(listener, record_on_registered_cpu)
{
	struct ts_record rec, tgid;
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, "0"));
	pid = exit_on_cpu(_metadata, 0, 3);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, &tgid, TS_TIMEOUT_MS));
	EXPECT_EQ((uint32_t)pid, rec.st.ac_pid);
	EXPECT_EQ((uint32_t)pid, rec.st.ac_tgid);
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_ppid);
	EXPECT_EQ(3 << 8, rec.st.ac_exitcode);
	/* Forked without exec, and the last (only) thread of its group. */
	EXPECT_TRUE(rec.st.ac_flag & AFORK);
	EXPECT_TRUE(rec.st.ac_flag & AGROUP);
	EXPECT_EQ(TASKSTATS_VERSION, rec.st.version);
	/* A single-threaded process gets no separate TGID record. */
	EXPECT_EQ(0, tgid.type);
}

TEST_F(listener, no_record_on_other_cpu)
{
	struct ts_record rec;
	pid_t pid;

	if (ts_online_cpus() < 2)
		SKIP(return, "needs two online CPUs");
	ASSERT_EQ(0, ts_register(&self->s, "0"));
	pid = exit_on_cpu(_metadata, 1, 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_drain_count(&self->s, pid));
	/* The listener itself works: an exit on CPU 0 is reported. */
	pid = exit_on_cpu(_metadata, 0, 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));
}

TEST_F(listener, every_registered_cpu)
{
	struct ts_record rec;
	int cpu;

	ASSERT_EQ(0, ts_register(&self->s, self->all));
	for (cpu = 0; cpu < ts_online_cpus(); cpu++) {
		pid_t pid = exit_on_cpu(_metadata, cpu, 0);

		ASSERT_LT(0, pid);
		EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS))
			TH_LOG("no record for an exit on CPU %d", cpu);
	}
}

TEST_F(listener, deregister_stops_records)
{
	struct ts_record rec;
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, "0"));
	pid = exit_on_cpu(_metadata, 0, 0);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));

	ASSERT_EQ(0, ts_deregister(&self->s, "0"));
	pid = exit_on_cpu(_metadata, 0, 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_drain_count(&self->s, pid));
}

TEST_F(listener, register_twice_one_record)
{
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, "0"));
	ASSERT_EQ(0, ts_register(&self->s, "0"));
	pid = exit_on_cpu(_metadata, 0, 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(1, ts_drain_count(&self->s, pid));
}

TEST_F(listener, two_sockets_both_receive)
{
	struct ts_record rec;
	struct ts_sock other;
	pid_t pid;

	ASSERT_EQ(0, ts_open(&other, 0));
	ASSERT_EQ(0, ts_register(&self->s, "0"));
	ASSERT_EQ(0, ts_register(&other, "0"));
	pid = exit_on_cpu(_metadata, 0, 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));
	EXPECT_EQ(0, ts_wait_exit_of(&other, pid, &rec, NULL, TS_TIMEOUT_MS));
	ts_deregister(&other, "0");
	ts_close(&other);
}

static void *burn_thread(void *unused)
{
	struct timespec start, now;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 +
		 (now.tv_nsec - start.tv_nsec) / 1000000 < 100);
	return NULL;
}

/*
 * When the last thread of a multi-threaded process exits, its message
 * carries a second record: the whole group's statistics, including the CPU
 * time of the threads that exited before.
 */
TEST_F(listener, thread_group_record)
{
	struct ts_record rec, tgid;
	pid_t pid;
	int status;

	ASSERT_EQ(0, ts_register(&self->s, "0"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pthread_t t;

		if (ts_pin_to_cpu(0) || pthread_create(&t, NULL, burn_thread, NULL))
			_exit(1);
		pthread_join(t, NULL);
		_exit(0);
	}
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, &tgid, TS_TIMEOUT_MS));
	EXPECT_TRUE(rec.st.ac_flag & AGROUP);
	ASSERT_EQ(TASKSTATS_TYPE_TGID, tgid.type);
	EXPECT_EQ((uint32_t)pid, tgid.id);
	EXPECT_EQ(TASKSTATS_VERSION, tgid.st.version);
	/* 100 ms burnt by the exited thread, in microseconds, less one tick. */
	EXPECT_LE(96000, tgid.st.ac_utime + tgid.st.ac_stime);
}

TEST_HARNESS_MAIN
