// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process (TGID) statistics: identity, and the sums over every thread
 * that ever lived in the process, checked against /proc/<tgid>/io and
 * /proc/<tgid>/stat, for queries and for the exit record of a group; with
 * a zombie leader, after exec() from a non-leader thread, for the delay
 * extremes, for the exit status of a group, and for queries that race the
 * group's exit.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

/*
 * A thread that writes WRITE_SIZE bytes to a file and reads them back, in
 * 4 KiB system calls, and touches TOUCH_SIZE fresh bytes: one fault per
 * 4 KiB page, as transparent huge pages are refused for them.
 */
static void *io_worker(void *arg)
{
	const char *path = arg;
	static char block[4096];
	char *mem;
	int fd, i;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return (void *)1;
	for (i = 0; i < WRITE_SIZE / (int)sizeof(block); i++)
		if (write(fd, block, sizeof(block)) != sizeof(block))
			return (void *)1;
	for (i = 0; i < WRITE_SIZE / (int)sizeof(block); i++)
		if (pread(fd, block, sizeof(block), i * sizeof(block)) != sizeof(block))
			return (void *)1;
	close(fd);
	mem = mmap(NULL, TOUCH_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return (void *)1;
	/*
	 * EINVAL: no CONFIG_TRANSPARENT_HUGEPAGE, 4 KiB pages anyway; else
	 * (no madvise() with CONFIG_ADVISE_SYSCALLS=n) refuse huge pages
	 * to the whole process.
	 */
	if (madvise(mem, TOUCH_SIZE, MADV_NOHUGEPAGE) && errno != EINVAL &&
	    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
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

/*
 * The first CPU this process may run on (sched_getaffinity()), where the
 * tests that listen for exit records run their children, and as a cpulist.
 */
static int cpu0;
static char c0[16];

FIXTURE(tgid) {
	struct ts_sock s;
	/* Killed and reaped by the teardown if a test leaves them behind. */
	pid_t child;
	pid_t hog;
	/* Removed with its contents by the teardown ("" if none). */
	char coredir[32];
	/* The kernel's TASKSTATS_VERSION, from a PID reply. */
	unsigned int version;
	/* kernel.task_delayacct as found, restored by the teardown; or -1. */
	int delayacct;
};

/*
 * What a TGID reply holds from version 18 on (the whole process: identity,
 * I/O, faults, memory, exit code) is a feature: its tests skip on an older
 * kernel, whose TGID replies hold only the sums of delays, CPU times,
 * lifetimes and context switches.
 */
#define OLD_TGID_REPLIES \
	"TGID replies hold the whole process from version %d; this kernel's are version %u"

FIXTURE_SETUP(tgid)
{
	struct ts_record rec;
	int rc;

	self->child = 0;
	self->hog = 0;
	self->coredir[0] = '\0';
	self->s.fd = -1;
	self->delayacct = -1;
	ASSERT_LT(0, ts_allowed_cpus(&cpu0, 1));
	snprintf(c0, sizeof(c0), "%d", cpu0);
	rc = ts_open(&self->s, 0);
	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
	if (ts_may_query(&self->s) == -EPERM)
		SKIP(return, TS_NEEDS_ADMIN);
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, getpid(), &rec));
	self->version = rec.st.version;
	/*
	 * Delay accounting on, for the tasks the tests fork: with it off (the
	 * default) their blkio, swapin and other delays are not kept, and the
	 * sums and extremes of those fields compare zeros.  The cpu_* fields
	 * come from sched_info either way.  A kernel without it still runs
	 * the tests.
	 */
	rc = ts_delayacct_set(1);
	if (rc >= 0)
		self->delayacct = rc;
	else
		TH_LOG("delay accounting stays as it is: %s", strerror(-rc));
}

static void remove_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

FIXTURE_TEARDOWN(tgid)
{
	if (self->delayacct >= 0)
		ts_delayacct_set(self->delayacct);
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
		self->child = 0;
	}
	if (self->hog > 0) {
		kill(self->hog, SIGKILL);
		waitpid(self->hog, NULL, 0);
		self->hog = 0;
	}
	if (self->coredir[0]) {
		remove_dir(self->coredir);
		self->coredir[0] = '\0';
	}
	ts_close(&self->s);
}

/*
 * The I/O counters of a process equal /proc/<tgid>/io, exited threads
 * included, up to what happens between the reads: /proc before <= taskstats
 * <= /proc after.  They differ by the I/O of reaped children, which /proc
 * counts and taskstats does not (reaped_child_io_is_not_counted); this
 * process has reaped none.  The exited worker's reads and writes are in
 * them: each character and system call count grew by at least what it did
 * since /proc was read before it ran.  /tmp is tmpfs, which does no block
 * I/O: read_bytes, write_bytes and cancelled_write_bytes are compared, but
 * are 0 here.
 */
TEST_F(tgid, io_matches_proc_with_exited_thread)
{
	struct proc_counters start, a, b;
	struct ts_record rec;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, read_proc(getpid(), &start));
	ASSERT_EQ(0, run_io_worker());
	ASSERT_EQ(0, read_proc(getpid(), &a));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &rec));
	ASSERT_EQ(0, read_proc(getpid(), &b));

	EXPECT_LE(start.rchar + WRITE_SIZE, rec.st.read_char);
	EXPECT_LE(start.wchar + WRITE_SIZE, rec.st.write_char);
	EXPECT_LE(start.syscr + WRITE_SIZE / 4096, rec.st.read_syscalls);
	EXPECT_LE(start.syscw + WRITE_SIZE / 4096, rec.st.write_syscalls);
	EXPECT_TRUE(between("read_char", a.rchar, rec.st.read_char, b.rchar));
	EXPECT_TRUE(between("write_char", a.wchar, rec.st.write_char, b.wchar));
	EXPECT_TRUE(between("read_syscalls", a.syscr, rec.st.read_syscalls, b.syscr));
	EXPECT_TRUE(between("write_syscalls", a.syscw, rec.st.write_syscalls, b.syscw));
	EXPECT_TRUE(between("read_bytes", a.read_bytes, rec.st.read_bytes, b.read_bytes));
	EXPECT_TRUE(between("write_bytes", a.write_bytes, rec.st.write_bytes, b.write_bytes));
	EXPECT_TRUE(between("cancelled_write_bytes", a.cancelled_write_bytes,
			    rec.st.cancelled_write_bytes, b.cancelled_write_bytes));
}

/* Faults equal /proc/<tgid>/stat's, exited threads included. */
TEST_F(tgid, faults_match_proc_stat)
{
	struct proc_counters a, b;
	struct ts_record rec;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, run_io_worker());
	ASSERT_EQ(0, read_proc(getpid(), &a));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &rec));
	ASSERT_EQ(0, read_proc(getpid(), &b));

	/* The worker touched TOUCH_SIZE / 4 KiB fresh pages. */
	EXPECT_LE(TOUCH_SIZE / 4096, a.minflt);
	EXPECT_TRUE(between("ac_minflt", a.minflt, rec.st.ac_minflt, b.minflt));
	EXPECT_TRUE(between("ac_majflt", a.majflt, rec.st.ac_majflt, b.majflt));
}

/*
 * A process's I/O counters are its own threads', as its CPU times and
 * faults are: a child's I/O is in the child's records, and not again in
 * its parent's once the parent reaps it, as /proc/<tgid>/io counts it
 * (wait() adds it there).  The child writes and reads WRITE_SIZE bytes in
 * 4 KiB system calls; this process does far less I/O between the two
 * queries, so a counter that grew by the child's share counted it.
 */
TEST_F(tgid, reaped_child_io_is_not_counted)
{
	struct proc_counters before, after;
	struct ts_record a, b;
	int status, rc;
	pid_t pid;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &a));
	rc = read_proc(getpid(), &before);
	if (rc == -ENOENT)
		SKIP(return, "no /proc/<pid>/io to compare with (CONFIG_TASK_IO_ACCOUNTING)");
	ASSERT_EQ(0, rc);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(run_io_worker() ? 1 : 0);
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, read_proc(getpid(), &after));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &b));

	/* /proc counts the reaped child's I/O in this process's. */
	ASSERT_LE(before.wchar + WRITE_SIZE, after.wchar);
	ASSERT_LE(before.rchar + WRITE_SIZE, after.rchar);
	/*
	 * Taskstats does not: the counters grow by this process's own I/O
	 * (its reads of /proc in between, at least), less than the child's.
	 */
	EXPECT_LT(a.st.read_char, b.st.read_char);
	EXPECT_LT(a.st.read_syscalls, b.st.read_syscalls);
	EXPECT_LE(a.st.write_char, b.st.write_char);
	EXPECT_LE(a.st.write_syscalls, b.st.write_syscalls);
	EXPECT_GT(a.st.write_char + WRITE_SIZE, b.st.write_char);
	EXPECT_GT(a.st.read_char + WRITE_SIZE, b.st.read_char);
	EXPECT_GT(a.st.write_syscalls + WRITE_SIZE / 4096, b.st.write_syscalls);
	EXPECT_GT(a.st.read_syscalls + WRITE_SIZE / 4096, b.st.read_syscalls);
}

