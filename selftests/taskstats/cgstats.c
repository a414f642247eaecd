// SPDX-License-Identifier: GPL-2.0
/*
 * CGROUPSTATS_CMD_GET: exact task counts per state for a cgroup v1 (named
 * hierarchy) and a cgroup v2 directory, and the error of each bad
 * descriptor.
 *
 * Every spawned task is a child of the test and is killed in teardown,
 * along with anything else left in the test cgroup.
 */
#define _GNU_SOURCE
#include <errno.h>
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
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ts_netlink.h"

/* null_blk devices made through configfs, with a completion delay. */
#define NULLB_CONFIGFS	"/sys/kernel/config/nullb"
#define MAX_TASKS	64

/*
 * The null_blk device of io_wait_is_part_of_uninterruptible: its configfs
 * directory ("" if none) and its block device.
 */
static struct {
	char dir[128];
	char dev[160];
} nullb;

/* What a spawned task does once it is in the cgroup. */
enum behaviour {
	BUSY,		/* R */
	NANOSLEEP,	/* S */
	PIPE_READ,	/* S */
	VFORK_PARENT,	/* D (killable), and its child: S */
	STOPPED,	/* T */
	TRACED,		/* t */
	IOWAIT,		/* D in iowait */
	THREADS,	/* S: main thread and two threads reading a pipe */
	ZOMBIE_LEADER,	/* two threads reading a pipe, the leader exited */
};

struct cg {
	char root[256];		/* mount point of the hierarchy */
	char dir[300];		/* the test cgroup */
	int mounted;		/* we mounted root */
	int v2;
};

static int write_pid(const char *dir, const char *file, pid_t pid)
{
	char path[PATH_MAX], buf[32];

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	snprintf(buf, sizeof(buf), "%d\n", pid);
	return ts_write_file(path, buf);
}

