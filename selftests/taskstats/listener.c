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
#include <stddef.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <poll.h>
#include <linux/acct.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/filter.h>
#include <sys/syscall.h>

#include "../kselftest_harness.h"
#include "ts_netlink.h"

/*
 * The CPUs this process may run on (sched_getaffinity()), lowest first,
 * and how many (at most MAX_CPUS); every CPU list the tests send is made
 * of them: all of them, the first (c0), the second (c1, the first again
 * if there is one) and those two (c01).  Set by cpus_init() in setup.
 */
#define MAX_CPUS	256
static int cpus[MAX_CPUS], ncpus;
static char all[1024], c0[16], c1[16], c01[32];

static void cpus_init(struct __test_metadata *_metadata)
{
	ncpus = ts_allowed_cpus(cpus, MAX_CPUS);
	ASSERT_LT(0, ncpus);
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	ASSERT_EQ(0, ts_allowed_cpulist(all, sizeof(all)));
	snprintf(c0, sizeof(c0), "%d", cpus[0]);
	snprintf(c1, sizeof(c1), "%d", cpus[ncpus > 1]);
	snprintf(c01, sizeof(c01), "%s,%s", c0, c1);
}

FIXTURE(listener) {
	struct ts_sock s;
	/* Killed and reaped by the teardown if a test leaves it behind. */
	pid_t storm;
	/* failslab knobs a test changed, put back by the teardown. */
	char failslab_saved[2][16];
};

static const char *const failslab_knobs[2] = {
	"/sys/kernel/debug/failslab/ignore-gfp-wait",
	"/sys/kernel/debug/failslab/verbose",
};

static int read_knob(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Put back the failslab knobs failslab_setup() changed. */
static void failslab_restore(char saved[2][16])
{
	int i;

	for (i = 0; i < 2; i++) {
		if (saved[i][0])
			ts_write_file(failslab_knobs[i], saved[i]);
		saved[i][0] = '\0';
	}
}

/*
 * Let /proc/thread-self/fail-nth fail sleeping allocations too, with no
 * stack dump for each injected failure; failslab_restore() or the
 * teardown puts the old values back.  -1 where failslab is not there.
 */
static int failslab_setup(char saved[2][16])
{
	static const char *const quiet[2] = { "N", "0" };
	int i;

	if (access("/proc/thread-self/fail-nth", W_OK))
		return -1;
	for (i = 0; i < 2; i++) {
		char old[16];

		if (read_knob(failslab_knobs[i], old, sizeof(old)) ||
		    ts_write_file(failslab_knobs[i], quiet[i]))
			return -1;
		strcpy(saved[i], old);
	}
	return 0;
}

FIXTURE_SETUP(listener)
{
	int rc;

	self->storm = 0;
	self->s.fd = -1;
	memset(self->failslab_saved, 0, sizeof(self->failslab_saved));
	cpus_init(_metadata);
	rc = ts_open(&self->s, 0);
	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
	if (ts_may_query(&self->s) == -EPERM)
		SKIP(return, TS_NEEDS_ADMIN);
}

FIXTURE_TEARDOWN(listener)
{
	failslab_restore(self->failslab_saved);
	if (self->storm > 0) {
		kill(self->storm, SIGKILL);
		waitpid(self->storm, NULL, 0);
		self->storm = 0;
	}
	if (self->s.fd >= 0)
		ts_deregister(&self->s, all);
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

/*
 * Whether the kernel says why it refuses a request (extended-ack
 * messages, a feature checked only where the kernel has it): the refusal
 * of a request without an attribute carries one.
 */
static bool kernel_says_why(struct __test_metadata *_metadata,
			    struct ts_sock *s)
{
	int rc = ts_send(s, TASKSTATS_CMD_GET, 0, NULL, 0);

	EXPECT_LT(0, rc);
	EXPECT_EQ(-EINVAL, ts_wait_reply(s, rc, NULL, 0, TS_TIMEOUT_MS));
	return s->ext_msg[0] != '\0';
}

TEST_F(listener, record_on_registered_cpu)
{
	struct ts_record rec, tgid;
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = exit_on_cpu(_metadata, cpus[0], 3);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, &tgid, TS_TIMEOUT_MS));
	EXPECT_EQ((uint32_t)pid, rec.st.ac_pid);
	EXPECT_EQ((uint32_t)pid, rec.st.ac_tgid);
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_ppid);
	EXPECT_EQ(3 << 8, rec.st.ac_exitcode);
	/* Forked without exec, and the last (only) thread of its group. */
	EXPECT_TRUE(rec.st.ac_flag & AFORK);
	EXPECT_TRUE(rec.st.ac_flag & AGROUP);
	EXPECT_LE(TS_PID_VERSION, rec.st.version);
	/* A single-threaded process gets no separate TGID record. */
	EXPECT_EQ(0, tgid.type);
}

TEST_F(listener, no_record_on_other_cpu)
{
	struct ts_record rec;
	pid_t pid;

	if (ncpus < 2)
		SKIP(return, "needs two online CPUs");
	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = exit_on_cpu(_metadata, cpus[1], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_drain_count(&self->s, pid));
	/* The listener itself works: an exit on CPU 0 is reported. */
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));
}