TEST_F(tgid, identity)
{
	struct ts_record rec;
	struct stat exe;
	char comm[32];

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, run_io_worker());
	ASSERT_EQ(0, stat("/proc/self/exe", &exe));
	ts_read_comm(getpid(), comm, sizeof(comm));
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, getpid(), &rec));
	/* ac_pid 0, as in every TGID reply: not the leader's PID record */
	EXPECT_EQ(0, rec.st.ac_pid);
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
	EXPECT_LE(TS_TGID_VERSION, rec.st.version);
}

/* A field of struct taskstats of type @type: its name, offset and size. */
#define TS_FIELD(f, type)	{ #f, offsetof(struct taskstats, f), sizeof(type) }

/*
 * The fields a single-threaded process's TGID reply has the same as its
 * PID reply, while it sleeps.  The others differ by design:
 *  - ac_pid is 0 in a TGID reply: it names the process, not the leader;
 *  - ac_utimescaled, ac_stimescaled: 0, no group accumulator exists;
 *  - ac_etime, ac_tgetime, ac_btime, ac_btime64: computed from the clock
 *    at each query (the btimes may differ by a second of rounding);
 *  - the I/O counters: rounded down to KiB in a PID reply only.
 */
static const struct {
	const char *name;
	size_t offset, size;
} same_in_tgid[] = {
	TS_FIELD(version, __u16),
	TS_FIELD(ac_exitcode, __u32),
	TS_FIELD(ac_flag, __u8),
	TS_FIELD(ac_nice, __u8),
	TS_FIELD(ac_sched, __u8),
	TS_FIELD(ac_comm, char[TS_COMM_LEN]),
	TS_FIELD(ac_uid, __u32),
	TS_FIELD(ac_gid, __u32),
	TS_FIELD(ac_ppid, __u32),
	TS_FIELD(ac_tgid, __u32),
	TS_FIELD(ac_exe_dev, __u64),
	TS_FIELD(ac_exe_inode, __u64),
	TS_FIELD(ac_utime, __u64),
	TS_FIELD(ac_stime, __u64),
	TS_FIELD(ac_minflt, __u64),
	TS_FIELD(ac_majflt, __u64),
	TS_FIELD(nvcsw, __u64),
	TS_FIELD(nivcsw, __u64),
	TS_FIELD(coremem, __u64),
	TS_FIELD(virtmem, __u64),
	TS_FIELD(hiwater_rss, __u64),
	TS_FIELD(hiwater_vm, __u64),
	TS_FIELD(cpu_count, __u64),
	TS_FIELD(cpu_delay_total, __u64),
	TS_FIELD(cpu_run_real_total, __u64),
	TS_FIELD(cpu_run_virtual_total, __u64),
	TS_FIELD(cpu_scaled_run_real_total, __u64),
	TS_FIELD(blkio_count, __u64),
	TS_FIELD(blkio_delay_total, __u64),
	TS_FIELD(swapin_count, __u64),
	TS_FIELD(swapin_delay_total, __u64),
	TS_FIELD(freepages_count, __u64),
	TS_FIELD(freepages_delay_total, __u64),
	TS_FIELD(thrashing_count, __u64),
	TS_FIELD(thrashing_delay_total, __u64),
	TS_FIELD(compact_count, __u64),
	TS_FIELD(compact_delay_total, __u64),
	TS_FIELD(wpcopy_count, __u64),
	TS_FIELD(wpcopy_delay_total, __u64),
	TS_FIELD(irq_count, __u64),
	TS_FIELD(irq_delay_total, __u64),
	TS_FIELD(cpu_delay_max, __u64),
	TS_FIELD(cpu_delay_min, __u64),
	TS_FIELD(cpu_delay_max_ts, struct __kernel_timespec),
	TS_FIELD(blkio_delay_max, __u64),
	TS_FIELD(blkio_delay_min, __u64),
	TS_FIELD(blkio_delay_max_ts, struct __kernel_timespec),
	TS_FIELD(swapin_delay_max, __u64),
	TS_FIELD(swapin_delay_min, __u64),
	TS_FIELD(swapin_delay_max_ts, struct __kernel_timespec),
	TS_FIELD(freepages_delay_max, __u64),
	TS_FIELD(freepages_delay_min, __u64),
	TS_FIELD(freepages_delay_max_ts, struct __kernel_timespec),
	TS_FIELD(thrashing_delay_max, __u64),
	TS_FIELD(thrashing_delay_min, __u64),
	TS_FIELD(thrashing_delay_max_ts, struct __kernel_timespec),
	TS_FIELD(compact_delay_max, __u64),
	TS_FIELD(compact_delay_min, __u64),
	TS_FIELD(compact_delay_max_ts, struct __kernel_timespec),
	TS_FIELD(wpcopy_delay_max, __u64),
	TS_FIELD(wpcopy_delay_min, __u64),
	TS_FIELD(wpcopy_delay_max_ts, struct __kernel_timespec),
	TS_FIELD(irq_delay_max, __u64),
	TS_FIELD(irq_delay_min, __u64),
	TS_FIELD(irq_delay_max_ts, struct __kernel_timespec),
};

/* Count (and name) the fields of same_in_tgid[] that differ. */
static int count_differences(const struct taskstats *a,
			     const struct taskstats *b, bool log)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(same_in_tgid); i++) {
		if (!memcmp((const char *)a + same_in_tgid[i].offset,
			    (const char *)b + same_in_tgid[i].offset,
			    same_in_tgid[i].size))
			continue;
		if (log)
			ksft_print_msg("%s differs\n", same_in_tgid[i].name);
		n++;
	}
	return n;
}

/*
 * A single-threaded child, asleep: its TGID reply has every field of its
 * PID reply but those that differ by design (see same_in_tgid[]).  The
 * PID reply is taken before and after the TGID reply, until the two agree
 * (the child was asleep all along).
 */
