// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process (TGID) statistics: identity, and the sums over every thread
 * that ever lived in the process, checked against /proc/<tgid>/io and
 * /proc/<tgid>/stat, for queries and for the exit record of a group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/acct.h>

#include "../kselftest_harness.h"
#include "ts_netlink.h"

#define WRITE_SIZE	(4 << 20)	/* bytes the worker writes */
#define TOUCH_SIZE	(8 << 20)	/* bytes of fresh memory it touches */

/* /proc/<pid>/io and the fields of /proc/<pid>/stat the tests compare. */
struct proc_counters {
	uint64_t rchar, wchar, syscr, syscw;
	uint64_t read_bytes, write_bytes, cancelled_write_bytes;
	uint64_t minflt, majflt, utime, stime;	/* times in clock ticks */
};

static int read_proc(pid_t pid, struct proc_counters *pc)
{
	char path[64], buf[4096], *p;
	unsigned long long v;
	FILE *f;
	int i;

	memset(pc, 0, sizeof(*pc));
	snprintf(path, sizeof(path), "/proc/%d/io", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(buf, sizeof(buf), f)) {
		if (sscanf(buf, "rchar: %llu", &v) == 1)
			pc->rchar = v;
		else if (sscanf(buf, "wchar: %llu", &v) == 1)
			pc->wchar = v;
		else if (sscanf(buf, "syscr: %llu", &v) == 1)
			pc->syscr = v;
		else if (sscanf(buf, "syscw: %llu", &v) == 1)
			pc->syscw = v;
		else if (sscanf(buf, "read_bytes: %llu", &v) == 1)
			pc->read_bytes = v;
		else if (sscanf(buf, "write_bytes: %llu", &v) == 1)
			pc->write_bytes = v;
		else if (sscanf(buf, "cancelled_write_bytes: %llu", &v) == 1)
			pc->cancelled_write_bytes = v;
	}
	fclose(f);

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (p)
		p = strrchr(buf, ')');
	if (!p)
		return -EPROTO;
	/* Field 3 (state) follows ") "; minflt is 10, majflt 12, utime 14. */
	p += 2;
	for (i = 3; i <= 15 && p; i++) {
		v = strtoull(p, NULL, 10);
		if (i == 10)
			pc->minflt = v;
		else if (i == 12)
			pc->majflt = v;
		else if (i == 14)
			pc->utime = v;
		else if (i == 15)
			pc->stime = v;
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return 0;
}

/* A thread that writes WRITE_SIZE bytes and touches TOUCH_SIZE fresh bytes. */
static void *io_worker(void *arg)
{
	const char *path = arg;
	static char block[4096];
	char *mem;
	int fd, i;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return (void *)1;
	for (i = 0; i < WRITE_SIZE / (int)sizeof(block); i++)
		if (write(fd, block, sizeof(block)) != sizeof(block))
			return (void *)1;
	close(fd);
	mem = mmap(NULL, TOUCH_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return (void *)1;
	for (i = 0; i < TOUCH_SIZE; i += 4096)
		mem[i] = 1;
	munmap(mem, TOUCH_SIZE);
	return NULL;
}

static int run_io_worker(void)
{
	char path[64];
	pthread_t t;
	void *ret;

	snprintf(path, sizeof(path), "/tmp/ts-tgid-%d", getpid());
	if (pthread_create(&t, NULL, io_worker, path))
		return -1;
	pthread_join(t, &ret);
	unlink(path);
	return ret ? -1 : 0;
}

/* Is @v within [@lo, @hi]?  Says which counter is not. */
static bool between(const char *name, uint64_t lo, uint64_t v, uint64_t hi)
{
	if (lo <= v && v <= hi)
		return true;
	ksft_print_msg("%s: %llu is not in [%llu, %llu]\n", name,
		       (unsigned long long)v, (unsigned long long)lo,
		       (unsigned long long)hi);
	return false;
}

FIXTURE(tgid) {
	struct ts_sock s;
};

FIXTURE_SETUP(tgid)
{
	int rc = ts_open(&self->s, 0);

	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
}

FIXTURE_TEARDOWN(tgid)
{
	ts_close(&self->s);
}

/*
 * The I/O counters of a process equal /proc/<tgid>/io, exited threads
 * included, up to what happens between the reads: /proc before <= taskstats
 * <= /proc after.
 */
TEST_F(tgid, io_matches_proc_with_exited_thread)
{
	struct proc_counters a, b;
	struct ts_record rec;

	ASSERT_EQ(0, run_io_worker());
	ASSERT_EQ(0, read_proc(getpid(), &a));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &rec));
	ASSERT_EQ(0, read_proc(getpid(), &b));

	EXPECT_LE(WRITE_SIZE, a.wchar);
	EXPECT_TRUE(between("read_char", a.rchar, rec.st.read_char, b.rchar));
	EXPECT_TRUE(between("write_char", a.wchar, rec.st.write_char, b.wchar));
	EXPECT_TRUE(between("read_syscalls", a.syscr, rec.st.read_syscalls, b.syscr));
	EXPECT_TRUE(between("write_syscalls", a.syscw, rec.st.write_syscalls, b.syscw));
	EXPECT_TRUE(between("read_bytes", a.read_bytes, rec.st.read_bytes, b.read_bytes));
	EXPECT_TRUE(between("write_bytes", a.write_bytes, rec.st.write_bytes, b.write_bytes));
	EXPECT_TRUE(between("cancelled_write_bytes", a.cancelled_write_bytes,
			    rec.st.cancelled_write_bytes, b.cancelled_write_bytes));
}