TEST_F(listener, every_registered_cpu)
{
	struct ts_record rec;
	int i;

	ASSERT_EQ(0, ts_register(&self->s, all));
	for (i = 0; i < ncpus; i++) {
		pid_t pid = exit_on_cpu(_metadata, cpus[i], 0);

		ASSERT_LT(0, pid);
		EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS))
			TH_LOG("no record for an exit on CPU %d", cpus[i]);
	}
}

TEST_F(listener, deregister_stops_records)
{
	struct ts_record rec;
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));

	ASSERT_EQ(0, ts_deregister(&self->s, c0));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_drain_count(&self->s, pid));
}

TEST_F(listener, register_twice_one_record)
{
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, c0));
	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(1, ts_drain_count(&self->s, pid));
}

/* A registration of every CPU, sent by one of several threads at once. */
struct concurrent_register {
	struct ts_sock *s;
	pthread_barrier_t *start;
	int seq;
};

static void *register_all_now(void *arg)
{
	struct concurrent_register *r = arg;

	pthread_barrier_wait(r->start);
	r->seq = ts_send(r->s, TASKSTATS_CMD_GET,
			 TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, all,
			 strlen(all) + 1);
	return NULL;
}

/*
 * Requests on one socket may run at once (the family is parallel_ops):
 * threads that register the same CPUs on one socket at the same moment
 * leave one entry per CPU, and an exit is reported once.  The acks are
 * not awaited one by one (one socket); the last registration, made after
 * the others, waits for its own and drops theirs.
 */
TEST_F(listener, concurrent_registrations_one_record)
{
	struct concurrent_register r[8];
	pthread_barrier_t start;
	pthread_t t[8];
	unsigned int i;
	pid_t pid;

	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, ARRAY_SIZE(t)));
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		r[i] = (struct concurrent_register){ .s = &self->s,
						     .start = &start };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, register_all_now,
					    &r[i]));
	}
	for (i = 0; i < ARRAY_SIZE(t); i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < ARRAY_SIZE(t); i++)
		ASSERT_LT(0, r[i].seq);
	ASSERT_EQ(0, ts_register(&self->s, all));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(1, ts_drain_count(&self->s, pid));
}

TEST_F(listener, two_sockets_both_receive)
{
	struct ts_record rec;
	struct ts_sock other;
	pid_t pid;

	ASSERT_EQ(0, ts_open(&other, 0));
	ASSERT_EQ(0, ts_register(&self->s, c0));
	ASSERT_EQ(0, ts_register(&other, c0));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));
	EXPECT_EQ(0, ts_wait_exit_of(&other, pid, &rec, NULL, TS_TIMEOUT_MS));
	ts_deregister(&other, c0);
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

	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pthread_t t;

		if (ts_pin_to_cpu(cpus[0]) || pthread_create(&t, NULL, burn_thread, NULL))
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
	EXPECT_LE(TS_PID_VERSION, tgid.st.version);
	/* 100 ms burnt by the exited thread, in microseconds, sampled at
	 * ticks: a lost thread leaves ~0, so half of it is the bar.
	 */
	EXPECT_LE(50000, tgid.st.ac_utime + tgid.st.ac_stime);
}

/* A portid no other test uses: tests bind it explicitly. */
static uint32_t test_portid(int n)
{
	return 0x70000000u | ((uint32_t)getpid() << 4) | n;
}

/*
 * Many listeners registering and closing while tasks exit: a socket that
 * takes over a closed listener's portid never receives a record.
 */
/* Seconds since @start (CLOCK_MONOTONIC). */
static double elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - start->tv_sec + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * 300 rounds, or as many as fit in a minute on a slow (debug) kernel: how
 * many is logged, not checked.  The storm child is killed by the teardown
 * whatever ends the test.  A listener registered on every CPU may overflow
 * with the storm's records before it reads them: its own child's record
 * then may be among those lost (and counted by the kernel), so such a
 * round is logged instead of checked.
 */
TEST_F_TIMEOUT(listener, register_close_churn, 180)
{
	uint32_t portid = test_portid(2);
	int leaked = 0, late = 0, missed = 0, overruns = 0, i, n;
	struct timespec start;
	bool overrun;

	/* Exits on every CPU all along, from another process. */
	self->storm = fork();
	ASSERT_LE(0, self->storm);
	if (self->storm == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (i = 0; i < 100000; i++) {
			pid_t p = ts_spawn_exit(cpus[i % ncpus], 0);

			if (p > 0)
				waitpid(p, NULL, 0);
		}
		_exit(0);
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < 300 && elapsed(&start) < 60; i++) {
		struct ts_sock l, u;
		pid_t pid;

		ASSERT_EQ(0, ts_open(&l, portid));
		ASSERT_EQ(0, ts_register(&l, all));
		/* Half of them deregister first, half just close. */
		if (i & 1)
			ASSERT_EQ(0, ts_deregister(&l, all));
		pid = exit_on_cpu(_metadata, cpus[0], 0);
		n = ts_drain_count_overrun(&l, pid, &overrun);
		ASSERT_LE(0, n);
		if (i & 1)
			late += n;		/* deregistered: none */
		else if (overrun)
			overruns++;
		else
			missed += n != 1;	/* registered: exactly one */
		ts_close(&l);

		ASSERT_EQ(0, ts_open(&u, portid));
		exit_on_cpu(_metadata, cpus[0], 0);
		exit_on_cpu(_metadata, cpus[ncpus - 1], 0);
		/* An overrun (-ENOBUFS) means records arrived, too. */
		n = ts_drain_count(&u, -1);
		leaked += n < 0 ? 1000 : n;
		ts_close(&u);
	}
	TH_LOG("%d register/close rounds, %d overran", i, overruns);
	EXPECT_LT(0, i);
	EXPECT_EQ(0, leaked);
	EXPECT_EQ(0, late);
	/* The listeners that did not deregister got their records ... */
	EXPECT_EQ(0, missed);
	/* ... which at least one round could check. */
	EXPECT_LT(overruns, (i + 1) / 2);
}