TEST_F(tgid, single_threaded_child)
{
	struct ts_record pid_rec, again, tgid_rec;
	int go[2], ready[2], try;
	char c;
	pid_t pid;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
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
	self->child = pid;
	ASSERT_EQ(1, read(ready[0], &c, 1));
	for (try = 0; try < 20; try++) {
		ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, pid, &pid_rec));
		ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, pid, &tgid_rec));
		ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_PID, pid, &again));
		if (!count_differences(&pid_rec.st, &again.st, false))
			break;
		usleep(10000);
	}
	close(go[1]);
	self->child = 0;
	ASSERT_EQ(0, ts_reap(pid));
	ASSERT_GT(20, try) TH_LOG("the child never slept through three queries");

	EXPECT_EQ(0, count_differences(&pid_rec.st, &tgid_rec.st, true));
	EXPECT_EQ(0, tgid_rec.st.ac_pid);
	EXPECT_EQ((uint32_t)pid, tgid_rec.st.ac_tgid);
	EXPECT_EQ((uint32_t)getpid(), tgid_rec.st.ac_ppid);
	EXPECT_LE(256 * 4096, tgid_rec.st.write_char);
	EXPECT_LE(256, tgid_rec.st.write_syscalls);
	/* The I/O counters: rounded down to KiB in the PID reply. */
	EXPECT_EQ(tgid_rec.st.read_char & ~1023ULL, pid_rec.st.read_char);
	EXPECT_EQ(tgid_rec.st.write_char & ~1023ULL, pid_rec.st.write_char);
	EXPECT_EQ(tgid_rec.st.read_syscalls & ~1023ULL, pid_rec.st.read_syscalls);
	EXPECT_EQ(tgid_rec.st.write_syscalls & ~1023ULL, pid_rec.st.write_syscalls);
	EXPECT_EQ(tgid_rec.st.read_bytes & ~1023ULL, pid_rec.st.read_bytes);
	EXPECT_EQ(tgid_rec.st.write_bytes & ~1023ULL, pid_rec.st.write_bytes);
	EXPECT_EQ(tgid_rec.st.cancelled_write_bytes & ~1023ULL,
		  pid_rec.st.cancelled_write_bytes);
	/* Computed at each query, the TGID reply's first. */
	EXPECT_LE(tgid_rec.st.ac_etime, pid_rec.st.ac_etime + 1000000);
	EXPECT_LE(pid_rec.st.ac_btime64, tgid_rec.st.ac_btime64 + 1);
	EXPECT_LE(tgid_rec.st.ac_btime64, pid_rec.st.ac_btime64 + 1);
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

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (ts_pin_to_cpu(cpu0) || run_io_worker())
			_exit(1);
		_exit(5);
	}
	status = ts_reap(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(5, WEXITSTATUS(status));
	ASSERT_EQ(0, ts_wait_exit_of(&self->s, pid, &rec, &tg, TS_TIMEOUT_MS));
	ts_deregister(&self->s, c0);

	ASSERT_EQ(TASKSTATS_TYPE_TGID, tg.type);
	EXPECT_EQ((uint32_t)pid, tg.id);
	EXPECT_EQ(0, tg.st.ac_pid);
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
static const struct ts_u64_field monotonic[] = {
	TS_U64_FIELD(ac_utime),
	TS_U64_FIELD(ac_stime),
	TS_U64_FIELD(ac_minflt),
	TS_U64_FIELD(ac_majflt),
	TS_U64_FIELD(ac_etime),
	TS_U64_FIELD(nvcsw),
	TS_U64_FIELD(nivcsw),
	TS_U64_FIELD(read_char),
	TS_U64_FIELD(write_char),
	TS_U64_FIELD(read_syscalls),
	TS_U64_FIELD(write_syscalls),
	TS_U64_FIELD(cpu_count),
	TS_U64_FIELD(cpu_delay_total),
	TS_U64_FIELD(cpu_run_real_total),
	TS_U64_FIELD(coremem),
	TS_U64_FIELD(virtmem),
};

/* Count (and log the first few) counters that went down from @a to @b. */
static int count_regressions(const struct taskstats *a,
			     const struct taskstats *b, long query, int logged)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(monotonic); i++) {
		uint64_t before = ts_u64_at(a, monotonic[i].offset);
		uint64_t after = ts_u64_at(b, monotonic[i].offset);

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
	/*
	 * The cpu_* delay counters come from sched_info (CONFIG_SCHED_INFO,
	 * which CONFIG_TASK_DELAY_ACCT selects): else they are 0 throughout.
	 */
	ASSERT_LT(0, prev.st.cpu_count);
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
	/* Threads came and went on busy CPUs: some waited to run. */
	EXPECT_LT(0, prev.st.cpu_delay_total);
}

/*
 * The tests below fork a process with several threads and look at it from
 * here.  A forked child leaves only through _exit() or a raw exit syscall:
 * exit() would run this process's atexit handlers and flush its stdio
 * buffers a second time, and glibc turns the last thread's pthread_exit()
 * into exit().
 */

#ifndef __NR_pidfd_open
#define __NR_pidfd_open	434	/* the same on every architecture */
#endif

static pid_t sys_gettid(void)
{
	return syscall(SYS_gettid);
}

/* CLOCK_MONOTONIC, the clock of the kernel's ac_etime, in us. */
static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* Stay runnable for @us of wall time. */
static void spin_us(uint64_t us)
{
	uint64_t end = now_us() + us;

	while (now_us() < end)
		;
}

/* A forked child dies with the test process, whatever ends that. */
static void child_init(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/*
 * Read exactly @len bytes from the pipe @fd within @timeout_ms.  Returns 0,
 * -ETIMEDOUT, -EPIPE when the writers are gone, or -errno.
 */
static int read_all(int fd, void *buf, size_t len, int timeout_ms)
{
	uint64_t deadline = now_us() + timeout_ms * 1000ULL;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		uint64_t now = now_us();

		if (now >= deadline)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, (deadline - now) / 1000 + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ETIMEDOUT;
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		got += n;
	}
	return 0;
}

/* Block until @fd has a byte (returns 1) or its writers are gone (0). */
static ssize_t park(int fd)
{
	ssize_t n;
	char c;

	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n;
}

/* The state letter of thread @tid of process @pid, 0 if unreadable. */
static char thread_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Wait up to TS_TIMEOUT_MS for thread @tid of @pid to be in @state. */
static int wait_thread_state(pid_t pid, pid_t tid, char state)
{
	uint64_t deadline = now_us() + TS_TIMEOUT_MS * 1000ULL;

	while (thread_state(pid, tid) != state) {
		if (now_us() >= deadline)
			return -ETIMEDOUT;
		usleep(1000);
	}
	return 0;
}

/* Reap *@child (bounded, see ts_reap()) and forget it: its status or -1. */
static int reap_child(pid_t *child)
{
	int status = ts_reap(*child);

	*child = 0;
	return status;
}

/*
 * Reap @pid the moment it has exited, so that the reap races whatever else
 * runs; kill it if it is still there after 10 s.  Its wait status or -1.
 */
static int reap_now(pid_t pid)
{
	struct pollfd pfd = { .events = POLLIN };
	int status, rc;

	pfd.fd = syscall(__NR_pidfd_open, pid, 0);
	if (pfd.fd < 0)
		return ts_reap(pid);
	do {
		rc = poll(&pfd, 1, 10000);
	} while (rc < 0 && errno == EINTR);
	if (rc != 1)
		kill(pid, SIGKILL);
	close(pfd.fd);
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/*
 * The TGID record of @tgid's exit.  It comes with the PID record of the
 * thread that exits last, which after exit_group() or a fatal signal may
 * be any of them, so look at every exit message, not at one thread's.
 */
static int wait_group_record(struct ts_sock *s, pid_t tgid,
			     struct ts_record *tg)
{
	uint64_t deadline = now_us() + TS_TIMEOUT_MS * 1000ULL;
	struct ts_record rec[TS_MAX_RECORDS];
	int n, i;

	for (;;) {
		uint64_t now = now_us();

		if (now >= deadline)
			return -ETIMEDOUT;
		n = ts_recv_exit(s, rec, TS_MAX_RECORDS,
				 (deadline - now) / 1000 + 1);
		if (n < 0)
			return n;
		if (n == 0)
			return -ETIMEDOUT;
		for (i = 0; i < n; i++) {
			if (rec[i].type == TASKSTATS_TYPE_TGID &&
			    rec[i].id == (uint32_t)tgid) {
				*tg = rec[i];
				return 0;
			}
		}
	}
}

/* Two queries this far apart: a live thread ages by about 1 s. */
#define ETIME_GAP_US	1000000
/* Allowed on top of one live thread's growth: scheduling noise only. */
#define ETIME_SLACK_US	100000

#define BURNERS	3	/* threads of the child, its leader included */

static int burn_tids = -1, burn_go = -1;

/* Use CPU, say which thread this is, sleep until the test ends. */
static void *burner(void *arg)
{
	pid_t tid = sys_gettid();

	spin_us(20000 * (1 + (long)arg));
	if (write(burn_tids, &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	park(burn_go);
	return NULL;
}

/* Sum the PID replies' CPU times of @tid[]. */
static int sum_pid_cputime(struct ts_sock *s, const pid_t *tid,
			   uint64_t *utime, uint64_t *stime)
{
	struct ts_record rec;
	int i, rc;

	*utime = *stime = 0;
	for (i = 0; i < BURNERS; i++) {
		rc = ts_query(s, TASKSTATS_CMD_ATTR_PID, tid[i], &rec);
		if (rc)
			return rc;
		*utime += rec.st.ac_utime;
		*stime += rec.st.ac_stime;
	}
	return 0;
}

/*
 * ac_utime and ac_stime keep the meaning they had before version 18: a
 * process's are the sum of its threads' own times, as their PID replies
 * give them, not /proc/<tgid>/stat's, which are scaled to the scheduler's
 * runtime.  Every thread of the child has used CPU and sleeps, so the sum
 * holds exactly; the PID replies are read before and after the TGID
 * reply, until both agree.  Scaling shows where utime and stime are
 * sampled at the tick (the default); under VIRT_CPU_ACCOUNTING_NATIVE it
 * changes nothing, and only rounding could differ.
 */
TEST_F(tgid, cputime_is_the_sum_of_thread_replies)
{
	uint64_t ut, st, ut2, st2;
	int tids[2], go[2], try, i;
	pid_t tid[BURNERS];
	struct ts_record rec;
	pid_t pid;

	ASSERT_EQ(0, pipe(tids));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pthread_t t;
		long n;

		child_init();
		close(go[1]);
		burn_tids = tids[1];
		burn_go = go[0];
		for (n = 1; n < BURNERS; n++)
			if (pthread_create(&t, NULL, burner, (void *)n))
				_exit(1);
		burner((void *)0L);
		_exit(0);
	}
	self->child = pid;
	close(go[0]);
	close(tids[1]);
	for (i = 0; i < BURNERS; i++) {
		ASSERT_EQ(0, read_all(tids[0], &tid[i], sizeof(tid[i]), TS_TIMEOUT_MS));
		ASSERT_EQ(0, wait_thread_state(pid, tid[i], 'S'));
	}
	for (try = 0; try < 20; try++) {
		ASSERT_EQ(0, sum_pid_cputime(&self->s, tid, &ut, &st));
		ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, pid, &rec));
		ASSERT_EQ(0, sum_pid_cputime(&self->s, tid, &ut2, &st2));
		if (ut == ut2 && st == st2)
			break;
		usleep(10000);
	}
	close(go[1]);
	close(tids[0]);
	ASSERT_EQ(0, reap_child(&self->child));
	ASSERT_GT(20, try) TH_LOG("the threads never slept through three queries");
	/* The threads spun for 120 ms in all: the sums are not 0 = 0. */
	EXPECT_LT(0, ut + st);
	EXPECT_EQ(ut, rec.st.ac_utime);
	EXPECT_EQ(st, rec.st.ac_stime);
}