/* Faults and CPU times equal /proc/<tgid>/stat, exited threads included. */
TEST_F(tgid, faults_and_cputime_match_proc_stat)
{
	long tick_us = 1000000 / sysconf(_SC_CLK_TCK);
	struct proc_counters a, b;
	struct ts_record rec;

	ASSERT_EQ(0, run_io_worker());
	ASSERT_EQ(0, read_proc(getpid(), &a));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &rec));
	ASSERT_EQ(0, read_proc(getpid(), &b));

	/* The worker touched TOUCH_SIZE / 4 KiB fresh pages. */
	EXPECT_LE(TOUCH_SIZE / 4096, a.minflt);
	EXPECT_TRUE(between("ac_minflt", a.minflt, rec.st.ac_minflt, b.minflt));
	EXPECT_TRUE(between("ac_majflt", a.majflt, rec.st.ac_majflt, b.majflt));
	/* /proc truncates to ticks: one tick of slack each way. */
	EXPECT_TRUE(between("ac_utime", a.utime * tick_us, rec.st.ac_utime,
			    (b.utime + 1) * tick_us));
	EXPECT_TRUE(between("ac_stime", a.stime * tick_us, rec.st.ac_stime,
			    (b.stime + 1) * tick_us));
}

TEST_F(tgid, identity)
{
	struct ts_record rec;
	struct stat exe;
	char comm[32];

	ASSERT_EQ(0, run_io_worker());
	ASSERT_EQ(0, stat("/proc/self/exe", &exe));
	ts_read_comm(getpid(), comm, sizeof(comm));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &rec));
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_pid);
	EXPECT_EQ((uint32_t)getpid(), rec.st.ac_tgid);
	EXPECT_EQ((uint32_t)getppid(), rec.st.ac_ppid);
	EXPECT_EQ(getuid(), rec.st.ac_uid);
	EXPECT_EQ(getgid(), rec.st.ac_gid);
	EXPECT_STREQ(comm, rec.st.ac_comm);
	EXPECT_NE(0, rec.st.ac_btime64);
	EXPECT_LE(rec.st.ac_btime64, (uint64_t)time(NULL));
	EXPECT_EQ(exe.st_ino, rec.st.ac_exe_inode);
	EXPECT_EQ(exe.st_dev, rec.st.ac_exe_dev);
	EXPECT_LT(0, rec.st.hiwater_rss);
	EXPECT_LT(0, rec.st.hiwater_vm);
	EXPECT_EQ(TASKSTATS_VERSION, rec.st.version);
}

/* A single-threaded child: its TGID and PID answers agree. */
TEST_F(tgid, single_threaded_child)
{
	struct ts_record pid_rec, tgid_rec;
	int go[2], ready[2];
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char block[4096];
		int fd = open("/dev/null", O_WRONLY), i;

		close(go[1]);
		for (i = 0; i < 256; i++)
			if (write(fd, block, sizeof(block)) != sizeof(block))
				_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, pid, &tgid_rec));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, pid, &pid_rec));
	close(go[1]);
	ASSERT_EQ(0, ts_reap(pid));
	EXPECT_EQ((uint32_t)pid, tgid_rec.st.ac_pid);
	EXPECT_EQ((uint32_t)getpid(), tgid_rec.st.ac_ppid);
	EXPECT_LE(256 * 4096, tgid_rec.st.write_char);
	EXPECT_LE(256, tgid_rec.st.write_syscalls);
	EXPECT_LE(tgid_rec.st.write_char, pid_rec.st.write_char + 1023);
	EXPECT_EQ(pid_rec.st.ac_btime64, tgid_rec.st.ac_btime64);
}

/*
 * The exit record of a multi-threaded process: a TGID record with the
 * process's identity, group exit code and the exited worker's I/O.
 */