/*
 * A listener in another network namespace gets its records there, and a
 * socket with the same portid in the initial namespace gets none.
 */
TEST_F(listener, other_netns)
{
	uint32_t portid = test_portid(3);
	struct ts_sock init_ns;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		SKIP(return, "needs root for unshare(CLONE_NEWNET)");
	ASSERT_EQ(0, ts_open(&init_ns, portid));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ts_record rec;
		struct ts_sock s;
		pid_t child;

		if (unshare(CLONE_NEWNET))
			_exit(errno == EINVAL ? 4 : 3);
		if (ts_open(&s, portid) || ts_register(&s, c0))
			_exit(2);
		child = ts_spawn_exit(cpus[0], 0);
		if (child < 0 || ts_reap(child) != 0)
			_exit(3);
		_exit(ts_wait_exit_of(&s, child, &rec, NULL, TS_TIMEOUT_MS) ? 1 : 0);
	}
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 4)
		SKIP(return, "no network namespaces (CONFIG_NET_NS=n)");
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the listener in a new netns got no record (%d)",
		       WEXITSTATUS(status));
	EXPECT_EQ(0, ts_drain_count(&init_ns, -1));
	ts_close(&init_ns);
}

TEST_F(listener, deregister_subset)
{
	struct ts_record rec;
	pid_t pid;

	if (ncpus < 2)
		SKIP(return, "needs two online CPUs");
	ASSERT_EQ(0, ts_register(&self->s, c01));
	ASSERT_EQ(0, ts_deregister(&self->s, c1));
	pid = exit_on_cpu(_metadata, cpus[1], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_drain_count(&self->s, pid));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));
}

/* Records @s gets (0 or 1) for an exit on @cpu; queued ones drained. */
static int records_for_exit_on(struct __test_metadata *_metadata,
			       struct ts_sock *s, int cpu)
{
	pid_t pid = exit_on_cpu(_metadata, cpu, 0);

	EXPECT_LT(0, pid);
	return pid > 0 ? ts_drain_count(s, pid) : -1;
}

/*
 * @s is registered for the first CPU (c0) and for no other CPU: an exit on
 * it gets a record, one on the second (if there is one) none.
 */
static void expect_only_cpu0(struct __test_metadata *_metadata,
			     struct ts_sock *s)
{
	EXPECT_EQ(1, records_for_exit_on(_metadata, s, cpus[0]));
	if (ncpus > 1)
		EXPECT_EQ(0, records_for_exit_on(_metadata, s, cpus[1]));
}

/* Read /sys/devices/system/cpu/possible's last CPU. */
static int last_possible_cpu(void)
{
	char buf[64] = "";
	char *p;
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	/* The last range or CPU of a list such as "0-7,9": its last number. */
	p = strrchr(buf, ',');
	p = p ? p + 1 : buf;
	p = strchr(p, '-') ? strchr(p, '-') + 1 : p;
	return buf[0] ? atoi(p) : -1;
}

/*
 * Bad cpumasks, each with its own error, for registering and deregistering;
 * none of them changes an existing registration.  Those that name a CPU
 * name the second one (c1) first, so that a request applied up to the bad
 * part would change c1: a refused registration must not add it, a refused
 * deregistration must not remove it.
 */
FIXTURE(bad_mask) {
	struct ts_sock s;
	char mask[70000];
	/* The kernel says why it refuses a request (an extended ack). */
	bool says_why;
};

FIXTURE_VARIANT(bad_mask) {
	const char *mask;	/* printf format, %d: c1; NULL: built in setup */
	int impossible_cpu;	/* c1, then the first CPU that is not possible */
	int too_long;		/* "c1,c1,...": longer than the kernel's limit */
	int no_nul;		/* an empty attribute, without even a NUL */
	int error;		/* v7.3's error */
	const char *msg;	/* part of the extended ack message */
};

FIXTURE_VARIANT_ADD(bad_mask, garbage) {
	.mask = "zero,one",
	.error = EINVAL,
	.msg = "not a cpulist",
};

FIXTURE_VARIANT_ADD(bad_mask, reversed_range) {
	.mask = "%d,1-0",
	.error = EINVAL,
	.msg = "not a cpulist",
};

FIXTURE_VARIANT_ADD(bad_mask, impossible_cpu) {
	.impossible_cpu = 1,
	.error = ERANGE,
	.msg = "nr_cpu_ids",
};

FIXTURE_VARIANT_ADD(bad_mask, large_range) {
	.mask = "%d-99999",
	.error = ERANGE,
	.msg = "nr_cpu_ids",
};