struct etime_sample {
	int64_t growth;		/* 2nd reply's ac_etime minus the 1st's */
	int64_t inner;		/* us from the 1st reply to the 2nd request */
	int64_t outer;		/* us from the 1st request to the 2nd reply */
};

/*
 * Two TGID queries for @id ETIME_GAP_US apart.  The kernel reads the clock
 * for each between our request and its reply, so with N live threads
 * ac_etime grows by at least N * inner and at most N * outer (give or take
 * the 1 us each thread's lifetime is truncated to).
 */
static int sample_etime(struct ts_sock *s, uint32_t id,
			struct etime_sample *e)
{
	struct ts_record a, b;
	uint64_t t0, t1, t2, t3;
	int rc;

	t0 = now_us();
	rc = ts_query(s, TASKSTATS_CMD_ATTR_TGID, id, &a);
	t1 = now_us();
	if (rc)
		return rc;
	while (now_us() - t1 < ETIME_GAP_US)
		usleep(10000);
	t2 = now_us();
	rc = ts_query(s, TASKSTATS_CMD_ATTR_TGID, id, &b);
	t3 = now_us();
	if (rc)
		return rc;
	e->growth = (int64_t)(b.st.ac_etime - a.st.ac_etime);
	e->inner = t2 - t1;
	e->outer = t3 - t0;
	return 0;
}

#define ZL_WRITE	(64 << 10)	/* the leader writes this, then exits */
#define ZL_LEADER_COMM	"ts-zleader"
#define ZL_WORKER_COMM	"ts-zworker"

/* The zombie-leader child's pipes: tid to the parent, "go" from it. */
static int zl_ready = -1, zl_go = -1;

static void *zl_worker(void *arg)
{
	pid_t tid = sys_gettid();

	prctl(PR_SET_NAME, ZL_WORKER_COMM);
	if (write(zl_ready, &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	park(zl_go);
	_exit(0);
}

/*
 * Fork a process whose leader writes ZL_WRITE bytes to /dev/null, starts a
 * worker and calls pthread_exit(), while the worker blocks on a pipe.
 * Returns its pid (also in *@child) once the leader is a zombie, with
 * the worker's tid in @tid and in @go the pipe end whose closing makes the
 * process exit(0); or -errno.
 */
static pid_t spawn_zombie_leader(pid_t *child, pid_t *tid, int *go)
{
	int ready[2], gop[2], rc;
	pid_t pid;

	if (pipe(ready) || pipe(gop))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		static char block[4096];
		pthread_t t;
		int fd, i;

		child_init();
		close(ready[0]);
		close(gop[1]);
		zl_ready = ready[1];
		zl_go = gop[0];
		prctl(PR_SET_NAME, ZL_LEADER_COMM);
		fd = open("/dev/null", O_WRONLY);
		for (i = 0; i < ZL_WRITE / (int)sizeof(block); i++)
			if (write(fd, block, sizeof(block)) != sizeof(block))
				_exit(1);
		if (pthread_create(&t, NULL, zl_worker, NULL))
			_exit(1);
		pthread_exit(NULL);
	}
	*child = pid;
	close(ready[1]);
	close(gop[0]);
	rc = read_all(ready[0], tid, sizeof(*tid), TS_TIMEOUT_MS);
	close(ready[0]);
	/* Its share is frozen before it is a zombie: see tgid_fold(). */
	if (!rc)
		rc = wait_thread_state(pid, pid, 'Z');
	if (rc) {
		close(gop[1]);
		return rc;
	}
	*go = gop[1];
	return pid;
}

/*
 * The leader has exited (a zombie) and a worker lives: a TGID query by the
 * tgid and one by the worker's tid both answer for the whole process, with
 * the leader's identity (not the worker's comm) and the I/O the leader did
 * before it exited.
 */
TEST_F(tgid, zombie_leader_identity_by_tgid_and_tid)
{
	struct ts_sock *s = &self->s;
	struct ts_record rec[2];
	pid_t pid, tid;
	int go, i;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	pid = spawn_zombie_leader(&self->child, &tid, &go);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ts_query(s, TASKSTATS_CMD_ATTR_TGID, pid, &rec[0]));
	ASSERT_EQ(0, ts_query(s, TASKSTATS_CMD_ATTR_TGID, tid, &rec[1]));
	close(go);
	ASSERT_EQ(0, reap_child(&self->child));

	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, rec[i].st.ac_pid);
		EXPECT_EQ((uint32_t)pid, rec[i].st.ac_tgid);
		EXPECT_EQ((uint32_t)getpid(), rec[i].st.ac_ppid);
		EXPECT_STREQ(ZL_LEADER_COMM, rec[i].st.ac_comm);
		EXPECT_LE(ZL_WRITE, rec[i].st.write_char);
	}
}

/*
 * ac_etime sums thread lifetimes, and an exited thread's was frozen when it
 * exited: with a zombie leader and one live worker it grows by 1x the wall
 * time between two queries, by tgid and by tid.  Summing the zombie again
 * up to the current time made it grow by 2x.
 */
TEST_F(tgid, zombie_leader_etime_grows_with_live_threads_only)
{
	struct etime_sample e[2];
	pid_t pid, tid;
	int go, i;

	pid = spawn_zombie_leader(&self->child, &tid, &go);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, sample_etime(&self->s, pid, &e[0]));
	ASSERT_EQ(0, sample_etime(&self->s, tid, &e[1]));
	close(go);
	ASSERT_EQ(0, reap_child(&self->child));

	for (i = 0; i < 2; i++) {
		TH_LOG("by %s: ac_etime +%lld us in %lld..%lld us",
		       i ? "tid" : "tgid", (long long)e[i].growth,
		       (long long)e[i].inner, (long long)e[i].outer);
		EXPECT_LE(e[i].growth, e[i].outer + ETIME_SLACK_US);
		/* The live worker is counted. */
		EXPECT_LE(e[i].inner, e[i].growth + 1000);
	}
}

#define EXEC_CHILD_ARG	"--tgid-exec-child"
#define PREEXEC_COMM	"ts-preexec"
#define EXECER_COMM	"ts-execer"
#define EXEC_COMM	"ts-execd"

/* The exec child's pipes: "ready" to the parent, "go" from it. */
static int ex_ready = -1, ex_go = -1;

/* Not the leader: on "go", replaces the process's image with ours. */
static void *execer(void *arg)
{
	char fd_arg[16];

	prctl(PR_SET_NAME, EXECER_COMM);
	if (park(ex_go) != 1)
		_exit(1);
	snprintf(fd_arg, sizeof(fd_arg), "%d", ex_ready);
	execl("/proc/self/exe", "/proc/self/exe", EXEC_CHILD_ARG, fd_arg,
	      (char *)NULL);
	_exit(127);
}

