// SPDX-License-Identifier: GPL-2.0
/*
 * TASKSTATS_CMD_GET queries: family lookup, PID and TGID queries of this
 * process, a child and a thread, and the errors of bad requests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/acct.h>
#include <linux/genetlink.h>

#include "../kselftest_harness.h"
#include "ts_netlink.h"

/* A pid that cannot exist: above PID_MAX_LIMIT (4M). */
#define NO_SUCH_PID	0x7ffffff0

FIXTURE(query) {
	struct ts_sock s;
};

FIXTURE_SETUP(query)
{
	int rc = ts_open(&self->s, 0);

	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family (CONFIG_TASKSTATS=n)");
	ASSERT_EQ(0, rc) TH_LOG("ts_open: %s", strerror(-rc));
	if (ts_may_query(&self->s) == -EPERM)
		SKIP(return, TS_NEEDS_ADMIN);
}

FIXTURE_TEARDOWN(query)
{
	ts_close(&self->s);
}

TEST(family_lookup)
{
	uint32_t version = 0;
	int fd, id;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_LE(0, fd);
	id = ts_family_id(fd, TASKSTATS_GENL_NAME, &version);
	if (id == -ENOENT)
		SKIP(return, "no TASKSTATS family");
	ASSERT_LT(GENL_MIN_ID - 1, id);
	EXPECT_EQ(TASKSTATS_GENL_VERSION, version);
	close(fd);
}

TEST_F(query, pid_self)
{
	struct ts_record rec;
	char comm[32];
	time_t now = time(NULL);

	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, getpid(), &rec));
	ts_read_comm(getpid(), comm, sizeof(comm));
	EXPECT_EQ(TASKSTATS_TYPE_PID, rec.type);
	EXPECT_EQ((uint32_t)getpid(), rec.id);
	EXPECT_LE(TS_PID_VERSION, rec.st.version);
	EXPECT_LE(sizeof(struct taskstats), rec.stats_len);
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_pid);
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_tgid);
	EXPECT_EQ((uint32_t)getppid(), rec.st.ac_ppid);
	EXPECT_EQ(getuid(), rec.st.ac_uid);
	EXPECT_EQ(getgid(), rec.st.ac_gid);
	EXPECT_STREQ(comm, rec.st.ac_comm);
	EXPECT_LE((uint64_t)rec.st.ac_btime64, (uint64_t)now);
	EXPECT_EQ(rec.st.ac_btime, (uint32_t)rec.st.ac_btime64);
	/*
	 * A live task has no exit code, and none of the flags of an exit
	 * (AGROUP, ACORE, AXSIG).  The harness forks each test without an
	 * exec: AFORK.
	 */
	EXPECT_EQ(0, rec.st.ac_exitcode);
	EXPECT_EQ(0, rec.st.ac_flag & (AGROUP | ACORE | AXSIG))
		TH_LOG("ac_flag 0x%x", rec.st.ac_flag);
	EXPECT_TRUE(rec.st.ac_flag & AFORK);
	EXPECT_NE(0, rec.st.ac_exe_inode);
}

TEST_F(query, pid_child)
{
	struct ts_record rec;
	int pipefd[2];
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		prctl(PR_SET_NAME, "ts-child");
		close(pipefd[1]);
		write(pipefd[0], "r", 0);
		/* Block until the parent closes its end. */
		read(pipefd[0], &c, 1);
		_exit(0);
	}
	close(pipefd[0]);
	/* Wait until the child has renamed itself. */
	for (int i = 0; i < 500; i++) {
		char comm[32];

		ts_read_comm(pid, comm, sizeof(comm));
		if (!strcmp(comm, "ts-child"))
			break;
		usleep(10000);
	}
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, pid, &rec));
	close(pipefd[1]);
	ASSERT_EQ(0, ts_reap(pid));
	EXPECT_EQ((uint32_t)pid, rec.id);
	EXPECT_EQ((uint32_t)pid, rec.st.ac_pid);
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_ppid);
	EXPECT_STREQ("ts-child", rec.st.ac_comm);
}

/* A thread that names itself, reports its tid and waits to be released. */
struct parked {
	pthread_t thread;
	pid_t tid;
	int ready[2];
	int release[2];
	unsigned long burn_ms;	/* CPU time to burn before parking */
};