FIXTURE_VARIANT_ADD(bad_mask, huge_cpu) {
	.mask = "%d,99999999999",
	.error = EOVERFLOW,
	.msg = "too large",
};

FIXTURE_VARIANT_ADD(bad_mask, too_long) {
	.too_long = 1,
	.error = E2BIG,
	.msg = "too long",
};

FIXTURE_VARIANT_ADD(bad_mask, no_nul) {
	.no_nul = 1,
	.error = ERANGE,
	.msg = "policy",
};

FIXTURE_SETUP(bad_mask)
{
	int rc;

	self->s.fd = -1;
	cpus_init(_metadata);
	rc = ts_open(&self->s, 0);
	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
	if (ts_may_query(&self->s) == -EPERM)
		SKIP(return, TS_NEEDS_ADMIN);
	self->says_why = kernel_says_why(_metadata, &self->s);
	if (variant->impossible_cpu) {
		int last = last_possible_cpu();

		ASSERT_LE(0, last);
		snprintf(self->mask, sizeof(self->mask), "%s,%d", c1, last + 1);
	} else if (variant->too_long) {
		/* Over 100 + 6 * NR_CPUS bytes for NR_CPUS <= 8192. */
		size_t len = 0;

		while (len < 60000)
			len += snprintf(self->mask + len, sizeof(self->mask) - len,
					"%s%s", len ? "," : "", c1);
	} else if (variant->mask) {
		snprintf(self->mask, sizeof(self->mask), variant->mask, cpus[ncpus > 1]);
	}
}

FIXTURE_TEARDOWN(bad_mask)
{
	if (self->s.fd >= 0)
		ts_deregister(&self->s, all);
	ts_close(&self->s);
}

/* Send a cpumask request for the variant's mask; returns -errno or 0. */
static int bad_mask_cmd(struct ts_sock *s, uint16_t attr, const char *mask,
			int no_nul)
{
	int seq = ts_send(s, TASKSTATS_CMD_GET, attr, mask,
			  no_nul ? 0 : strlen(mask) + 1);

	return seq < 0 ? seq : ts_wait_reply(s, seq, NULL, 0, TS_TIMEOUT_MS);
}

TEST_F(bad_mask, refused_and_nothing_changes)
{
	/* Registered for c0 only: the bad registration must not add c1. */
	ASSERT_EQ(0, ts_register(&self->s, c0));
	EXPECT_EQ(-variant->error,
		  bad_mask_cmd(&self->s, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK,
			       self->mask, variant->no_nul));
	if (self->says_why)
		EXPECT_TRUE(!!strstr(self->s.ext_msg, variant->msg))
			TH_LOG("register: extended ack \"%s\"", self->s.ext_msg);
	expect_only_cpu0(_metadata, &self->s);

	/* Registered for c0 and c1: the bad deregistration keeps both. */
	ASSERT_EQ(0, ts_register(&self->s, c01));
	EXPECT_EQ(-variant->error,
		  bad_mask_cmd(&self->s, TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK,
			       self->mask, variant->no_nul));
	if (self->says_why)
		EXPECT_TRUE(!!strstr(self->s.ext_msg, variant->msg))
			TH_LOG("deregister: extended ack \"%s\"", self->s.ext_msg);
	EXPECT_EQ(1, records_for_exit_on(_metadata, &self->s, cpus[0]));
	if (ncpus > 1)
		EXPECT_EQ(1, records_for_exit_on(_metadata, &self->s, cpus[1]));
}

/*
 * A registration that fails for lack of memory leaves the earlier ones
 * in place and adds nothing: make the n-th allocation of a request for
 * c0 and c1 fail, for every n, while only c0 is registered.  After each
 * -ENOMEM, c0 still gets records and c1 none; after a success, both.
 */
TEST_F(listener, failed_registration_keeps_earlier)
{
	int n, refused = 0, lost = 0, added = 0, missing = 0;
	char nth[16];

	if (ncpus < 2)
		SKIP(return, "needs two CPUs");
	if (failslab_setup(self->failslab_saved))
		SKIP(return, "needs CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS and debugfs");

	for (n = 1; n < 200; n++) {
		int rc, fd, on0, on1;

		ASSERT_EQ(0, ts_register(&self->s, c0));
		snprintf(nth, sizeof(nth), "%d", n);
		fd = open("/proc/thread-self/fail-nth", O_RDWR);
		ASSERT_LE(0, fd);
		ASSERT_LT(0, write(fd, nth, strlen(nth)));
		rc = ts_register(&self->s, c01);
		/* Not triggered (no n-th allocation): done. */
		ASSERT_LT(0, pread(fd, nth, sizeof(nth) - 1, 0));
		nth[sizeof(nth) - 1] = '\0';
		ASSERT_LT(0, write(fd, "0", 1));
		close(fd);
		if (atoi(nth) != 0)
			break;

		on0 = records_for_exit_on(_metadata, &self->s, cpus[0]);
		on1 = records_for_exit_on(_metadata, &self->s, cpus[1]);
		if (on0 != 1) {
			lost++;
			TH_LOG("failing allocation %d (register: %d) lost CPU %d",
			       n, rc, cpus[0]);
		}
		if (rc == -ENOMEM) {
			refused++;
			if (on1) {
				added++;
				TH_LOG("failing allocation %d: refused, yet CPU %d registered",
				       n, cpus[1]);
			}
		} else if (!rc && on1 != 1) {
			missing++;
			TH_LOG("failing allocation %d: accepted, yet CPU %d not registered",
			       n, cpus[1]);
		} else if (rc) {
			/* Failed outside the request (its ack): not judged. */
			TH_LOG("failing allocation %d: register %d, CPU %d records %d",
			       n, rc, cpus[1], on1);
		}
		/* Start the next round from c0 alone. */
		ASSERT_EQ(0, ts_deregister(&self->s, c1));
		ts_drain_count(&self->s, -1);
	}
	failslab_restore(self->failslab_saved);
	TH_LOG("%d failing allocations, %d refused with -ENOMEM", n - 1, refused);
	EXPECT_LT(0, refused);
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, added);
	EXPECT_EQ(0, missing);
}