/* The tasks (threads) listed in the cgroup; returns their number. */
static int list_tasks(const struct cg *c, const char *dir, pid_t *tids, int max)
{
	char path[PATH_MAX];
	FILE *f;
	int n = 0, tid;

	if (snprintf(path, sizeof(path), "%s/%s", dir,
		     c->v2 ? "cgroup.threads" : "tasks") >= (int)sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (n < max && fscanf(f, "%d", &tid) == 1)
		tids[n++] = tid;
	fclose(f);
	return n;
}

static char task_state(pid_t tid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' ? p[2] : '?';
}

static int cmp_char(const void *a, const void *b)
{
	return *(const char *)a - *(const char *)b;
}

/*
 * Wait (at most 10 s) until the tasks in @dir are in exactly the states of
 * @want, e.g. "RSSDT".  Returns 0, or -ETIMEDOUT with what was seen.
 */
static int wait_states(const struct cg *c, const char *dir, const char *want,
		       char *seen, size_t seen_len)
{
	char sorted[MAX_TASKS + 1];
	pid_t tids[MAX_TASKS];
	int i, n, tries;

	snprintf(sorted, sizeof(sorted), "%s", want);
	qsort(sorted, strlen(sorted), 1, cmp_char);
	for (tries = 0; tries < 1000; tries++) {
		n = list_tasks(c, dir, tids, MAX_TASKS);
		for (i = 0; i < n && i < (int)seen_len - 1; i++)
			seen[i] = task_state(tids[i]);
		seen[n > 0 ? i : 0] = '\0';
		qsort(seen, strlen(seen), 1, cmp_char);
		if (!strcmp(seen, sorted))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static void *read_forever(void *arg)
{
	char ch;

	/* Sleeps in pipe_read(); ends when the test kills the process. */
	if (read(*(int *)arg, &ch, 1) < 0)
		return NULL;
	return NULL;
}

/* Runs in the child, already in the cgroup. */
static void behave(enum behaviour b, int ready, int block)
{
	struct timespec ts = { .tv_sec = 1000 };
	char ch = 'r', *buf;
	pthread_t t;
	int fd;

	switch (b) {
	case BUSY:
		if (write(ready, &ch, 1) != 1)
			break;
		for (;;)
			;
	case NANOSLEEP:
		if (write(ready, &ch, 1) == 1)
			nanosleep(&ts, NULL);
		break;
	case PIPE_READ:
		if (write(ready, &ch, 1) == 1)
			read_forever(&block);
		break;
	case VFORK_PARENT:
		if (write(ready, &ch, 1) != 1)
			break;
		/* The parent waits, killable, until the child exits. */
		if (vfork() == 0) {
			syscall(SYS_nanosleep, &ts, NULL);
			_exit(0);
		}
		break;
	case STOPPED:
		if (write(ready, &ch, 1) == 1)
			raise(SIGSTOP);
		break;
	case TRACED:
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			break;
		if (write(ready, &ch, 1) == 1)
			raise(SIGSTOP);	/* a signal-delivery stop: 't' */
		break;
	case IOWAIT:
		fd = open(nullb.dev, O_RDONLY | O_DIRECT);
		if (fd < 0 || posix_memalign((void **)&buf, 4096, 4096))
			break;
		if (write(ready, &ch, 1) == 1 && pread(fd, buf, 4096, 0) < 0)
			break;
		break;
	case THREADS:
		if (pthread_create(&t, NULL, read_forever, &block) ||
		    pthread_create(&t, NULL, read_forever, &block))
			break;
		if (write(ready, &ch, 1) == 1)
			read_forever(&block);
		break;
	case ZOMBIE_LEADER:
		if (pthread_create(&t, NULL, read_forever, &block) ||
		    pthread_create(&t, NULL, read_forever, &block))
			break;
		if (write(ready, &ch, 1) == 1)
			pthread_exit(NULL);
		break;
	}
	_exit(0);
}

/* Fork a child that joins @dir and behaves; returns its pid. */
static int nullb_attr(const char *name, const char *fmt, unsigned long long v)
{
	char path[192], text[32];

	snprintf(path, sizeof(path), "%s/%s", nullb.dir, name);
	snprintf(text, sizeof(text), fmt, v);
	return ts_write_file(path, text);
}

/* Power off and remove the device, once nothing waits for it. */
static void nullb_remove(void)
{
	if (!nullb.dir[0])
		return;
	nullb_attr("power", "%llu", 0);
	rmdir(nullb.dir);
	nullb.dir[0] = '\0';
}

/*
 * Create a null_blk device that completes every request @delay_ns after
 * it was submitted (timer completion).  Returns 0, or -ENODEV where
 * null_blk cannot be configured so (no configfs, no null_blk, or a
 * null_blk that refuses these settings), or -errno.
 */
static int nullb_create(unsigned long long delay_ns)
{
	char path[192], index[16] = "";
	int fd, i, rc;
	ssize_t n;

	if (access(NULLB_CONFIGFS, F_OK))
		mount("configfs", "/sys/kernel/config", "configfs", 0, NULL);
	if (access(NULLB_CONFIGFS, F_OK))
		return -ENODEV;
	snprintf(nullb.dir, sizeof(nullb.dir), "%s/ts-iowait-%d",
		 NULLB_CONFIGFS, getpid());
	if (mkdir(nullb.dir, 0755)) {
		rc = -errno;
		nullb.dir[0] = '\0';
		return rc;
	}
	if (nullb_attr("size", "%llu", 16) ||			/* MiB */
	    nullb_attr("irqmode", "%llu", 2) ||			/* timer */
	    nullb_attr("completion_nsec", "%llu", delay_ns) ||
	    nullb_attr("power", "%llu", 1)) {
		nullb_remove();
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "%s/index", nullb.dir);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, index, sizeof(index) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		nullb_remove();
		return -ENODEV;
	}
	/*
	 * devtmpfs adds the node when the disk is added: named after the
	 * configfs directory, or nullb<index> by older null_blk.
	 */
	for (i = 0; i < 500; i++) {
		snprintf(nullb.dev, sizeof(nullb.dev), "/dev/%s",
			 strrchr(nullb.dir, '/') + 1);
		if (!access(nullb.dev, R_OK))
			return 0;
		snprintf(nullb.dev, sizeof(nullb.dev), "/dev/nullb%d", atoi(index));
		if (!access(nullb.dev, R_OK))
			return 0;
		usleep(10000);
	}
	nullb_remove();
	return -ENODEV;
}

static pid_t spawn(const char *dir, enum behaviour b)
{
	int ready[2], block[2];
	struct pollfd pfd;
	pid_t pid;
	char ch;

	if (pipe(ready) || pipe(block))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(block[1]);
		if (write_pid(dir, "cgroup.procs", getpid()))
			_exit(1);
		behave(b, ready[1], block[0]);
	}
	close(ready[1]);
	close(block[0]);
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	if (pid > 0 && (poll(&pfd, 1, TS_TIMEOUT_MS) != 1 || read(ready[0], &ch, 1) != 1)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	/* block[1] stays open (and leaks) so that readers keep sleeping. */
	return pid;
}

static int find_cgroup2(char *root, size_t len)
{
	char dev[256], mnt[256], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fscanf(f, "%255s %255s %63s %*[^\n]", dev, mnt, type) == 3)
		if (!strcmp(type, "cgroup2")) {
			snprintf(root, len, "%s", mnt);
			found = 1;
			break;
		}
	fclose(f);
	return found;
}

/*
 * Mount a hierarchy (cgroup2, or v1 with @v1_opts) where none is mounted
 * already, and make the test cgroup in it.
 */
static int cg_setup(struct cg *c, int v2, const char *v1_opts)
{
	memset(c, 0, sizeof(*c));
	c->v2 = v2;
	if (!v2 || !find_cgroup2(c->root, sizeof(c->root))) {
		snprintf(c->root, sizeof(c->root), "/tmp/ts-cg%d-%d", v2 ? 2 : 1, getpid());
		if (mkdir(c->root, 0755))
			return -errno;
		if (v2 ? mount("none", c->root, "cgroup2", 0, NULL) :
			 mount("cgroup", c->root, "cgroup", 0, v1_opts)) {
			int err = -errno;

			rmdir(c->root);
			return err;
		}
		c->mounted = 1;
	}
	snprintf(c->dir, sizeof(c->dir), "%s/ts-%d", c->root, getpid());
	if (mkdir(c->dir, 0755)) {
		int err = -errno;

		/* The teardown does not run after a failed setup. */
		c->dir[0] = '\0';
		if (c->mounted) {
			umount(c->root);
			rmdir(c->root);
			c->mounted = 0;
		}
		return err;
	}
	return 0;
}

/* Kill everything in @dir (and its children), then remove them. */
static void cg_empty_and_remove(const struct cg *c, const char *dir)
{
	pid_t tids[MAX_TASKS];
	int i, n, tries;

	for (tries = 0; tries < 1000; tries++) {
		n = list_tasks(c, dir, tids, MAX_TASKS);
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			kill(tids[i], SIGKILL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(10000);
	}
	rmdir(dir);
}

static void cg_teardown(struct cg *c)
{
	char sub[PATH_MAX];

	static const char * const subs[] = { "thr", "del", "gone", "a/b", "a" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(subs); i++) {
		snprintf(sub, sizeof(sub), "%s/%s", c->dir, subs[i]);
		cg_empty_and_remove(c, sub);
	}
	cg_empty_and_remove(c, c->dir);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (c->mounted) {
		umount(c->root);
		rmdir(c->root);
	}
}

static int query(struct ts_sock *s, const char *dir, struct cgroupstats *cs)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int rc;

	if (fd < 0)
		return -errno;
	memset(cs, 0xff, sizeof(*cs));
	rc = ts_cgroupstats(s, fd, cs);
	close(fd);
	return rc;
}

FIXTURE(cgstats) {
	struct ts_sock s;
	struct cg c;
};

FIXTURE_VARIANT(cgstats) {
	int v2;
};

FIXTURE_VARIANT_ADD(cgstats, v1) {
	.v2 = 0,
};

FIXTURE_VARIANT_ADD(cgstats, v2) {
	.v2 = 1,
};

FIXTURE_SETUP(cgstats)
{
	struct cgroupstats cs;
	int rc;

	self->c.dir[0] = '\0';
	if (geteuid() != 0)
		SKIP(return, "needs root to create cgroups");
	rc = ts_open(&self->s, 0);
	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
	rc = cg_setup(&self->c, variant->v2, "none,name=taskstats_test");
	/* -ENODEV: no such filesystem; -ENOENT: cgroup_no_v1=named. */
	if (rc == -ENODEV || rc == -EPERM || rc == -ENOENT)
		SKIP(return, "cannot mount a cgroup%s hierarchy: %s",
		     variant->v2 ? "2" : " v1", strerror(-rc));
	ASSERT_EQ(0, rc) TH_LOG("cgroup setup: %s", strerror(-rc));
	/*
	 * Accepting cgroup v2 directories is a feature: a kernel without it
	 * refuses them as it refuses any other directory.  The teardown
	 * does not run after a skip in the setup: clean up first.
	 */
	if (variant->v2 && query(&self->s, self->c.dir, &cs) == -EINVAL) {
		cg_teardown(&self->c);
		self->c.dir[0] = '\0';
		SKIP(return, "this kernel refuses cgroup v2 directories (-EINVAL)");
	}
}

FIXTURE_TEARDOWN(cgstats)
{
	if (self->c.dir[0])
		cg_teardown(&self->c);
	/* After the teardown has waited for the reads on it. */
	nullb_remove();
	ts_close(&self->s);
}

/* Does @cs hold exactly these counts?  Says what it holds if not. */
static bool counts_are(const struct cgroupstats *cs, uint64_t running,
		       uint64_t sleeping, uint64_t unint, uint64_t io_wait,
		       uint64_t stopped)
{
	if (cs->nr_running == running && cs->nr_sleeping == sleeping &&
	    cs->nr_uninterruptible == unint && cs->nr_io_wait == io_wait &&
	    cs->nr_stopped == stopped)
		return true;
	ksft_print_msg("running %llu sleeping %llu uninterruptible %llu io_wait %llu\n",
		       (unsigned long long)cs->nr_running,
		       (unsigned long long)cs->nr_sleeping,
		       (unsigned long long)cs->nr_uninterruptible,
		       (unsigned long long)cs->nr_io_wait);
	ksft_print_msg("stopped %llu\n", (unsigned long long)cs->nr_stopped);
	return false;
}

TEST_F(cgstats, empty)
{
	struct cgroupstats cs;

	ASSERT_EQ(0, query(&self->s, self->c.dir, &cs));
	EXPECT_TRUE(counts_are(&cs, 0, 0, 0, 0, 0));
}

/* R, S (nanosleep, pipe), D (vfork parent) and its S child, T, t. */
TEST_F(cgstats, each_state)
{
	static const enum behaviour kinds[] = {
		BUSY, NANOSLEEP, PIPE_READ, VFORK_PARENT, STOPPED, TRACED,
	};
	pid_t tids[MAX_TASKS];
	struct cgroupstats cs;
	char seen[MAX_TASKS + 1];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		ASSERT_LT(0, spawn(self->c.dir, kinds[i]));
	ASSERT_EQ(0, wait_states(&self->c, self->c.dir, "RSSDSTt", seen, sizeof(seen)))
		TH_LOG("task states in the cgroup: \"%s\"", seen);
	ASSERT_EQ(0, query(&self->s, self->c.dir, &cs));
	EXPECT_TRUE(counts_are(&cs, 1, 3, 1, 0, 2));
	/* nr_io_wait counts tasks of the other fields, not added to them. */
	EXPECT_EQ(list_tasks(&self->c, self->c.dir, tids, MAX_TASKS),
		  cs.nr_running + cs.nr_sleeping + cs.nr_uninterruptible +
		  cs.nr_stopped);
}

/*
 * A process whose leader exited while its two threads sleep: the zombie
 * leader is listed in neither tasks nor cgroup.threads, and counted in no
 * field; the four state fields still add up to the listed tasks.
 */
TEST_F(cgstats, zombie_leader_is_not_counted)
{
	char seen[MAX_TASKS + 1];
	pid_t tids[MAX_TASKS];
	struct cgroupstats cs;
	pid_t pid;

	pid = spawn(self->c.dir, ZOMBIE_LEADER);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_states(&self->c, self->c.dir, "SS", seen, sizeof(seen)))
		TH_LOG("task states in the cgroup: \"%s\"", seen);
	ASSERT_EQ('Z', task_state(pid));
	ASSERT_EQ(0, query(&self->s, self->c.dir, &cs));
	EXPECT_TRUE(counts_are(&cs, 0, 2, 0, 0, 0));
	EXPECT_EQ(2, list_tasks(&self->c, self->c.dir, tids, MAX_TASKS));
}