/* The new image (see main()): names itself, says so on @fd_arg, waits. */
static int exec_child_main(const char *fd_arg)
{
	int fd = atoi(fd_arg);

	/* exec() kept the pid, not the exec'ing thread's death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, EXEC_COMM);
	if (write(fd, "e", 1) != 1)
		return 1;
	for (;;)
		pause();
}

/*
 * Fork a process with two threads whose non-leader thread exec()s this
 * program (see exec_child_main()) while the leader lives.  Returns its pid
 * (also in *@child) once the new image runs, with the TGID reply from
 * just before the exec in @before; or -errno.
 */
static pid_t spawn_exec_child(struct ts_sock *s, pid_t *child,
			      struct ts_record *before)
{
	int ready[2], go[2], rc;
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(go))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		pthread_t t;

		child_init();
		close(ready[0]);
		close(go[1]);
		ex_ready = ready[1];
		ex_go = go[0];
		prctl(PR_SET_NAME, PREEXEC_COMM);
		if (pthread_create(&t, NULL, execer, NULL) ||
		    write(ready[1], "r", 1) != 1)
			_exit(1);
		/* Alive until the exec makes it exit. */
		for (;;)
			pause();
	}
	*child = pid;
	close(ready[1]);
	close(go[0]);
	rc = read_all(ready[0], &c, 1, TS_TIMEOUT_MS);
	if (!rc)
		rc = ts_query(s, TASKSTATS_CMD_ATTR_TGID, pid, before);
	if (!rc && write(go[1], "g", 1) != 1)
		rc = -errno;
	/* The new image writes to the same pipe. */
	if (!rc)
		rc = read_all(ready[0], &c, 1, TS_TIMEOUT_MS);
	close(ready[0]);
	close(go[1]);
	return rc ? rc : pid;
}

/*
 * exec() from a non-leader thread: that thread becomes the leader under the
 * tgid, so the process keeps its pid, ppid and start time, and its identity
 * is the new image's (comm, no AFORK), not the old leader's.
 */
TEST_F(tgid, exec_from_non_leader_keeps_process_identity)
{
	struct ts_record before, after;
	int64_t dt;
	pid_t pid;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	pid = spawn_exec_child(&self->s, &self->child, &before);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ts_query(&self->s, TASKSTATS_CMD_ATTR_TGID, pid, &after));

	EXPECT_STREQ(PREEXEC_COMM, before.st.ac_comm);
	EXPECT_TRUE(before.st.ac_flag & AFORK);
	EXPECT_EQ(0, after.st.ac_pid);
	EXPECT_EQ((uint32_t)pid, after.st.ac_tgid);
	EXPECT_EQ((uint32_t)getpid(), after.st.ac_ppid);
	EXPECT_STREQ(EXEC_COMM, after.st.ac_comm);
	EXPECT_FALSE(after.st.ac_flag & AFORK);
	/* Seconds, computed back from the current time: 1 s of rounding. */
	dt = (int64_t)(after.st.ac_btime64 - before.st.ac_btime64);
	EXPECT_LE(-1, dt);
	EXPECT_GE(1, dt);
}

/*
 * After an exec() from a non-leader thread one thread is left (the old
 * leader's share was frozen when de_thread() made it exit): ac_etime grows
 * by 1x the wall time between two queries.
 */
TEST_F(tgid, exec_from_non_leader_etime_grows_with_one_thread)
{
	struct ts_record before;
	struct etime_sample e;
	pid_t pid;

	pid = spawn_exec_child(&self->s, &self->child, &before);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, sample_etime(&self->s, pid, &e));
	TH_LOG("ac_etime +%lld us in %lld..%lld us", (long long)e.growth,
	       (long long)e.inner, (long long)e.outer);
	EXPECT_LE(e.growth, e.outer + ETIME_SLACK_US);
	EXPECT_LE(e.inner, e.growth + 1000);
}

/*
 * The delay child: its leader, a first worker that competes with a
 * busy-looping "hog" process on one CPU, and a last worker that only
 * sleeps briefly, alone.  All three then block, so that their values stay
 * put while the parent reads them.
 */
#define DELAY_ATTEMPTS	5
#define DELAY_PHASE_MS	10000

static struct {
	int cpu_hog, cpu_quiet;
	pid_t hog;
	int done[2];	/* worker -> leader: its tid, when done */
	int park;	/* the threads block here when done */
} dc;