/* The Drops column of /proc/net/netlink for the socket @fd, or -1. */
static long netlink_drops(int fd)
{
	unsigned long long drops, ino;
	char line[512];
	struct stat st;
	long found = -1;
	FILE *f;

	if (fstat(fd, &st))
		return -1;
	f = fopen("/proc/net/netlink", "r");
	if (!f)
		return -1;
	/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %llu %llu",
			   &drops, &ino) == 2 && ino == st.st_ino)
			found = drops;
	fclose(f);
	return found;
}

/*
 * A listener that falls behind loses records, and can tell how many: every
 * record is either received or counted in its socket's drops.  A filter
 * lets in only the records of this test's children (ac_ppid), so that
 * other tasks' exits on the CPU are not dropped (a filtered-out record is
 * not a drop), and only the children's records are counted as received.
 */
/*
 * Attach to @fd a filter that keeps @keep bytes of the records of this
 * process's children (ac_ppid of the PID record that comes first in each
 * message) and drops every other message.  The statistics follow the pid
 * attribute, after a TASKSTATS_TYPE_NULL pad attribute where the kernel
 * aligns them to 8 bytes (nla_reserve_64bit() on architectures without
 * efficient unaligned access, riscv64 and mips among them): the filter
 * looks for the pad first.  Returns setsockopt()'s result.
 */
static int filter_children(int fd, unsigned int keep)
{
	const unsigned int next_attr = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN +
		NLA_HDRLEN + NLA_ALIGN(sizeof(uint32_t));
	const unsigned int ppid_off = next_attr + NLA_HDRLEN +
		offsetof(struct taskstats, ac_ppid);
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
			 next_attr + offsetof(struct nlattr, nla_type)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(TASKSTATS_TYPE_NULL), 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ppid_off + NLA_HDRLEN),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ppid_off),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(getpid()), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, keep),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(code), .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

TEST_F(listener, lost_records_are_counted)
{
	struct ts_record rec[TS_MAX_RECORDS];
	pid_t children[60];
	const int exits = ARRAY_SIZE(children);
	int rcvbuf = 4096, received = 0, others = 0, n, i;
	long drops;

	/* The filter would drop the ack: registered first. */
	ASSERT_EQ(0, ts_register(&self->s, c0));
	ASSERT_EQ(0, filter_children(self->s.fd, 0xffffffff));
	ASSERT_EQ(0, setsockopt(self->s.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				sizeof(rcvbuf)));
	for (i = 0; i < exits; i++) {
		children[i] = exit_on_cpu(_metadata, cpus[0], 0);
		ASSERT_LT(0, children[i]);
	}

	/* The first receive reports the overrun, then the records queued. */
	for (;;) {
		n = ts_recv_exit(&self->s, rec, TS_MAX_RECORDS, 0);
		if (n == -ENOBUFS)
			continue;
		ASSERT_LE(0, n);
		if (!n)
			break;
		for (i = 0; i < exits; i++)
			if (rec[0].id == (uint32_t)children[i])
				break;
		if (i < exits)
			received++;
		else
			others++;
	}
	drops = netlink_drops(self->s.fd);
	ASSERT_LE(0, drops) TH_LOG("socket not found in /proc/net/netlink");
	/* Others: queued between the registration and the filter. */
	TH_LOG("%d exits: %d received, %ld dropped; %d others received",
	       exits, received, drops, others);
	EXPECT_LT(0, drops);
	EXPECT_EQ(exits, received + drops);
}

/*
 * Existing listeners keep working: walk an exit message the way
 * tools/accounting/getdelays.c does (a flat loop over the genetlink
 * payload, each AGGR attribute's nested PID/TGID, STATS and NULL
 * attributes) and read the fields procacct.c prints from the STATS payload
 * as a struct taskstats.  Nothing else may appear in the message.
 */
struct legacy_view {
	int pids, tgids, stats, unknown;
	uint32_t pid, tgid;
	struct taskstats st[2];
};