/*
 * A task blocked in an O_DIRECT read that null_blk completes late is in D
 * and in iowait: counted in nr_uninterruptible (as on v7.3, and as the
 * load average counts it) and in nr_io_wait, which is a part of it.  The
 * device is made for the test through null_blk's configfs, with a
 * completion delay of 1 s; a query that raced with the completion (the
 * task is no longer in D after it) is tried again with twice the delay,
 * up to 8 s (adding the disk reads with the delay too: a longer timeout).
 * Skipped where null_blk cannot delay completions.
 */
TEST_F_TIMEOUT(cgstats, io_wait_is_part_of_uninterruptible, 120)
{
	unsigned long long delay_ms;
	char seen[MAX_TASKS + 1];
	struct cgroupstats cs;
	bool blocked = false;
	int rc;
	pid_t pid;

	for (delay_ms = 1000; !blocked && delay_ms <= 8000; delay_ms *= 2) {
		rc = nullb_create(delay_ms * 1000000);
		if (rc == -ENODEV)
			SKIP(return, "%s (%s)", "null_blk cannot delay completions",
			     "needs CONFIG_BLK_DEV_NULL_BLK and CONFIG_CONFIGFS_FS");
		ASSERT_EQ(0, rc) TH_LOG("null_blk configfs: %s", strerror(-rc));
		pid = spawn(self->c.dir, IOWAIT);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, wait_states(&self->c, self->c.dir, "D", seen, sizeof(seen)))
			TH_LOG("task states in the cgroup: \"%s\"", seen);
		ASSERT_EQ(0, query(&self->s, self->c.dir, &cs));
		blocked = task_state(pid) == 'D';
		waitpid(pid, NULL, 0);
		nullb_remove();
		if (!blocked)
			TH_LOG("the read completed within %llu ms: again", delay_ms);
	}
	ASSERT_TRUE(blocked) TH_LOG("the read completed before every query");
	EXPECT_TRUE(counts_are(&cs, 0, 0, 1, 1, 0));
}