/* Runnable next to the hog, and woken next to it: it waits behind it. */
static void *delay_first_worker(void *arg)
{
	pid_t tid = sys_gettid();
	int i;

	if (ts_pin_to_cpu(dc.cpu_hog))
		_exit(1);
	/* A smaller share of the CPU than the hog's: longer waits. */
	setpriority(PRIO_PROCESS, tid, 10);
	for (i = 0; i < 10; i++) {
		spin_us(5000);
		usleep(1000);
	}
	if (write(dc.done[1], &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	park(dc.park);
	_exit(0);
}

/* A few short sleeps on a CPU without the hog: only short waits. */
static void *delay_last_worker(void *arg)
{
	pid_t tid = sys_gettid();
	int i;

	if (ts_pin_to_cpu(dc.cpu_quiet))
		_exit(1);
	for (i = 0; i < 5; i++)
		usleep(1000);
	if (write(dc.done[1], &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	park(dc.park);
	_exit(0);
}

/* Sends the tids (leader, first worker, last worker) on @info. */
static void delay_child(int info)
{
	pid_t tid[3];
	pthread_t t;

	tid[0] = sys_gettid();
	if (ts_pin_to_cpu(dc.cpu_quiet) || pipe(dc.done) ||
	    pthread_create(&t, NULL, delay_first_worker, NULL) ||
	    read_all(dc.done[0], &tid[1], sizeof(tid[1]), DELAY_PHASE_MS))
		_exit(1);
	/* Gone before the last worker runs, even on a single CPU. */
	kill(dc.hog, SIGKILL);
	if (wait_thread_state(dc.hog, dc.hog, 'Z') ||
	    pthread_create(&t, NULL, delay_last_worker, NULL) ||
	    read_all(dc.done[0], &tid[2], sizeof(tid[2]), DELAY_PHASE_MS) ||
	    write(info, tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	park(dc.park);
	_exit(0);
}

/* The first two CPUs this process may run on (the same one twice if one). */
static int pick_cpus(int *a, int *b)
{
	cpu_set_t set;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (n++)
			*b = cpu;
		else
			*a = cpu;
	}
	if (n == 1)
		*b = *a;
	return n ? 0 : -ENOENT;
}

static bool same_cpu_delays(const struct taskstats *a,
			    const struct taskstats *b)
{
	return a->cpu_delay_max == b->cpu_delay_max &&
	       a->cpu_delay_min == b->cpu_delay_min &&
	       a->cpu_delay_max_ts.tv_sec == b->cpu_delay_max_ts.tv_sec &&
	       a->cpu_delay_max_ts.tv_nsec == b->cpu_delay_max_ts.tv_nsec;
}

/* PID replies of the leader, first and last worker; the TGID reply. */
struct delay_view {
	struct ts_record thr[3];
	struct ts_record tg;
};

static int query_threads(struct ts_sock *s, const pid_t *tid,
			 struct ts_record *rec)
{
	int i, rc = 0;

	for (i = 0; i < 3 && !rc; i++)
		rc = ts_query(s, TASKSTATS_CMD_ATTR_PID, tid[i], &rec[i]);
	return rc;
}

/*
 * Run the delay child once and read its threads' PID replies and its TGID
 * reply, in between two identical sets of PID replies: the TGID reply saw
 * the same per-thread values.  Kills and reaps everything it forked; until
 * then the hog's pid is in *@hog and the child's in *@child.
 */
static int delay_attempt(struct ts_sock *s, pid_t *child, pid_t *hog,
			 int cpu_hog, int cpu_quiet, struct delay_view *v)
{
	int hog_pipe[2] = { -1, -1 }, info[2] = { -1, -1 };
	int park_pipe[2] = { -1, -1 };
	struct ts_record again[3];
	int rc, i, try;
	pid_t tid[3];
	char c;

	if (pipe(hog_pipe))
		return -errno;
	*hog = fork();
	if (*hog == 0) {
		child_init();
		if (ts_pin_to_cpu(cpu_hog) || write(hog_pipe[1], "h", 1) != 1)
			_exit(1);
		for (;;)
			spin_us(1000000);
	}
	rc = *hog < 0 ? -errno : 0;
	if (*hog < 0)
		*hog = 0;
	/* Spinning on its CPU before the first worker gets there. */
	if (!rc)
		rc = read_all(hog_pipe[0], &c, 1, TS_TIMEOUT_MS);
	if (!rc && (pipe(info) || pipe(park_pipe)))
		rc = -errno;
	if (rc)
		goto out;

	dc.cpu_hog = cpu_hog;
	dc.cpu_quiet = cpu_quiet;
	dc.hog = *hog;
	dc.park = park_pipe[0];
	*child = fork();
	if (*child == 0) {
		child_init();
		close(info[0]);
		close(park_pipe[1]);
		delay_child(info[1]);
	}
	if (*child < 0) {
		rc = -errno;
		*child = 0;
		goto out;
	}
	close(info[1]);
	info[1] = -1;
	rc = read_all(info[0], tid, sizeof(tid), DELAY_PHASE_MS);

	for (try = 0; !rc && try < 10; try++) {
		rc = query_threads(s, tid, v->thr);
		if (!rc)
			rc = ts_query(s, TASKSTATS_CMD_ATTR_TGID,
				      *child, &v->tg);
		if (!rc)
			rc = query_threads(s, tid, again);
		for (i = 0; !rc && i < 3; i++)
			if (!same_cpu_delays(&v->thr[i].st, &again[i].st))
				break;
		if (!rc && i == 3)
			goto out;
	}
	if (!rc)
		rc = -EAGAIN;
out:
	if (*child > 0) {
		kill(*child, SIGKILL);
		waitpid(*child, NULL, 0);
		*child = 0;
	}
	if (*hog > 0) {
		kill(*hog, SIGKILL);
		waitpid(*hog, NULL, 0);
		*hog = 0;
	}
	for (i = 0; i < 2; i++) {
		if (hog_pipe[i] >= 0)
			close(hog_pipe[i]);
		if (info[i] >= 0)
			close(info[i]);
		if (park_pipe[i] >= 0)
			close(park_pipe[i]);
	}
	return rc;
}

/*
 * A TGID reply's cpu_delay_max is the largest of any thread's, with that
 * thread's cpu_delay_max_ts, and cpu_delay_min the smallest non-zero one.
 * The first worker waited behind the hog, the last worker only briefly:
 * taking each thread's values in turn left the last worker's in the reply.
 */
TEST_F(tgid, delay_extremes_over_threads)
{
	struct __kernel_timespec ts = { 0, 0 };
	uint64_t max = 0, min = 0;
	int cpu_hog = 0, cpu_quiet = 0, attempt, i;
	const struct taskstats *t;
	struct delay_view v;

	ASSERT_EQ(0, pick_cpus(&cpu_hog, &cpu_quiet));
	for (attempt = 0; attempt < DELAY_ATTEMPTS; attempt++) {
		ASSERT_EQ(0, delay_attempt(&self->s, &self->child, &self->hog,
					   cpu_hog, cpu_quiet, &v));
		if (v.thr[1].st.cpu_delay_max > v.thr[2].st.cpu_delay_max)
			break;
		TH_LOG("attempt %d: first worker's cpu_delay_max %llu ns, last's %llu ns",
		       attempt,
		       (unsigned long long)v.thr[1].st.cpu_delay_max,
		       (unsigned long long)v.thr[2].st.cpu_delay_max);
	}
	/*
	 * Else this run cannot tell the fix from the bug, but the rule is
	 * still checked: no SKIP for scheduling luck (a lab would read it
	 * as a missing feature).
	 */
	if (v.thr[1].st.cpu_delay_max <= v.thr[2].st.cpu_delay_max)
		TH_LOG("%d attempts, the first worker never the longest wait: %s",
		       DELAY_ATTEMPTS, "this run cannot fail on the bug");

	/* Walked as the kernel does: leader, then in creation order. */
	for (i = 0; i < 3; i++) {
		t = &v.thr[i].st;
		TH_LOG("thread %d: cpu_delay_max %llu min %llu ns", i,
		       (unsigned long long)t->cpu_delay_max,
		       (unsigned long long)t->cpu_delay_min);
		if (t->cpu_delay_max > max) {
			max = t->cpu_delay_max;
			ts = t->cpu_delay_max_ts;
		}
		if (t->cpu_delay_min && (!min || t->cpu_delay_min < min))
			min = t->cpu_delay_min;
	}
	EXPECT_EQ(max, v.tg.st.cpu_delay_max);
	EXPECT_EQ(ts.tv_sec, v.tg.st.cpu_delay_max_ts.tv_sec);
	EXPECT_EQ(ts.tv_nsec, v.tg.st.cpu_delay_max_ts.tv_nsec);
	EXPECT_EQ(min, v.tg.st.cpu_delay_min);
}

/*
 * The group-exit children: each pins itself to cpu0, where the test
 * listens for exit records, before it starts its threads.
 */
static struct {
	int ready;	/* to the parent */
	int go;		/* from the parent */
	int started[2];	/* thread -> leader: running */
	int park;	/* never written: threads block here */
	const char *dir; /* where a core is dumped */
} ge;

static void *ge_parker(void *arg)
{
	if (write(ge.started[1], "s", 1) != 1)
		_exit(1);
	park(ge.park);
	_exit(0);
}

/* Once the leader and a parker run, ends the process with status 3. */
static void *ge_exiter(void *arg)
{
	char c[2];

	if (read_all(ge.started[0], c, sizeof(c), TS_TIMEOUT_MS))
		_exit(1);
	syscall(SYS_exit_group, 3);
	return NULL;
}

/* On "go", kills the process with a core-dumping signal. */
static void *ge_crasher(void *arg)
{
	pid_t tid = sys_gettid();
	sigset_t none;

	if (write(ge.ready, &tid, sizeof(tid)) != sizeof(tid) ||
	    park(ge.go) != 1)
		_exit(1);
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
	raise(SIGSEGV);
	_exit(1);
}

/* On "go", the last thread exits by itself with status 7. */
static void *ge_last_exiter(void *arg)
{
	pid_t tid = sys_gettid();

	if (write(ge.ready, &tid, sizeof(tid)) != sizeof(tid) ||
	    park(ge.go) != 1)
		_exit(1);
	syscall(SYS_exit, 7);
	return NULL;
}

/* The leader exits; the one worker left exits on "go". */
static void ge_last_thread_leader(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, ge_last_exiter, NULL))
		_exit(1);
	pthread_exit(NULL);
}

/* A worker calls exit_group(3) while the leader and another worker live. */
static void ge_exit_group_leader(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, ge_parker, NULL) ||
	    pthread_create(&t, NULL, ge_exiter, NULL) ||
	    write(ge.started[1], "s", 1) != 1)
		_exit(1);
	park(ge.park);
	_exit(0);
}

/* All three threads live and block until the parent kills them. */
static void ge_kill_leader(void)
{
	pthread_t t;
	char c[2];

	if (pthread_create(&t, NULL, ge_parker, NULL) ||
	    pthread_create(&t, NULL, ge_parker, NULL) ||
	    read_all(ge.started[0], c, sizeof(c), TS_TIMEOUT_MS) ||
	    write(ge.ready, "r", 1) != 1)
		_exit(1);
	park(ge.park);
	_exit(0);
}

/* The leader exits; the worker then dumps core in ge.dir. */
static void ge_core_leader(void)
{
	pthread_t t;

	if (chdir(ge.dir))
		_exit(1);
	prctl(PR_SET_DUMPABLE, 1);
	signal(SIGSEGV, SIG_DFL);
	if (pthread_create(&t, NULL, ge_crasher, NULL))
		_exit(1);
	pthread_exit(NULL);
}

/*
 * Fork a process that runs @leader on cpu0.  Returns its pid (also in
 * *@child) with the read end of its "ready" pipe in @ready and the
 * write end of its "go" pipe in @go; or -errno.
 */
static pid_t spawn_group(pid_t *child, void (*leader)(void), int *ready,
			 int *go)
{
	int rp[2], gp[2], pp[2];
	pid_t pid;

	if (pipe(rp) || pipe(gp))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		child_init();
		close(rp[0]);
		close(gp[1]);
		ge.ready = rp[1];
		ge.go = gp[0];
		if (ts_pin_to_cpu(cpu0) || pipe(ge.started) || pipe(pp))
			_exit(1);
		ge.park = pp[0];
		leader();
		_exit(1);
	}
	*child = pid;
	close(rp[1]);
	close(gp[0]);
	*ready = rp[0];
	*go = gp[1];
	return pid;
}