static void legacy_walk(const char *msg, int len, struct legacy_view *v)
{
	const struct nlmsghdr *nh = (const void *)msg;
	const char *payload = msg + NLMSG_HDRLEN + GENL_HDRLEN;
	int rep_len = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	int pos = 0;

	memset(v, 0, sizeof(*v));
	while (pos + NLA_HDRLEN <= rep_len && pos < len) {
		const struct nlattr *na = (const void *)(payload + pos);
		int aggr_len = na->nla_len - NLA_HDRLEN, pos2 = 0;

		pos += NLA_ALIGN(na->nla_len);
		if (na->nla_type == TASKSTATS_TYPE_NULL)
			continue;
		if (na->nla_type != TASKSTATS_TYPE_AGGR_PID &&
		    na->nla_type != TASKSTATS_TYPE_AGGR_TGID) {
			v->unknown++;
			continue;
		}
		while (pos2 + NLA_HDRLEN <= aggr_len) {
			const struct nlattr *in = (const void *)((const char *)na +
								NLA_HDRLEN + pos2);
			const void *data = (const char *)in + NLA_HDRLEN;

			switch (in->nla_type) {
			case TASKSTATS_TYPE_PID:
				memcpy(&v->pid, data, sizeof(v->pid));
				v->pids++;
				break;
			case TASKSTATS_TYPE_TGID:
				memcpy(&v->tgid, data, sizeof(v->tgid));
				v->tgids++;
				break;
			case TASKSTATS_TYPE_STATS:
				if (v->stats < 2)
					memcpy(&v->st[v->stats], data,
					       sizeof(struct taskstats));
				v->stats++;
				break;
			case TASKSTATS_TYPE_NULL:
				break;
			default:
				v->unknown++;
			}
			pos2 += NLA_ALIGN(in->nla_len);
		}
	}
}

static void *exit_thread(void *unused)
{
	return NULL;
}

TEST_F(listener, records_parse_as_getdelays_and_procacct)
{
	struct legacy_view v;
	char buf[8192];
	int status, len, n;
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pthread_t t;

		/* A second thread makes the last exit carry a TGID record. */
		if (ts_pin_to_cpu(cpus[0]) || pthread_create(&t, NULL, exit_thread, NULL))
			_exit(1);
		pthread_join(t, NULL);
		_exit(7);
	}
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(7, WEXITSTATUS(status));

	/*
	 * The thread's message, then the process's: PID, then PID + TGID.
	 * Messages of other tasks exiting on CPU 0 meanwhile are skipped.
	 */
	for (n = 0; n < 2;) {
		struct pollfd pfd = { .fd = self->s.fd, .events = POLLIN };

		ASSERT_EQ(1, poll(&pfd, 1, TS_TIMEOUT_MS));
		len = recv(self->s.fd, buf, sizeof(buf), 0);
		ASSERT_LT(0, len);
		ASSERT_TRUE(NLMSG_OK((struct nlmsghdr *)buf, len));
		ASSERT_EQ(self->s.family, ((struct nlmsghdr *)buf)->nlmsg_type);
		legacy_walk(buf, len, &v);
		EXPECT_EQ(0, v.unknown);
		if (v.st[0].ac_tgid != (uint32_t)pid)
			continue;
		EXPECT_EQ(1, v.pids);
		EXPECT_EQ(n, v.tgids);
		EXPECT_EQ(n + 1, v.stats);
		EXPECT_LE(TS_PID_VERSION, v.st[0].version);
		n++;
	}
	/* procacct's fields of the process's own PID record. */
	EXPECT_EQ((uint32_t)pid, v.pid);
	EXPECT_EQ((uint32_t)pid, v.st[0].ac_pid);
	EXPECT_EQ((uint32_t)getpid(), v.st[0].ac_ppid);
	EXPECT_EQ(getuid(), v.st[0].ac_uid);
	EXPECT_EQ(7 << 8, v.st[0].ac_exitcode);
	EXPECT_TRUE(v.st[0].ac_flag & AGROUP);
	EXPECT_NE(0, v.st[0].ac_comm[0]);
	EXPECT_EQ((uint32_t)pid, v.tgid);
	EXPECT_LE(TS_PID_VERSION, v.st[1].version);
}

/*
 * A cpumask that names no CPU is accepted and changes nothing, as on v7.3:
 * the CPU 0 registration stays, and no other CPU is registered.
 */
TEST_F(listener, empty_mask_is_a_noop)
{
	ASSERT_EQ(0, ts_register(&self->s, c0));
	EXPECT_EQ(0, ts_register(&self->s, ""));
	EXPECT_EQ(0, ts_deregister(&self->s, ""));
	expect_only_cpu0(_metadata, &self->s);
}

/*
 * Records go to the listener socket's network namespace.  One created
 * together with a user namespace is refused, even to root from the initial
 * user namespace that entered it (setns): that user namespace's root could
 * capture every task's records there with nlmon.
 */