/*
 * Threads of one process split over two cgroups: v1 moves a thread with
 * "tasks", v2 with a threaded child cgroup's "cgroup.threads".  The
 * parent counts its own thread on v1, all three (its subtree) on v2.
 */
TEST_F(cgstats, threads)
{
	const char *threads_file = self->c.v2 ? "cgroup.threads" : "tasks";
	char sub[PATH_MAX], path[PATH_MAX + 16], seen[MAX_TASKS + 1];
	pid_t tids[MAX_TASKS];
	struct cgroupstats cs;
	pid_t pid;
	int n;

	pid = spawn(self->c.dir, THREADS);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_states(&self->c, self->c.dir, "SSS", seen, sizeof(seen)))
		TH_LOG("task states in the cgroup: \"%s\"", seen);
	n = list_tasks(&self->c, self->c.dir, tids, MAX_TASKS);
	ASSERT_EQ(3, n);

	snprintf(sub, sizeof(sub), "%s/thr", self->c.dir);
	ASSERT_EQ(0, mkdir(sub, 0755));
	if (self->c.v2) {
		snprintf(path, sizeof(path), "%s/cgroup.type", sub);
		ASSERT_EQ(0, ts_write_file(path, "threaded"));
	}
	/* Move the two threads that are not the main one. */
	for (int i = 0; i < n; i++)
		if (tids[i] != pid)
			ASSERT_EQ(0, write_pid(sub, threads_file, tids[i]));

	ASSERT_EQ(0, query(&self->s, sub, &cs));
	EXPECT_TRUE(counts_are(&cs, 0, 2, 0, 0, 0));
	/* v2 counts the subtree: the threaded child's two threads too. */
	ASSERT_EQ(0, query(&self->s, self->c.dir, &cs));
	EXPECT_TRUE(counts_are(&cs, 0, self->c.v2 ? 3 : 1, 0, 0, 0));
}