TEST_F(tgid, exit_record)
{
	struct ts_record rec, tg;
	int status;
	pid_t pid;

	ASSERT_EQ(0, ts_register(&self->s, "0"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (ts_pin_to_cpu(0) || run_io_worker())
			_exit(1);
		_exit(5);
	}
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(5, WEXITSTATUS(status));
	ASSERT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, &tg, TS_TIMEOUT_MS));
	ts_deregister(&self->s, "0");

	ASSERT_EQ(TASKSTATS_TYPE_TGID, tg.type);
	EXPECT_EQ((uint32_t)pid, tg.id);
	EXPECT_EQ((uint32_t)pid, tg.st.ac_pid);
	EXPECT_EQ((uint32_t)pid, tg.st.ac_tgid);
	EXPECT_EQ((uint32_t)getpid(), tg.st.ac_ppid);
	EXPECT_EQ(5 << 8, tg.st.ac_exitcode);
	EXPECT_TRUE(tg.st.ac_flag & AGROUP);
	EXPECT_NE(0, tg.st.ac_comm[0]);
	EXPECT_LE(WRITE_SIZE, tg.st.write_char);
	EXPECT_LE(WRITE_SIZE / 4096, tg.st.write_syscalls);
	EXPECT_LE(TOUCH_SIZE / 4096, tg.st.ac_minflt);
	EXPECT_NE(0, tg.st.ac_exe_inode);
}

/*
 * Short-lived threads (20000, fewer on a slow kernel) while this thread
 * queries its own TGID: no counter ever goes backwards (a thread in the middle of
 * exiting is never counted twice, nor not at all).
 */
static void *nop_thread(void *arg)
{
	return arg;
}

static int spawning = 1;

static long spawned;

/* 20000 threads, or as many as fit in a minute on a slow (debug) kernel. */
static void *spawner(void *arg)
{
	long i, n = (long)arg;
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < n && __atomic_load_n(&spawning, __ATOMIC_RELAXED); i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, nop_thread, NULL) == 0)
			pthread_join(t, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 60)
			break;
	}
	spawned = i;
	__atomic_store_n(&spawning, 0, __ATOMIC_RELAXED);
	return NULL;
}

/* The per-process counters that must never go backwards (all __u64). */
static const struct {
	const char *name;
	size_t offset;
} monotonic[] = {
	{ "ac_utime", offsetof(struct taskstats, ac_utime) },
	{ "ac_stime", offsetof(struct taskstats, ac_stime) },
	{ "ac_minflt", offsetof(struct taskstats, ac_minflt) },
	{ "ac_majflt", offsetof(struct taskstats, ac_majflt) },
	{ "ac_etime", offsetof(struct taskstats, ac_etime) },
	{ "nvcsw", offsetof(struct taskstats, nvcsw) },
	{ "nivcsw", offsetof(struct taskstats, nivcsw) },
	{ "read_char", offsetof(struct taskstats, read_char) },
	{ "write_char", offsetof(struct taskstats, write_char) },
	{ "read_syscalls", offsetof(struct taskstats, read_syscalls) },
	{ "write_syscalls", offsetof(struct taskstats, write_syscalls) },
	{ "cpu_count", offsetof(struct taskstats, cpu_count) },
	{ "cpu_delay_total", offsetof(struct taskstats, cpu_delay_total) },
	{ "cpu_run_real_total", offsetof(struct taskstats, cpu_run_real_total) },
	{ "coremem", offsetof(struct taskstats, coremem) },
	{ "virtmem", offsetof(struct taskstats, virtmem) },
};

static uint64_t field(const struct taskstats *st, size_t offset)
{
	uint64_t v;

	memcpy(&v, (const char *)st + offset, sizeof(v));
	return v;
}

/* Count (and log the first few) counters that went down from @a to @b. */
static int count_regressions(const struct taskstats *a,
			     const struct taskstats *b, long query, int logged)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(monotonic); i++) {
		uint64_t before = field(a, monotonic[i].offset);
		uint64_t after = field(b, monotonic[i].offset);

		if (after >= before)
			continue;
		if (logged + n < 10)
			ksft_print_msg("query %ld: %s went from %llu to %llu\n",
				       query, monotonic[i].name,
				       (unsigned long long)before,
				       (unsigned long long)after);
		n++;
	}
	return n;
}

TEST_F_TIMEOUT(tgid, counters_monotonic_under_thread_churn, 180)
{
	struct ts_record prev, cur;
	long queries = 0;
	int regressions = 0;
	pthread_t sp;

	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &prev));
	ASSERT_EQ(0, pthread_create(&sp, NULL, spawner, (void *)20000L));
	while (__atomic_load_n(&spawning, __ATOMIC_RELAXED)) {
		ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &cur));
		queries++;
		regressions += count_regressions(&prev.st, &cur.st, queries,
						 regressions);
		prev = cur;
	}
	pthread_join(sp, NULL);
	TH_LOG("%ld queries while %ld threads came and went", queries, spawned);
	EXPECT_LT(1000, spawned);
	EXPECT_LT(100, queries);
	EXPECT_EQ(0, regressions);
}

TEST_HARNESS_MAIN