/*
 * End a group-exit test: reap the child, close its pipes, and take the
 * TGID record of its exit off @s, checking what every such record holds:
 * ac_pid 0, the tgid, the status wait() reported as ac_exitcode, AGROUP.
 * Returns that status.
 */
static int group_exit_record(struct __test_metadata *_metadata,
			     struct ts_sock *s, pid_t *child, int ready,
			     int go, struct ts_record *tg)
{
	pid_t pid = *child;
	int status = reap_child(child);

	close(ready);
	close(go);
	ASSERT_EQ(0, wait_group_record(s, pid, tg));
	ts_deregister(s, c0);
	EXPECT_EQ(0, tg->st.ac_pid);
	EXPECT_EQ((uint32_t)pid, tg->st.ac_tgid);
	EXPECT_EQ((uint32_t)status, tg->st.ac_exitcode);
	EXPECT_TRUE(tg->st.ac_flag & AGROUP);
	return status;
}

/*
 * exit_group(3) from a non-leader thread while the others live: the TGID
 * exit record's ac_exitcode is the status wait() reports (3 << 8), not the
 * status of whichever thread happens to exit last.
 */
TEST_F(tgid, group_exit_from_worker_reports_wait_status)
{
	struct ts_record tg;
	int ready, go, status;
	pid_t pid;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = spawn_group(&self->child, ge_exit_group_leader, &ready, &go);
	ASSERT_LT(0, pid);
	status = group_exit_record(_metadata, &self->s, &self->child, ready,
				   go, &tg);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(3, WEXITSTATUS(status));
	EXPECT_FALSE(tg.st.ac_flag & ACORE);
}

/*
 * The leader calls pthread_exit() (status 0), then the last thread exits
 * by itself with 7: wait() reports the last thread's status (the group
 * exit code the last exiting thread sets), and so does the TGID record,
 * not the leader's 0.
 */
TEST_F(tgid, last_thread_exit_reports_wait_status)
{
	int ready, go, status;
	struct ts_record tg;
	pid_t pid, tid;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = spawn_group(&self->child, ge_last_thread_leader, &ready, &go);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, read_all(ready, &tid, sizeof(tid), TS_TIMEOUT_MS));
	ASSERT_EQ(0, wait_thread_state(pid, pid, 'Z'));
	ASSERT_EQ(1, write(go, "g", 1));
	status = group_exit_record(_metadata, &self->s, &self->child, ready,
				   go, &tg);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(7, WEXITSTATUS(status));
	EXPECT_FALSE(tg.st.ac_flag & AXSIG);
}

/*
 * SIGKILL to a process whose threads all live: ac_exitcode is the signal
 * status wait() reports, and ac_flag has AXSIG.
 */
TEST_F(tgid, group_exit_by_sigkill_reports_wait_status)
{
	struct ts_record tg;
	int ready, go, status;
	pid_t pid;
	char c;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = spawn_group(&self->child, ge_kill_leader, &ready, &go);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, read_all(ready, &c, 1, TS_TIMEOUT_MS));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	status = group_exit_record(_metadata, &self->s, &self->child, ready,
				   go, &tg);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
	EXPECT_TRUE(tg.st.ac_flag & AXSIG);
	EXPECT_FALSE(tg.st.ac_flag & ACORE);
}

enum core_dest {
	CORE_NEVER,	/* no CONFIG_COREDUMP: no dump is ever started */
	CORE_CWD,	/* a file in the dumping process's cwd */
	CORE_ELSEWHERE,	/* a pipe, a socket or another directory */
};

/* Where a core goes, by /proc/sys/kernel/core_pattern (copied to @pattern). */
static enum core_dest core_dest(char *pattern, size_t len)
{
	int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY);
	ssize_t n;

	pattern[0] = '\0';
	/* The sysctl exists only with CONFIG_COREDUMP. */
	if (fd < 0)
		return errno == ENOENT ? CORE_NEVER : CORE_ELSEWHERE;
	n = read(fd, pattern, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	pattern[n] = '\0';
	if (n && pattern[n - 1] == '\n')
		pattern[n - 1] = '\0';
	if (pattern[0] && pattern[0] != '|' && pattern[0] != '@' &&
	    !strchr(pattern, '/'))
		return CORE_CWD;
	return CORE_ELSEWHERE;
}

/*
 * The leader calls pthread_exit(), then the worker gets SIGSEGV (and dumps
 * core, where the kernel can).  ac_exitcode is the signal status wait()
 * reports (not the zombie leader's 0), and ac_flag has AXSIG, and ACORE
 * exactly when a core was dumped: they are ORed over the threads, the
 * exited leader had neither.
 */
TEST_F(tgid, group_exit_core_dump_after_leader_exit)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	int ready, go, status;
	enum core_dest dest;
	char pattern[256];
	struct ts_record tg;
	bool dump_expected;
	pid_t pid, tid;
	char comm[32];

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	snprintf(self->coredir, sizeof(self->coredir), "%s",
		 "/tmp/ts-tgid-core-XXXXXX");
	ASSERT_TRUE(!!mkdtemp(self->coredir));
	ge.dir = self->coredir;
	/* The child inherits the limit, and the leader's comm is ours. */
	if (setrlimit(RLIMIT_CORE, &rl)) {
		getrlimit(RLIMIT_CORE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_CORE, &rl);
	}
	dest = core_dest(pattern, sizeof(pattern));
	dump_expected = dest == CORE_CWD && rl.rlim_cur == RLIM_INFINITY;
	ts_read_comm(getpid(), comm, sizeof(comm));

	ASSERT_EQ(0, ts_register(&self->s, c0));
	pid = spawn_group(&self->child, ge_core_leader, &ready, &go);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, read_all(ready, &tid, sizeof(tid), TS_TIMEOUT_MS));
	/* The worker is the only thread left when the signal comes. */
	ASSERT_EQ(0, wait_thread_state(pid, pid, 'Z'));
	ASSERT_EQ(1, write(go, "g", 1));
	status = group_exit_record(_metadata, &self->s, &self->child, ready,
				   go, &tg);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGSEGV, WTERMSIG(status));
	if (dump_expected && !WCOREDUMP(status))
		TH_LOG("no core dumped in %s (core_pattern \"%s\")",
		       self->coredir, pattern);
	ASSERT_TRUE(!dump_expected || WCOREDUMP(status));

	EXPECT_STREQ(comm, tg.st.ac_comm);
	EXPECT_TRUE(tg.st.ac_flag & AXSIG);
	/*
	 * ACORE comes from PF_DUMPCORE, set when a dump starts: also for a
	 * dump that then fails (core_pattern "|missing-helper"), so only a
	 * dump that can never start (no CONFIG_COREDUMP) must leave it clear.
	 */
	if (WCOREDUMP(status)) {
		EXPECT_TRUE(tg.st.ac_flag & ACORE);
	} else if (dest == CORE_NEVER) {
		EXPECT_FALSE(tg.st.ac_flag & ACORE);
	} else {
		TH_LOG("no core dumped (core_pattern \"%s\"): ACORE not checked",
		       pattern);
	}
}

/*
 * Stress: TGID queries by a worker's tid race the process's exit and its
 * reap.  Each answer is either -ESRCH or the process's, with ac_tgid its
 * tgid, never a success with ac_tgid 0; and while the process surely lives
 * (before the parent lets it exit), always the process's.
 */
#define STRESS_USEC	(10 * 1000000ULL)	/* wall time bound */
#define STRESS_ITERS	1000			/* and iteration bound */
#define STRESS_QUERIERS	3
#define STRESS_WORKERS	3

enum stress_mode {
	/* The leader pthread_exit()s, a worker calls exit_group(). */
	STRESS_ZOMBIE_LEADER_GROUP_EXIT,
	/* The leader lives, a worker calls exit_group(). */
	STRESS_LIVE_LEADER_GROUP_EXIT,
	/* The leader pthread_exit()s, then each worker exits on its own. */
	STRESS_THREADS_EXIT,
	STRESS_MODES
};