/*
 * Tasks in a cgroup and in two levels below it, in states v7.3 counts.
 * A v2 directory counts its subtree, as cgroup v2's other statistics do;
 * a v1 directory counts the cgroup's own tasks, as on v7.3.
 */
TEST_F(cgstats, nested_cgroups)
{
	char a[PATH_MAX], b[PATH_MAX + 8], seen[MAX_TASKS + 1];
	struct cgroupstats cs;
	bool v2 = self->c.v2;

	snprintf(a, sizeof(a), "%s/a", self->c.dir);
	snprintf(b, sizeof(b), "%s/b", a);
	ASSERT_EQ(0, mkdir(a, 0755));
	ASSERT_EQ(0, mkdir(b, 0755));
	ASSERT_LT(0, spawn(self->c.dir, PIPE_READ));
	ASSERT_LT(0, spawn(a, BUSY));
	ASSERT_LT(0, spawn(b, PIPE_READ));
	ASSERT_EQ(0, wait_states(&self->c, self->c.dir, "S", seen, sizeof(seen)))
		TH_LOG("task states in the cgroup: \"%s\"", seen);
	ASSERT_EQ(0, wait_states(&self->c, a, "R", seen, sizeof(seen)))
		TH_LOG("task states in a: \"%s\"", seen);
	ASSERT_EQ(0, wait_states(&self->c, b, "S", seen, sizeof(seen)))
		TH_LOG("task states in a/b: \"%s\"", seen);

	ASSERT_EQ(0, query(&self->s, self->c.dir, &cs));
	EXPECT_TRUE(counts_are(&cs, v2, 1 + v2, 0, 0, 0));
	ASSERT_EQ(0, query(&self->s, a, &cs));
	EXPECT_TRUE(counts_are(&cs, 1, v2, 0, 0, 0));
	ASSERT_EQ(0, query(&self->s, b, &cs));
	EXPECT_TRUE(counts_are(&cs, 0, 1, 0, 0, 0));
}

/*
 * A removed cgroup whose directory is still open has no tasks.  v1, as on
 * v7.3: zeros until the cgroup is released, -ENOENT after that (a release
 * may come first).  v2: -ENOENT, its cgroup.procs being gone.
 */
TEST_F(cgstats, removed_cgroup_has_no_tasks)
{
	struct cgroupstats cs;
	char sub[PATH_MAX];
	int fd, rc;

	snprintf(sub, sizeof(sub), "%s/gone", self->c.dir);
	ASSERT_EQ(0, mkdir(sub, 0755));
	fd = open(sub, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rmdir(sub));
	memset(&cs, 0xff, sizeof(cs));
	rc = ts_cgroupstats(&self->s, fd, &cs);
	close(fd);
	if (self->c.v2) {
		EXPECT_EQ(-ENOENT, rc);
		return;
	}
	if (rc == -ENOENT)
		return;
	ASSERT_EQ(0, rc);
	EXPECT_TRUE(counts_are(&cs, 0, 0, 0, 0, 0));
}

TEST_F(cgstats, control_file)
{
	char path[PATH_MAX];
	struct cgroupstats cs;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", self->c.dir);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	/* v7.3's error for anything that is not a cgroup directory */
	EXPECT_EQ(-EINVAL, ts_cgroupstats(&self->s, fd, &cs));
	close(fd);
}

/* What a query made without privilege got. */
struct unpriv_result {
	int rc;
	struct cgroupstats cs;
	char msg[128];		/* the extended ack's message, if any */
};

/*
 * Query as uid and gid 65534 without capabilities, through @fd if it is
 * not negative (opened with privilege: what is checked is the query
 * alone), else through @path opened by the unprivileged child.
 */
static int query_unprivileged(int fd, const char *path,
			      struct unpriv_result *res)
{
	int p[2], status = -1;
	pid_t pid;