TEST_F(listener, foreign_userns_netns_refused)
{
	int ready[2], done[2], result[2], fd;
	char path[64], c, msg[128] = "";
	pid_t owner, reg;
	int rc = 1;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	ASSERT_EQ(0, pipe(result));
	owner = fork();
	ASSERT_LE(0, owner);
	if (owner == 0) {
		/*
		 * Holds the namespaces until the test is done: until the
		 * parent closes done[1], which this child must not hold too.
		 */
		close(done[1]);
		close(ready[0]);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(done[0]);
	if (read(ready[0], &c, 1) != 1) {
		close(done[1]);
		ts_reap(owner);
		SKIP(return, "cannot create a user and network namespace");
	}

	reg = fork();
	ASSERT_LE(0, reg);
	if (reg == 0) {
		struct ts_sock s;
		int err;

		snprintf(path, sizeof(path), "/proc/%d/ns/net", owner);
		fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, CLONE_NEWNET) || ts_open(&s, 0))
			_exit(2);
		err = ts_register(&s, c0);
		if (write(result[1], &err, sizeof(err)) != sizeof(err) ||
		    write(result[1], s.ext_msg, sizeof(s.ext_msg)) !=
		    sizeof(s.ext_msg))
			_exit(3);
		_exit(0);
	}
	close(result[1]);
	if (read(result[0], &rc, sizeof(rc)) == sizeof(rc) &&
	    read(result[0], msg, sizeof(msg)) == sizeof(msg))
		msg[sizeof(msg) - 1] = '\0';
	EXPECT_EQ(0, WEXITSTATUS(ts_reap(reg)));
	close(done[1]);
	ts_reap(owner);

	EXPECT_EQ(-EPERM, rc);
	if (kernel_says_why(_metadata, &self->s)) {
		EXPECT_TRUE(!!strstr(msg, "user namespace"))
			TH_LOG("extended ack \"%s\"", msg);
	} else {
		TH_LOG("no extended ack: this kernel gives no reasons");
	}
}

/*
 * Records are delivered as netlink_unicast() delivers them: a classic BPF
 * filter that loads at SKF_LL_OFF (the start of the netlink message, the
 * mac header netlink_unicast() resets) and accepts lets every record in,
 * as on v7.3.  A load outside the packet would drop the record.
 */
TEST_F(listener, filter_sees_records_as_netlink_unicast)
{
	static struct sock_filter code[] = {
		/* A = the nlmsg_len word at the "link layer" offset 0 */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_LL_OFF),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	};
	static const struct sock_fprog prog = {
		.len = ARRAY_SIZE(code),
		.filter = code,
	};
	struct ts_record rec;
	pid_t pid;

	ASSERT_EQ(0, setsockopt(self->s.fd, SOL_SOCKET, SO_ATTACH_FILTER,
				&prog, sizeof(prog)));
	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));
}

/* A child on CPU 0 whose n-th slab allocation from now on fails; reaped. */
static pid_t exit_failing_nth(struct __test_metadata *_metadata, int n)
{
	char nth[16];
	pid_t pid;
	int fd;

	snprintf(nth, sizeof(nth), "%d", n);
	pid = fork();
	if (pid == 0) {
		fd = open("/proc/thread-self/fail-nth", O_WRONLY);
		if (ts_pin_to_cpu(cpus[0]) || fd < 0)
			_exit(1);
		if (write(fd, nth, strlen(nth)) < 0)
			_exit(1);
		/* Straight into do_exit(): no allocation before it. */
		syscall(SYS_exit, 0);
	}
	EXPECT_LT(0, pid);
	if (pid > 0)
		EXPECT_TRUE(WIFEXITED(ts_reap(pid)));
	return pid;
}

/*
 * The pids of the records queued on @s (at most @max), without waiting.
 * ENOBUFS errors met on the way are counted in @enobufs, and the reading
 * goes on after them.
 */
static int collect_pids(struct ts_sock *s, pid_t *pids, int max,
			int *enobufs)
{
	struct ts_record rec[TS_MAX_RECORDS];
	int n = 0, r;

	*enobufs = 0;
	for (;;) {
		r = ts_recv_exit(s, rec, TS_MAX_RECORDS, 0);
		if (r == -ENOBUFS)
			(*enobufs)++;
		else if (r <= 0)
			break;
		else if (rec[0].type == TASKSTATS_TYPE_PID && n < max)
			pids[n++] = rec[0].id;
	}
	return r < 0 ? r : n;
}

static bool has_pid(const pid_t *pids, int n, pid_t pid)
{
	while (n--)
		if (pids[n] == pid)
			return true;
	return false;
}

/*
 * Two listeners on CPU 0, and exits whose n-th slab allocation fails, for
 * n = 1..EXITS: some fail the record (both listeners lose it), some the
 * clone for the listener that comes first on the list, B, registered last
 * (only B loses it; A gets the record itself).  For each listener, records
 * received plus its socket's drops equal the exits, at least one exit
 * reached one listener and not the other, a listener was told of its
 * losses by an ENOBUFS error, as of an overrun, exactly when it had any,
 * and B received a record of an exit after its first loss.  With
 * NETLINK_NO_ENOBUFS set on both, neither is told.
 */