static void burn_cpu_ms(unsigned long ms)
{
	struct timespec start, now;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
	do {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	} while ((now.tv_sec - start.tv_sec) * 1000 +
		 (now.tv_nsec - start.tv_nsec) / 1000000 < (long)ms);
}

static void *parked_fn(void *arg)
{
	struct parked *p = arg;
	char c;

	p->tid = syscall(SYS_gettid);
	prctl(PR_SET_NAME, "ts-thread");
	burn_cpu_ms(p->burn_ms);
	if (write(p->ready[1], "r", 1) != 1)
		return NULL;
	/* Bounded by the parent, which always writes or closes release[1]. */
	if (read(p->release[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static int parked_start(struct parked *p, unsigned long burn_ms)
{
	struct pollfd pfd;
	char c;

	memset(p, 0, sizeof(*p));
	p->burn_ms = burn_ms;
	if (pipe(p->ready) || pipe(p->release))
		return -errno;
	if (pthread_create(&p->thread, NULL, parked_fn, p))
		return -EAGAIN;
	pfd.fd = p->ready[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, TS_TIMEOUT_MS) != 1 || read(p->ready[0], &c, 1) != 1)
		return -ETIMEDOUT;
	return 0;
}

static void parked_stop(struct parked *p)
{
	close(p->release[1]);
	pthread_join(p->thread, NULL);
	close(p->release[0]);
	close(p->ready[0]);
	close(p->ready[1]);
}

TEST_F(query, pid_of_thread)
{
	struct ts_record rec;
	struct parked p;

	ASSERT_EQ(0, parked_start(&p, 0));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, p.tid, &rec));
	parked_stop(&p);
	EXPECT_EQ((uint32_t)p.tid, rec.id);
	EXPECT_EQ((uint32_t)p.tid, rec.st.ac_pid);
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_tgid);
	EXPECT_STREQ("ts-thread", rec.st.ac_comm);
}

/* The per-thread counters a TGID reply sums over the live threads. */
static const struct ts_u64_field summed[] = {
	TS_U64_FIELD(nvcsw),
	TS_U64_FIELD(nivcsw),
	TS_U64_FIELD(ac_etime),
	TS_U64_FIELD(cpu_count),
};

/*
 * This process has two live threads and none that exited: each counter of
 * its TGID reply is the sum of the two threads' PID replies, which are
 * taken before (lower bound) and after it (upper bound), as the counters
 * only grow.  The leader's share alone, or a thread counted twice, is out.
 */
TEST_F(query, tgid_self)
{
	struct ts_record before[2], after[2], rec;
	struct parked p;
	unsigned int i;

	ASSERT_EQ(0, parked_start(&p, 0));
	/* Until the parked thread has blocked once: it has counters. */
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, p.tid, &before[1]));
		if (before[1].st.nvcsw)
			break;
		usleep(10000);
	}
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, getpid(), &before[0]));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &rec));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, getpid(), &after[0]));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, p.tid, &after[1]));
	parked_stop(&p);
	EXPECT_EQ(TASKSTATS_TYPE_TGID, rec.type);
	EXPECT_EQ((uint32_t)getpid(), rec.id);
	EXPECT_LE(TS_PID_VERSION, rec.st.version);
	ASSERT_LT(0, before[1].st.nvcsw) TH_LOG("the thread never blocked");
	for (i = 0; i < ARRAY_SIZE(summed); i++) {
		uint64_t lo = ts_u64_at(&before[0].st, summed[i].offset) +
			      ts_u64_at(&before[1].st, summed[i].offset);
		uint64_t hi = ts_u64_at(&after[0].st, summed[i].offset) +
			      ts_u64_at(&after[1].st, summed[i].offset);
		uint64_t v = ts_u64_at(&rec.st, summed[i].offset);

		EXPECT_TRUE(lo <= v && v <= hi)
			TH_LOG("%s: %llu is not in [%llu, %llu]", summed[i].name,
			       (unsigned long long)v, (unsigned long long)lo,
			       (unsigned long long)hi);
	}
	/* cpu_count comes from schedstats' sched_info, whatever delayacct says. */
	EXPECT_LT(0, before[0].st.cpu_count);
}