	memset(res, 0xff, sizeof(*res));
	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		struct unpriv_result r = { .rc = -EBADF };
		struct ts_sock s;

		close(p[0]);
		if (ts_drop_privileges() || ts_open(&s, 0))
			_exit(1);
		if (fd < 0)
			fd = open(path, O_RDONLY);
		r.rc = fd < 0 ? -errno : ts_cgroupstats(&s, fd, &r.cs);
		snprintf(r.msg, sizeof(r.msg), "%s", s.ext_msg);
		_exit(write(p[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(p[1]);
	if (read(p[0], res, sizeof(*res)) != sizeof(*res))
		res->rc = INT_MIN;
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

/*
 * Put a task that sleeps in S (a pipe read) in @dir, and wait until it
 * does: spawn() returns once the task is in the cgroup, which may be
 * before it sleeps.
 */
static void spawn_sleeper(struct __test_metadata *_metadata,
			  const struct cg *c, const char *dir)
{
	char seen[MAX_TASKS + 1];

	ASSERT_LT(0, spawn(dir, PIPE_READ));
	ASSERT_EQ(0, wait_states(c, dir, "S", seen, sizeof(seen)))
		TH_LOG("task states in %s: \"%s\"", dir, seen);
}

/*
 * Without privilege, through a descriptor opened with privilege: a v1
 * directory is answered as on v7.3; on v2 the sender, which may not write
 * the cgroup's cgroup.procs, is refused with -EACCES and an extended ack.
 */
TEST_F(cgstats, unprivileged_query)
{
	struct unpriv_result res;
	int fd;

	spawn_sleeper(_metadata, &self->c, self->c.dir);
	fd = open(self->c.dir, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, query_unprivileged(fd, NULL, &res));
	close(fd);
	if (self->c.v2) {
		EXPECT_EQ(-EACCES, res.rc);
		EXPECT_TRUE(!!strstr(res.msg, "write access"))
			TH_LOG("extended ack \"%s\"", res.msg);
		return;
	}
	ASSERT_EQ(0, res.rc);
	EXPECT_TRUE(counts_are(&res.cs, 0, 1, 0, 0, 0));
}

/*
 * A control file is refused with v7.3's -EINVAL whoever asks: the type
 * of the descriptor is checked before anything else.
 */
TEST_F(cgstats, unprivileged_control_file)
{
	char path[PATH_MAX];
	struct unpriv_result res;

	snprintf(path, sizeof(path), "%s/cgroup.procs", self->c.dir);
	ASSERT_EQ(0, query_unprivileged(-1, path, &res));
	EXPECT_EQ(-EINVAL, res.rc);
}

/*
 * Make the child cgroup "del", chown @owned (paths relative to it, "" for
 * the directory; missing files skipped) to uid and gid 65534, put a task
 * that sleeps in S in it, and query it as that user, who opens the
 * directory itself.
 */
static void query_delegated(struct __test_metadata *_metadata,
			    const struct cg *c, const char *const *owned,
			    unsigned int n_owned, struct unpriv_result *res)
{
	char del[PATH_MAX], path[PATH_MAX + 32];
	unsigned int i;

	snprintf(del, sizeof(del), "%s/del", c->dir);
	ASSERT_EQ(0, mkdir(del, 0755));
	for (i = 0; i < n_owned; i++) {
		snprintf(path, sizeof(path), "%s%s", del, owned[i]);
		if (chown(path, 65534, 65534) && errno != ENOENT)
			ASSERT_EQ(0, -errno) TH_LOG("chown %s", path);
	}
	spawn_sleeper(_metadata, c, del);
	ASSERT_EQ(0, query_unprivileged(-1, del, res));
}

/*
 * A cgroup delegated to an unprivileged user (its directory and its
 * procs and threads files chowned to it, as cgroup-v2.rst's "Delegation"
 * says and systemd and container runtimes do; modes as mkdir makes them):
 * the owner opens the directory itself and gets its counts, on v1 as
 * anyone does, on v2 as the user it is delegated to.
 */
TEST_F(cgstats, delegated_cgroup_owner)
{
	static const char * const owned[] = {
		"", "/cgroup.procs", "/cgroup.threads", "/tasks",
	};
	struct unpriv_result res;

	query_delegated(_metadata, &self->c, owned, ARRAY_SIZE(owned), &res);
	ASSERT_EQ(0, res.rc);
	EXPECT_TRUE(counts_are(&res.cs, 0, 1, 0, 0, 0));
}

/*
 * What v2 asks is cgroup core's test of who manages a cgroup, write
 * access to its cgroup.procs: owning that file alone is enough.
 */
TEST_F(cgstats, owned_procs_file_is_enough)
{
	static const char * const owned[] = { "/cgroup.procs", "/tasks" };
	struct unpriv_result res;

	query_delegated(_metadata, &self->c, owned, ARRAY_SIZE(owned), &res);
	ASSERT_EQ(0, res.rc);
	EXPECT_TRUE(counts_are(&res.cs, 0, 1, 0, 0, 0));
}

/* ... and owning the directory alone is not (v2: -EACCES; v1: answered). */
TEST_F(cgstats, owned_directory_is_not_enough)
{
	static const char * const owned[] = { "" };
	struct unpriv_result res;

	query_delegated(_metadata, &self->c, owned, ARRAY_SIZE(owned), &res);
	if (self->c.v2) {
		EXPECT_EQ(-EACCES, res.rc);
		return;
	}
	ASSERT_EQ(0, res.rc);
	EXPECT_TRUE(counts_are(&res.cs, 0, 1, 0, 0, 0));
}

/*
 * A descriptor opened without the right to manage the cgroup (fsuid
 * 65534, which drops the file-system capabilities) and sent by root: on
 * v2 the opener's credentials are checked too, as cgroup core checks a
 * write to cgroup.procs (-EACCES); v1 answers, as on v7.3.
 */
TEST_F(cgstats, unprivileged_opener_privileged_sender)
{
	struct cgroupstats cs;
	int fd, rc;

	spawn_sleeper(_metadata, &self->c, self->c.dir);
	setfsuid(65534);
	fd = open(self->c.dir, O_RDONLY | O_DIRECTORY);
	setfsuid(0);
	/* setfsuid() reports no error: check that the sender is root again. */
	ASSERT_EQ(0, (int)setfsuid(-1));
	ASSERT_LE(0, fd);
	rc = ts_cgroupstats(&self->s, fd, &cs);
	close(fd);
	if (self->c.v2) {
		EXPECT_EQ(-EACCES, rc);
		return;
	}
	ASSERT_EQ(0, rc);
	EXPECT_TRUE(counts_are(&cs, 0, 1, 0, 0, 0));
}

/*
 * A netlink socket opened without the right to manage the cgroup (fsuid
 * 65534), used by root with a descriptor root opened: on v2 the socket's
 * opener is checked too, as netlink_capable() checks it (-EACCES); v1
 * answers, as on v7.3.
 */
TEST_F(cgstats, unprivileged_socket_privileged_sender)
{
	struct cgroupstats cs;
	struct ts_sock s;
	int fd, rc;

	spawn_sleeper(_metadata, &self->c, self->c.dir);
	setfsuid(65534);
	rc = ts_open(&s, 0);
	setfsuid(0);
	/* setfsuid() reports no error: check that the sender is root again. */
	ASSERT_EQ(0, (int)setfsuid(-1));
	ASSERT_EQ(0, rc);
	fd = open(self->c.dir, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	rc = ts_cgroupstats(&s, fd, &cs);
	close(fd);
	ts_close(&s);
	if (self->c.v2) {
		EXPECT_EQ(-EACCES, rc);
		return;
	}
	ASSERT_EQ(0, rc);
	EXPECT_TRUE(counts_are(&cs, 0, 1, 0, 0, 0));
}

/* An O_PATH descriptor is not an open file to fdget(): as on v7.3. */
TEST_F(cgstats, o_path_descriptor)
{
	struct cgroupstats cs;
	int fd = open(self->c.dir, O_PATH | O_DIRECTORY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, ts_cgroupstats(&self->s, fd, &cs));
	close(fd);
}

/*
 * A task whose cgroup namespace is rooted at the child cgroup "a": on v2
 * the parent is outside its namespace and does not exist for it
 * (-ENOENT, as for cgroup_get_from_id()), through a descriptor opened
 * before; "a" itself is answered.  v1 keeps v7.3's rule: any descriptor
 * is answered.
 */
TEST_F(cgstats, outside_cgroup_namespace)
{
	char a[PATH_MAX];
	int p[2], fds[2], rcs[2] = { 1, 1 };
	pid_t pid;

	snprintf(a, sizeof(a), "%s/a", self->c.dir);
	ASSERT_EQ(0, mkdir(a, 0755));
	fds[0] = open(self->c.dir, O_RDONLY | O_DIRECTORY);
	fds[1] = open(a, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fds[0]);
	ASSERT_LE(0, fds[1]);
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct cgroupstats cs;
		struct ts_sock s;

		close(p[0]);
		if (write_pid(a, "cgroup.procs", getpid()) ||
		    unshare(CLONE_NEWCGROUP) || ts_open(&s, 0))
			_exit(1);
		rcs[0] = ts_cgroupstats(&s, fds[0], &cs);
		rcs[1] = ts_cgroupstats(&s, fds[1], &cs);
		_exit(write(p[1], rcs, sizeof(rcs)) == sizeof(rcs) ? 0 : 1);
	}
	close(p[1]);
	if (read(p[0], rcs, sizeof(rcs)) != sizeof(rcs)) {
		rcs[0] = INT_MIN;
		rcs[1] = INT_MIN;
	}
	close(p[0]);
	close(fds[0]);
	close(fds[1]);
	ASSERT_EQ(0, WEXITSTATUS(ts_reap(pid))) TH_LOG("child setup failed");
	EXPECT_EQ(self->c.v2 ? -ENOENT : 0, rcs[0]);
	EXPECT_EQ(0, rcs[1]);
}

/* Bad descriptors that need no cgroup. */
FIXTURE(bad_fd) {
	struct ts_sock s;
};

FIXTURE_SETUP(bad_fd)
{
	int rc = ts_open(&self->s, 0);

	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
}

FIXTURE_TEARDOWN(bad_fd)
{
	ts_close(&self->s);
}

TEST_F(bad_fd, closed)
{
	struct cgroupstats cs;
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EBADF, ts_cgroupstats(&self->s, fd, &cs));
}

TEST_F(bad_fd, regular_file)
{
	struct cgroupstats cs;
	int fd = open("/proc/self/status", O_RDONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, ts_cgroupstats(&self->s, fd, &cs));
	close(fd);
}

TEST_F(bad_fd, directory_outside_cgroupfs)
{
	struct cgroupstats cs;
	int fd = open("/proc", O_RDONLY | O_DIRECTORY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, ts_cgroupstats(&self->s, fd, &cs));
	close(fd);
}

TEST_F(bad_fd, no_attribute)
{
	int seq = ts_send(&self->s, CGROUPSTATS_CMD_GET, 0, NULL, 0);

	ASSERT_LT(0, seq);
	EXPECT_EQ(-EINVAL, ts_wait_reply(&self->s, seq, NULL, 0, TS_TIMEOUT_MS));
}

/*
 * A busy task that the cgroup v1 freezer has frozen is in TASK_FROZEN,
 * which /proc shows as D: counted in nr_uninterruptible, as a task in the
 * refrigerator (TASK_UNINTERRUPTIBLE) was before v6.1, and in no other
 * field.  The hierarchy is the v1 freezer controller's (the cgroup v2
 * freezer parks tasks in an interruptible sleep, S).
 */
FIXTURE(freezer) {
	struct ts_sock s;
	struct cg c;
};

static int freezer_set(const char *dir, const char *state)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/freezer.state", dir);
	return ts_write_file(path, state);
}

/* Wait (at most 10 s) until @dir's freezer.state reads @want. */
static int freezer_wait(const char *dir, const char *want)
{
	char path[PATH_MAX], buf[32];
	int i;

	snprintf(path, sizeof(path), "%s/freezer.state", dir);
	for (i = 0; i < 1000; i++) {
		FILE *f = fopen(path, "r");
		bool done;

		if (!f)
			return -errno;
		done = fgets(buf, sizeof(buf), f) && !strncmp(buf, want, strlen(want));
		fclose(f);
		if (done)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

FIXTURE_SETUP(freezer)
{
	int rc;

	self->c.dir[0] = '\0';
	if (geteuid() != 0)
		SKIP(return, "needs root to create cgroups");
	rc = ts_open(&self->s, 0);
	if (rc == -ENOENT)
		SKIP(return, "no TASKSTATS genetlink family");
	ASSERT_EQ(0, rc);
	rc = cg_setup(&self->c, 0, "freezer");
	/*
	 * -EINVAL or -ENOENT: no such controller (CONFIG_CGROUP_FREEZER=n),
	 * or cgroup_no_v1= disables it; -EBUSY: bound elsewhere.
	 */
	if (rc == -EINVAL || rc == -ENOENT || rc == -ENODEV || rc == -EPERM ||
	    rc == -EBUSY)
		SKIP(return, "cannot mount the cgroup v1 freezer (needs CONFIG_CGROUP_FREEZER): %s",
		     strerror(-rc));
	ASSERT_EQ(0, rc) TH_LOG("cgroup setup: %s", strerror(-rc));
}

FIXTURE_TEARDOWN(freezer)
{
	/* A frozen task cannot die: thaw it before the teardown kills it. */
	if (self->c.dir[0]) {
		freezer_set(self->c.dir, "THAWED");
		cg_teardown(&self->c);
	}
	ts_close(&self->s);
}

TEST_F(freezer, frozen_task_is_uninterruptible)
{
	char seen[MAX_TASKS + 1];
	struct cgroupstats cs;
	pid_t pid;

	pid = spawn(self->c.dir, BUSY);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_states(&self->c, self->c.dir, "R", seen, sizeof(seen)))
		TH_LOG("task states in the cgroup: \"%s\"", seen);
	ASSERT_EQ(0, freezer_set(self->c.dir, "FROZEN"));
	ASSERT_EQ(0, freezer_wait(self->c.dir, "FROZEN"));
	ASSERT_EQ('D', task_state(pid));
	ASSERT_EQ(0, query(&self->s, self->c.dir, &cs));
	EXPECT_TRUE(counts_are(&cs, 0, 0, 1, 0, 0));
	ASSERT_EQ(0, freezer_set(self->c.dir, "THAWED"));
}

TEST_HARNESS_MAIN