#define EXITS 24
static void lose_records(struct __test_metadata *_metadata,
			 struct ts_sock *a_sock, char failslab_saved[2][16],
			 bool no_enobufs)
{
	pid_t exits[EXITS], got_a[2 * EXITS], got_b[2 * EXITS];
	int n, na, nb, ours_a = 0, ours_b = 0, split = 0;
	int enobufs_a, enobufs_b, first_lost = -1, later = 0, one = 1;
	long drops_a, drops_b;
	struct ts_sock b;

	if (failslab_setup(failslab_saved))
		SKIP(return, "needs CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS and debugfs");
	ASSERT_EQ(0, ts_open(&b, 0));
	if (no_enobufs) {
		ASSERT_EQ(0, setsockopt(a_sock->fd, SOL_NETLINK,
					NETLINK_NO_ENOBUFS, &one, sizeof(one)));
		ASSERT_EQ(0, setsockopt(b.fd, SOL_NETLINK, NETLINK_NO_ENOBUFS,
					&one, sizeof(one)));
	}
	ASSERT_EQ(0, ts_register(a_sock, c0));
	ASSERT_EQ(0, ts_register(&b, c0));
	for (n = 0; n < EXITS; n++)
		exits[n] = exit_failing_nth(_metadata, n + 1);
	failslab_restore(failslab_saved);

	na = collect_pids(a_sock, got_a, ARRAY_SIZE(got_a), &enobufs_a);
	nb = collect_pids(&b, got_b, ARRAY_SIZE(got_b), &enobufs_b);
	ASSERT_LE(0, na);
	ASSERT_LE(0, nb);
	/* Other tasks' exits on CPU 0 are received too: count only ours. */
	for (n = 0; n < EXITS; n++) {
		bool a = has_pid(got_a, na, exits[n]);
		bool b_got = has_pid(got_b, nb, exits[n]);

		ours_a += a;
		ours_b += b_got;
		split += a != b_got;
		if (!b_got && first_lost < 0)
			first_lost = n;
		later += b_got && first_lost >= 0;
	}
	drops_a = netlink_drops(a_sock->fd);
	drops_b = netlink_drops(b.fd);
	EXPECT_EQ(EXITS, ours_a + drops_a);
	EXPECT_EQ(EXITS, ours_b + drops_b);
	EXPECT_LT(0, split) TH_LOG("no injected failure hit a listener's copy");
	/* One lost record does not cost the ones after it. */
	EXPECT_LT(0, later) TH_LOG("B received nothing after its first loss");
	EXPECT_EQ(drops_a > 0 && !no_enobufs, enobufs_a > 0)
		TH_LOG("A: %ld drops, %d ENOBUFS", drops_a, enobufs_a);
	EXPECT_EQ(drops_b > 0 && !no_enobufs, enobufs_b > 0)
		TH_LOG("B: %ld drops, %d ENOBUFS", drops_b, enobufs_b);
	ts_deregister(&b, c0);
	ts_close(&b);
}

TEST_F(listener, lost_records_are_counted_per_listener)
{
	lose_records(_metadata, &self->s, self->failslab_saved, false);
}

TEST_F(listener, lost_records_without_enobufs_are_counted)
{
	lose_records(_metadata, &self->s, self->failslab_saved, true);
}

/*
 * A listener connect()ed to another peer gets no records, as the portid
 * lookup of genlmsg_unicast() refused it on v7.3, and none is counted as
 * a drop: the socket chose its peer.  Connected back to the kernel
 * (portid 0), it gets them again: its registration stayed (v7.3 dropped
 * it at the first refused record, and fails the second half).
 */
TEST_F(listener, connected_elsewhere_gets_no_records)
{
	struct sockaddr_nl peer = { .nl_family = AF_NETLINK };
	struct ts_record rec;
	struct ts_sock other;
	long drops;
	pid_t pid;

	ASSERT_EQ(0, ts_open(&other, 0));
	/* Registered first: the ack, too, is refused while connected. */
	ASSERT_EQ(0, ts_register(&self->s, c0));
	drops = netlink_drops(self->s.fd);
	ASSERT_LE(0, drops) TH_LOG("socket not found in /proc/net/netlink");
	peer.nl_pid = other.portid;
	ASSERT_EQ(0, connect(self->s.fd, (struct sockaddr *)&peer, sizeof(peer)));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_drain_count(&self->s, pid));
	EXPECT_EQ(drops, netlink_drops(self->s.fd));

	peer.nl_pid = 0;
	ASSERT_EQ(0, connect(self->s.fd, (struct sockaddr *)&peer, sizeof(peer)));
	pid = exit_on_cpu(_metadata, cpus[0], 0);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, NULL, TS_TIMEOUT_MS));
	ts_close(&other);
}

/*
 * Records that the listener's filter trims to one byte arrive once each,
 * one byte long: the length netlink_unicast_sk() returns for them is 1,
 * the value with which netlink_attachskb() asks netlink_unicast() for a
 * retry.  The filter keeps this test's children's records (by ac_ppid,
 * as lost_records_are_counted does), one byte of each, and drops the rest.
 */
TEST_F(listener, records_trimmed_to_one_byte_arrive_once)
{
	const int exits = 4;
	int received = 0, i;
	char buf[64];
	long drops;
	ssize_t r;

	/* The filter would trim the ack: registered first. */
	ASSERT_EQ(0, ts_register(&self->s, c0));
	ASSERT_EQ(0, filter_children(self->s.fd, 1));
	/* Whole records queued before the filter. */
	while (recv(self->s.fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0 ||
	       errno == ENOBUFS)
		;
	ASSERT_EQ(EAGAIN, errno);
	drops = netlink_drops(self->s.fd);
	for (i = 0; i < exits; i++)
		ASSERT_LT(0, exit_on_cpu(_metadata, cpus[0], 0));
	while ((r = recv(self->s.fd, buf, sizeof(buf),
			 MSG_DONTWAIT | MSG_TRUNC)) >= 0) {
		EXPECT_EQ(1, r);
		received++;
	}
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(exits, received);
	EXPECT_EQ(drops, netlink_drops(self->s.fd));
}

TEST_HARNESS_MAIN