struct stress {
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* a new target, or stop */
	/* The target: a worker's tid (0: none now) and its tgid. */
	uint32_t tgid, tid;
	bool exiting;	/* the target has been told to exit */
	bool reaped;	/* and has been reaped */
	bool stop;
	long answers, found, gone, stale, bad;
	/* The first bad answer. */
	int bad_rc;
	uint32_t bad_pid, bad_tgid, bad_tid;
	bool bad_live;
};

struct querier {
	struct stress *st;
	struct ts_sock s;
	pthread_t thread;
};

static void *querier_fn(void *arg)
{
	struct querier *q = arg;
	struct stress *st = q->st;
	struct ts_record rec;
	uint32_t tgid, tid;
	bool live, stop;
	int rc;

	for (;;) {
		pthread_mutex_lock(&st->lock);
		while (!st->tid && !st->stop)
			pthread_cond_wait(&st->cond, &st->lock);
		stop = st->stop;
		tgid = st->tgid;
		tid = st->tid;
		pthread_mutex_unlock(&st->lock);
		if (stop)
			break;
		memset(&rec, 0, sizeof(rec));
		rc = ts_query(&q->s, TASKSTATS_CMD_ATTR_TGID, tid, &rec);

		pthread_mutex_lock(&st->lock);
		/* Alive from before the request to after the reply? */
		live = st->tgid == tgid && !st->exiting;
		st->answers++;
		if (!rc && rec.st.ac_tgid == tgid) {
			st->found++;
		} else if (rc == -ESRCH && !live) {
			st->gone++;
		} else if (!rc && rec.st.ac_tgid &&
			   (st->tgid != tgid || st->reaped)) {
			/* Reaped while we asked: the tid may be reused. */
			st->stale++;
		} else if (!st->bad++) {
			st->bad_rc = rc;
			st->bad_pid = rec.st.ac_tgid;
			st->bad_tgid = tgid;
			st->bad_tid = tid;
			st->bad_live = live;
		}
		pthread_mutex_unlock(&st->lock);
	}
	return NULL;
}

/* The stress child's mode and pipes. */
static struct {
	enum stress_mode mode;
	int tids;	/* to the parent: each worker's tid */
	int go;		/* EOF from the parent: exit */
	int park;	/* never written: threads block here */
} sc;

static void *stress_worker(void *arg)
{
	long i = (long)arg;
	pid_t tid = sys_gettid();

	if (write(sc.tids, &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	if (sc.mode == STRESS_THREADS_EXIT) {
		park(sc.go);
		/* Not pthread_exit(): the last thread would call exit(). */
		syscall(SYS_exit, 0);
	}
	if (i) {
		park(sc.park);
		_exit(1);
	}
	park(sc.go);
	syscall(SYS_exit_group, 0);
	return NULL;
}

static void stress_child(void)
{
	pthread_t t;
	int pp[2];
	long i;

	if (pipe(pp))
		_exit(1);
	sc.park = pp[0];
	for (i = 0; i < STRESS_WORKERS; i++)
		if (pthread_create(&t, NULL, stress_worker, (void *)i))
			_exit(1);
	if (sc.mode == STRESS_LIVE_LEADER_GROUP_EXIT)
		park(sc.park);
	/* Other threads live: this is a thread exit, not exit(). */
	pthread_exit(NULL);
}

/*
 * Fork a stress child in @mode.  Returns its pid (also in *@child) once
 * its workers run, their tids in @tids and in @go the pipe end whose closing
 * makes it exit with status 0; or -errno.
 */
static pid_t spawn_stress_child(pid_t *child, enum stress_mode mode,
				pid_t *tids, int *go)
{
	int tp[2], gp[2], rc;
	pid_t pid;

	if (pipe(tp))
		return -errno;
	if (pipe(gp)) {
		rc = -errno;
		close(tp[0]);
		close(tp[1]);
		return rc;
	}
	pid = fork();
	if (pid == 0) {
		child_init();
		close(tp[0]);
		close(gp[1]);
		sc.mode = mode;
		sc.tids = tp[1];
		sc.go = gp[0];
		stress_child();
		_exit(1);
	}
	rc = pid < 0 ? -errno : 0;
	if (pid > 0)
		*child = pid;
	close(tp[1]);
	close(gp[0]);
	if (!rc)
		rc = read_all(tp[0], tids, STRESS_WORKERS * sizeof(*tids),
			      TS_TIMEOUT_MS);
	close(tp[0]);
	if (rc) {
		close(gp[1]);
		return rc;
	}
	*go = gp[1];
	return pid;
}

/* Wait (at most 100 ms) until st->answers reaches @n. */
static void wait_answers(struct stress *st, long n)
{
	uint64_t end = now_us() + 100000;
	long answers;

	do {
		pthread_mutex_lock(&st->lock);
		answers = st->answers;
		pthread_mutex_unlock(&st->lock);
		if (answers >= n)
			return;
		usleep(100);
	} while (now_us() < end);
}

TEST_F_TIMEOUT(tgid, query_by_tid_races_group_exit, 60)
{
	struct stress st = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	struct querier q[STRESS_QUERIERS];
	uint64_t start = now_us();
	int i, started, status, bad_status = 0, first_status = 0;
	pid_t tids[STRESS_WORKERS], pid = 0;
	long iters, seen;
	int go = -1;

	if (self->version < TS_TGID_VERSION)
		SKIP(return, OLD_TGID_REPLIES, TS_TGID_VERSION, self->version);
	for (i = 0; i < STRESS_QUERIERS; i++) {
		q[i].st = &st;
		ASSERT_EQ(0, ts_open(&q[i].s, 0));
	}
	for (started = 0; started < STRESS_QUERIERS; started++)
		if (pthread_create(&q[started].thread, NULL, querier_fn,
				   &q[started]))
			break;

	for (iters = 0; started == STRESS_QUERIERS && iters < STRESS_ITERS &&
	     now_us() - start < STRESS_USEC; iters++) {
		pid = spawn_stress_child(&self->child, iters % STRESS_MODES,
					 tids, &go);
		if (pid < 0)
			break;
		pthread_mutex_lock(&st.lock);
		st.tgid = pid;
		st.tid = tids[iters % STRESS_WORKERS];
		st.exiting = false;
		st.reaped = false;
		seen = st.answers;
		pthread_cond_broadcast(&st.cond);
		pthread_mutex_unlock(&st.lock);
		/* Some answers about the live process first. */
		wait_answers(&st, seen + STRESS_QUERIERS);

		pthread_mutex_lock(&st.lock);
		st.exiting = true;
		pthread_mutex_unlock(&st.lock);
		close(go);
		status = reap_now(pid);
		self->child = 0;
		pthread_mutex_lock(&st.lock);
		st.reaped = true;
		seen = st.answers;
		pthread_mutex_unlock(&st.lock);
		if (status && !bad_status++)
			first_status = status;
		/* Some answers about the reaped process; then idle. */
		wait_answers(&st, seen + STRESS_QUERIERS);
		pthread_mutex_lock(&st.lock);
		st.tid = 0;
		pthread_mutex_unlock(&st.lock);
	}
	pthread_mutex_lock(&st.lock);
	st.stop = true;
	pthread_cond_broadcast(&st.cond);
	pthread_mutex_unlock(&st.lock);
	for (i = 0; i < started; i++)
		pthread_join(q[i].thread, NULL);
	for (i = 0; i < STRESS_QUERIERS; i++)
		ts_close(&q[i].s);

	TH_LOG("%ld processes in %llu ms: %ld answers, %ld found, %ld gone, %ld stale",
	       iters, (unsigned long long)(now_us() - start) / 1000,
	       st.answers, st.found, st.gone, st.stale);
	if (st.bad)
		TH_LOG("first bad answer: rc %d, ac_tgid %u for tid %u of %s tgid %u",
		       st.bad_rc, st.bad_pid, st.bad_tid,
		       st.bad_live ? "live" : "exiting", st.bad_tgid);
	if (bad_status)
		TH_LOG("%d children exited with status 0x%x, the first",
		       bad_status, first_status);
	ASSERT_EQ(STRESS_QUERIERS, started);
	ASSERT_LE(0, pid);
	EXPECT_EQ(0, st.bad);
	EXPECT_EQ(0, bad_status);
	EXPECT_LT(0, st.found);
	EXPECT_LT(0, st.gone);
}

int main(int argc, char **argv)
{
	/* The image a non-leader thread exec()s: see spawn_exec_child(). */
	if (argc == 3 && !strcmp(argv[1], EXEC_CHILD_ARG))
		return exec_child_main(argv[2]);
	return test_harness_run(argc, argv);
}