/*
 * CPU time of a thread that has exited stays in the TGID answer: the group
 * keeps the exited threads' totals in signal->stats.
 */
TEST_F(query, tgid_cputime_keeps_exited_thread)
{
	const unsigned long burn_ms = 100;
	struct ts_record before, after;
	struct parked p;

	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &before));
	ASSERT_EQ(0, parked_start(&p, burn_ms));
	parked_stop(&p);
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &after));
	/*
	 * ac_utime/ac_stime are in microseconds and sampled at ticks: a lost
	 * thread would leave ~0 here, so half of the burn is the bar.
	 */
	EXPECT_LE(before.st.ac_utime + before.st.ac_stime + burn_ms * 1000 / 2,
		  after.st.ac_utime + after.st.ac_stime);
}

TEST_F(query, pid_io_accounting)
{
	char buf[4096] = { 0 };
	struct ts_record before, after;
	int fd, i;

	fd = open("/dev/null", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, getpid(), &before));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(sizeof(buf), write(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, getpid(), &after));
	close(fd);
	/* v7.3 reports the byte counts rounded down to KiB. */
	EXPECT_LE(before.st.write_char + 16 * sizeof(buf) - 1023, after.st.write_char);
}

TEST_F(query, pid_unknown)
{
	struct ts_record rec;

	EXPECT_EQ(-ESRCH, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, NO_SUCH_PID, &rec));
}

TEST_F(query, tgid_unknown)
{
	struct ts_record rec;

	EXPECT_EQ(-ESRCH, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, NO_SUCH_PID, &rec));
}

TEST_F(query, pid_reaped_child)
{
	struct ts_record rec;
	pid_t pid = ts_spawn_exit(-1, 0);

	ASSERT_LE(0, pid);
	ASSERT_EQ(0, ts_reap(pid));
	EXPECT_EQ(-ESRCH, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, pid, &rec));
}

TEST_F(query, no_attribute)
{
	int seq = ts_send(&self->s, TASKSTATS_CMD_GET, 0, NULL, 0);

	ASSERT_LT(0, seq);
	EXPECT_EQ(-EINVAL, ts_wait_reply(&self->s, seq, NULL, 0, TS_TIMEOUT_MS));
}

/*
 * Without CAP_NET_ADMIN, a query of init (pid 1) and a registration are
 * -EPERM: every TASKSTATS_CMD_GET needs the capability (GENL_ADMIN_PERM),
 * and a kernel that lets a task's readers query it without one still
 * refuses a task the requester may not read.
 */
FIXTURE(unprivileged) {
	struct ts_sock s;
};

FIXTURE_VARIANT(unprivileged) {
	uint16_t attr;
	const char *cpulist;	/* payload for the cpumask attributes */
};

FIXTURE_VARIANT_ADD(unprivileged, pid) {
	.attr = TASKSTATS_CMD_ATTR_PID,
};

FIXTURE_VARIANT_ADD(unprivileged, tgid) {
	.attr = TASKSTATS_CMD_ATTR_TGID,
};

FIXTURE_VARIANT_ADD(unprivileged, register_cpumask) {
	.attr = TASKSTATS_CMD_ATTR_REGISTER_CPUMASK,
	.cpulist = "0",
};

FIXTURE_SETUP(unprivileged)
{
	int rc;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	rc = ts_open(&self->s, 0);
	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
}

FIXTURE_TEARDOWN(unprivileged)
{
	ts_close(&self->s);
}

TEST_F(unprivileged, eperm)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint32_t init = 1;
		struct ts_sock s;
		int seq;

		/* A socket opened after dropping privileges, as a user would. */
		if (ts_drop_privileges() || ts_open(&s, 0))
			_exit(100);
		if (variant->cpulist)
			seq = ts_send(&s, TASKSTATS_CMD_GET, variant->attr,
				      variant->cpulist, strlen(variant->cpulist) + 1);
		else
			seq = ts_send(&s, TASKSTATS_CMD_GET, variant->attr,
				      &init, sizeof(init));
		if (seq < 0)
			_exit(101);
		_exit(-ts_wait_reply(&s, seq, NULL, 0, TS_TIMEOUT_MS));
	}
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
