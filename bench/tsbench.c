// SPDX-License-Identifier: GPL-2.0
/*
 * tsbench - micro-benchmarks for the taskstats genetlink interface.
 *
 *   tsbench exits fork|thread NLISTENERS ITER
 *	fork()+_exit()+waitpid() or pthread_create()+join() rate while
 *	NLISTENERS sockets registered on every online CPU receive the exit
 *	records (drained by one thread).  NLISTENERS may be 0, which needs no
 *	taskstats at all.
 *   tsbench query pid|tgid ITER
 *	TASKSTATS_CMD_GET rate for our own pid or tgid.
 *   tsbench tgid_latency NTHREADS ITER
 *	Latency of a TGID query while the process has NTHREADS threads, and
 *	of reading /proc/<tgid>/stat and /proc/<tgid>/io instead.
 *   tsbench storm NEXITS
 *	How many of NEXITS back-to-back thread exit records a listener with
 *	the default receive buffer gets.
 *   tsbench par NWORKERS NLISTENERS SECONDS|ITER
 *	Aggregate pthread_create()+join() rate of NWORKERS threads, each
 *	pinned to a CPU of its own, while NLISTENERS sockets registered on
 *	every online CPU receive the exit records (drained by one thread):
 *	concurrent exits contend on the listener lists and socket queues.
 *	"5s" runs for five seconds, a plain number is iterations per worker.
 *   tsbench cgstats NTASKS ITER [pidstat]
 *	Time per CGROUPSTATS_CMD_GET of a cgroup v2 directory holding one
 *	process of NTASKS sleeping threads, against what userspace does
 *	without it: read cgroup.threads and every thread's
 *	/proc/<tid>/task/<tid>/stat.  The query is reported as "n/a" on a
 *	kernel that refuses v2 directories (EINVAL, v7.3).  "pidstat": only
 *	the userspace side, reading /proc/<tid>/stat instead, which sums the
 *	whole thread group on every read (quadratic in NTASKS).  On a kernel
 *	with bench/cgroup-file.patch, also the time to read the prototype
 *	cgroupfs file cgroup.task_states (n/a elsewhere).
 *
 * Results go to stdout as "BENCH <key> <value>" lines and nothing else
 * (<value> is a number, or "n/a" for what the kernel does not offer);
 * diagnostics go to stderr.  The benchmarks are meant to run in a guest
 * whose CLOCK_MONOTONIC counts instructions (par and cgstats: host time, on
 * several vCPUs), so every rate is computed from CLOCK_MONOTONIC and every
 * wait is bounded by a timeout (or, for the few waits that cannot take
 * one, by the SIGALRM watchdog).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../selftests/taskstats/ts_netlink.h"

/* Whole-run bound for the waits that take no timeout (waitpid, join). */
#define WATCHDOG_S		600
/* How often an idle drainer looks at its stop flag. */
#define DRAIN_POLL_MS		50
/* The storm is over once no record of ours came for this long ... */
#define STORM_IDLE_MS		500
/* ... or, should other tasks' records keep it busy, after this long. */
#define STORM_TAIL_MAX_MS	10000
/* Blocked threads of tgid_latency give up after this (before watchdog). */
#define HOLD_MS			(300 * 1000)
/* Bound on waiting for all blocked threads to be in place. */
#define HOLD_START_MS		30000
/* Bound on cgstats' process creating its threads and parking them. */
#define CG_READY_MS		120000
/* Small stacks: 1000 threads (tgid_latency), 10000 (cgstats) in a guest. */
#define THREAD_STACK		(64 * 1024)
/* One exit record is well under 1 KiB; room for anything the kernel adds. */
#define RECV_BUF_LEN		65536
#define MAX_LISTENERS		1024
#define MAX_THREADS		100000

static pthread_attr_t small_stack;

static void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("tsbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void bench(const char *key, double value)
{
	printf("BENCH %s %.3f\n", key, value);
}

static void bench_int(const char *key, long value)
{
	printf("BENCH %s %ld\n", key, value);
}

/* What the kernel does not offer, as opposed to a failure. */
static void bench_na(const char *key)
{
	printf("BENCH %s n/a\n", key);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t ms_since(uint64_t start_ns)
{
	return (now_ns() - start_ns) / 1000000;
}

static void watchdog_fired(int sig)
{
	static const char msg[] = "tsbench: watchdog expired, giving up\n";

	(void)sig;
	/* Only async-signal-safe calls here. */
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

static void start_watchdog(void)
{
	signal(SIGALRM, watchdog_fired);
	alarm(WATCHDOG_S);
}

static int parse_long(const char *what, const char *s, long min, long max,
		      long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		warn("bad %s '%s' (want %ld..%ld)", what, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static void *trivial_thread(void *arg)
{
	return arg;
}

/* One thread lifetime: create, let it return at once, join. */
static int thread_once(void)
{
	pthread_t t;
	int rc;

	rc = pthread_create(&t, &small_stack, trivial_thread, NULL);
	if (rc)
		return -rc;
	return -pthread_join(t, NULL);
}

/* One process lifetime: fork, child exits at once, reap it. */
static int fork_once(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		_exit(0);
	/* The child exits immediately; the watchdog bounds this wait. */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -ECHILD;
	return 0;
}

/*
 * "All online CPUs" as a cpulist, straight from sysfs so that holes in the
 * numbering are respected; "0-(n-1)" if sysfs is not there.
 */
static void online_cpulist(char *buf, size_t len)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	bool ok = false;

	if (f) {
		ok = fgets(buf, len, f) != NULL;
		fclose(f);
	}
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	if (!ok || !buf[0])
		snprintf(buf, len, "0-%ld", sysconf(_SC_NPROCESSORS_ONLN) - 1);
}

static int open_ts(struct ts_sock *s)
{
	int rc = ts_open(s, 0);

	if (rc == -ENOENT)
		warn("no TASKSTATS genetlink family (CONFIG_TASKSTATS=n?)");
	else if (rc)
		warn("opening a taskstats socket: %s", strerror(-rc));
	return rc;
}

/* A set of sockets registered for exit records of every online CPU. */
struct listeners {
	int n;
	struct ts_sock *s;
	char cpus[256];
};

static int listeners_close(struct listeners *l);

static int listeners_open(struct listeners *l, int n)
{
	int rc, i;

	l->n = 0;
	l->s = calloc(n ? n : 1, sizeof(*l->s));
	if (!l->s)
		return -ENOMEM;
	online_cpulist(l->cpus, sizeof(l->cpus));
	for (i = 0; i < n; i++) {
		rc = open_ts(&l->s[i]);
		if (rc)
			goto err;
		rc = ts_register(&l->s[i], l->cpus);
		if (rc) {
			warn("registering listener %d for cpus %s: %s%s", i,
			     l->cpus, strerror(-rc),
			     rc == -EPERM ? " (needs CAP_NET_ADMIN)" : "");
			ts_close(&l->s[i]);
			goto err;
		}
		/* Only registered sockets count: close deregisters them. */
		l->n++;
	}
	return 0;
err:
	listeners_close(l);
	return rc;
}

/* Drop whatever is queued so that the deregistration ack finds room. */
static void flush_socket(int fd)
{
	char buf[4096];
	int i;

	/* Bounded, in case other tasks' records never stop coming. */
	for (i = 0; i < 100000; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC) < 0 &&
		    errno != ENOBUFS && errno != EINTR)
			break;
}

/*
 * Deregister explicitly rather than rely on close(), so that a kernel that
 * fails to deregister is noticed.  Exit records of other tasks can still
 * overflow the socket and eat the ack; that is retried.
 */
static int deregister(struct listeners *l, int i)
{
	int rc = 0, tries;

	for (tries = 0; tries < 3; tries++) {
		flush_socket(l->s[i].fd);
		rc = ts_deregister(&l->s[i], l->cpus);
		if (rc != -ENOBUFS && rc != -ETIMEDOUT)
			break;
	}
	if (rc)
		warn("deregistering listener %d: %s", i, strerror(-rc));
	return rc;
}

static int listeners_close(struct listeners *l)
{
	int err = 0, i;

	for (i = 0; i < l->n; i++) {
		if (deregister(l, i))
			err = -EIO;
		ts_close(&l->s[i]);
	}
	free(l->s);
	l->s = NULL;
	l->n = 0;
	return err;
}

/*
 * A thread that reads exit records from a set of sockets as fast as they
 * come.  For the exit benchmarks it only counts messages and stops when
 * told; for the storm it also counts the PID records of our own threads
 * and, once told, stops when those have stopped coming.
 */
struct drainer {
	pthread_t thread;
	struct pollfd *pfd;
	int nfds;
	bool storm;
	uint32_t tgid;
	atomic_bool stop;
	uint64_t stop_ns;	/* written before stop is set */
	char *buf;
	/* Results, read after the join. */
	long msgs;
	long enobufs;
	long own;		/* PID records of our threads (storm) */
	long other;		/* other tasks' PID records (storm) */
	long malformed;
	uint64_t last_own_ns;
	int err;
};

/* Count the PID records of one recv()'d buffer (storm). */
static void count_records(struct drainer *d, int len)
{
	struct ts_record rec[TS_MAX_RECORDS];
	struct nlmsghdr *nh;
	int n, i;

	for (nh = (void *)d->buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
		n = ts_parse(nh, nh->nlmsg_len, rec, TS_MAX_RECORDS);
		if (n < 0) {
			d->malformed++;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (rec[i].type != TASKSTATS_TYPE_PID)
				continue;
			if (rec[i].st.ac_tgid == d->tgid)
				d->own++;
			else
				d->other++;
		}
	}
}

/* Read everything queued on @fd without blocking. */
static int drain_fd(struct drainer *d, int fd)
{
	long own = d->own;
	int len;

	for (;;) {
		len = recv(fd, d->buf, RECV_BUF_LEN, MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* Overflowed: records were dropped. */
				d->enobufs++;
				continue;
			}
			return -errno;
		}
		d->msgs++;
		if (d->storm)
			count_records(d, len);
	}
	if (d->own != own)
		d->last_own_ns = now_ns();
	return 0;
}

static bool drainer_done(struct drainer *d)
{
	uint64_t quiet_since;

	if (!atomic_load(&d->stop))
		return false;
	if (!d->storm)
		return true;
	/* Storm: the exits are over; wait for their records to stop. */
	quiet_since = d->stop_ns > d->last_own_ns ? d->stop_ns : d->last_own_ns;
	if (ms_since(quiet_since) >= STORM_IDLE_MS)
		return true;
	if (ms_since(d->stop_ns) >= STORM_TAIL_MAX_MS) {
		warn("storm: records still coming %d ms after the last exit",
		     STORM_TAIL_MAX_MS);
		return true;
	}
	return false;
}

static void *drainer_main(void *arg)
{
	struct drainer *d = arg;
	int rc, i;

	while (!drainer_done(d)) {
		rc = poll(d->pfd, d->nfds, DRAIN_POLL_MS);
		if (rc < 0 && errno != EINTR) {
			d->err = -errno;
			break;
		}
		for (i = 0; rc > 0 && i < d->nfds; i++) {
			if (d->pfd[i].revents & POLLNVAL) {
				d->err = -EBADF;
				return NULL;
			}
			/* POLLERR is the overflow; recv() reports it. */
			if (!d->pfd[i].revents)
				continue;
			d->err = drain_fd(d, d->pfd[i].fd);
			if (d->err)
				return NULL;
		}
	}
	/* What is still queued was delivered too: par counts what was lost. */
	for (i = 0; !d->err && i < d->nfds; i++)
		d->err = drain_fd(d, d->pfd[i].fd);
	return NULL;
}

static int drainer_start(struct drainer *d, struct listeners *l, bool storm)
{
	int rc, i;

	memset(d, 0, sizeof(*d));
	d->storm = storm;
	d->tgid = getpid();
	d->nfds = l->n;
	d->pfd = calloc(l->n ? l->n : 1, sizeof(*d->pfd));
	d->buf = malloc(RECV_BUF_LEN);
	if (!d->pfd || !d->buf) {
		rc = -ENOMEM;
		goto err;
	}
	for (i = 0; i < l->n; i++) {
		d->pfd[i].fd = l->s[i].fd;
		d->pfd[i].events = POLLIN;
	}
	atomic_init(&d->stop, false);
	rc = -pthread_create(&d->thread, &small_stack, drainer_main, d);
	if (!rc)
		return 0;
err:
	warn("starting the drainer: %s", strerror(-rc));
	free(d->pfd);
	free(d->buf);
	return rc;
}

/* Stop (exits) or let finish (storm) the drainer; returns its error. */
static int drainer_stop(struct drainer *d)
{
	d->stop_ns = now_ns();
	atomic_store(&d->stop, true);
	/* Bounded: the drainer checks its flag every DRAIN_POLL_MS. */
	pthread_join(d->thread, NULL);
	free(d->pfd);
	free(d->buf);
	if (d->err)
		warn("drainer: %s", strerror(-d->err));
	return d->err;
}

static int run_exits(bool use_fork, long iter, uint64_t *ns)
{
	uint64_t t0;
	long i;
	int rc;

	/* One untimed round: first-touch page faults, stack cache. */
	rc = use_fork ? fork_once() : thread_once();
	if (rc)
		return rc;
	t0 = now_ns();
	for (i = 0; i < iter; i++) {
		rc = use_fork ? fork_once() : thread_once();
		if (rc)
			return rc;
	}
	*ns = now_ns() - t0;
	return 0;
}

/*
 * @idle: the drainer thread runs even without listeners, to tell what a
 * second thread in the process costs from what the listeners cost.
 */
static int mode_exits(char **argv, bool idle)
{
	bool use_fork = !strcmp(argv[0], "fork");
	bool drain = idle;
	struct listeners l = { 0 };
	struct drainer d;
	long nl, iter;
	uint64_t ns = 0;
	char key[64];
	int rc, rc2;

	if (!use_fork && strcmp(argv[0], "thread")) {
		warn("exits: want fork or thread, not '%s'", argv[0]);
		return -EINVAL;
	}
	if (parse_long("NLISTENERS", argv[1], 0, MAX_LISTENERS, &nl) ||
	    parse_long("ITER", argv[2], 1, LONG_MAX, &iter))
		return -EINVAL;
	rc = listeners_open(&l, nl);
	if (rc)
		return rc;
	drain = drain || nl;
	if (drain) {
		rc = drainer_start(&d, &l, false);
		if (rc) {
			listeners_close(&l);
			return rc;
		}
	}
	rc = run_exits(use_fork, iter, &ns);
	if (rc)
		warn("exits %s: %s", argv[0], strerror(-rc));
	if (drain) {
		rc2 = drainer_stop(&d);
		rc = rc ? rc : rc2;
		warn("exits %s %ld: drained %ld messages, %ld ENOBUFS",
		     argv[0], nl, d.msgs, d.enobufs);
	}
	rc2 = listeners_close(&l);
	rc = rc ? rc : rc2;
	if (rc)
		return rc;
	snprintf(key, sizeof(key), "exits_%s_%s%ld", argv[0], idle ? "i" : "",
		 nl);
	bench(key, iter * 1e9 / ns);
	return 0;
}

/* A TASKSTATS_CMD_GET of @id must answer about @id and nothing else. */
static int query_checked(struct ts_sock *s, uint16_t attr, uint32_t id)
{
	struct ts_record rec;
	int rc = ts_query(s, attr, id, &rec);

	if (rc) {
		warn("%s query of %u: %s",
		     attr == TASKSTATS_CMD_ATTR_PID ? "PID" : "TGID", id,
		     strerror(-rc));
		return rc;
	}
	if (rec.type != (attr == TASKSTATS_CMD_ATTR_PID ?
			 TASKSTATS_TYPE_PID : TASKSTATS_TYPE_TGID) ||
	    rec.id != id) {
		warn("query of %u answered with type %d id %u", id, rec.type,
		     rec.id);
		return -EPROTO;
	}
	return 0;
}

/* Time @iter queries of our own pid (== tid of the main thread) or tgid. */
static int time_queries(uint16_t attr, long iter, uint64_t *ns)
{
	uint32_t id = getpid();
	struct ts_sock s;
	uint64_t t0;
	long i;
	int rc;

	rc = open_ts(&s);
	if (rc)
		return rc;
	rc = query_checked(&s, attr, id);	/* untimed warm-up */
	t0 = now_ns();
	for (i = 0; !rc && i < iter; i++)
		rc = query_checked(&s, attr, id);
	*ns = now_ns() - t0;
	ts_close(&s);
	return rc;
}

static int mode_query(char **argv)
{
	bool pid = !strcmp(argv[0], "pid");
	uint64_t ns;
	long iter;
	char key[64];
	int rc;

	if (!pid && strcmp(argv[0], "tgid")) {
		warn("query: want pid or tgid, not '%s'", argv[0]);
		return -EINVAL;
	}
	if (parse_long("ITER", argv[1], 1, LONG_MAX, &iter))
		return -EINVAL;
	rc = time_queries(pid ? TASKSTATS_CMD_ATTR_PID :
				TASKSTATS_CMD_ATTR_TGID, iter, &ns);
	if (rc)
		return rc;
	snprintf(key, sizeof(key), "query_%s", argv[0]);
	bench(key, iter * 1e9 / ns);
	return 0;
}

/*
 * Threads that sit in poll() on a pipe until its write end is closed, so
 * that a TGID query has live threads to walk.  Each gives up by itself
 * after HOLD_MS; "expired" tells the caller the measurement is void.
 */
struct holders {
	int pipe[2];
	pthread_t *tids;
	long n;			/* created */
	atomic_long waiting;	/* have reached their poll() */
	atomic_long expired;	/* gave up before being released */
};

static void *holder_main(void *arg)
{
	struct holders *h = arg;
	struct pollfd pfd = { .fd = h->pipe[0], .events = POLLIN };
	int rc;

	atomic_fetch_add(&h->waiting, 1);
	do {
		rc = poll(&pfd, 1, HOLD_MS);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0)
		atomic_fetch_add(&h->expired, 1);
	return NULL;
}

/* Release every holder (POLLHUP on the pipe) and join them. */
static void holders_release(struct holders *h)
{
	long i;

	close(h->pipe[1]);
	for (i = 0; i < h->n; i++)
		pthread_join(h->tids[i], NULL);
	close(h->pipe[0]);
	free(h->tids);
}

static int holders_start(struct holders *h, long n)
{
	uint64_t t0;
	int rc;

	memset(h, 0, sizeof(*h));
	atomic_init(&h->waiting, 0);
	atomic_init(&h->expired, 0);
	h->tids = calloc(n ? n : 1, sizeof(*h->tids));
	if (!h->tids)
		return -ENOMEM;
	if (pipe(h->pipe)) {
		free(h->tids);
		return -errno;
	}
	for (h->n = 0; h->n < n; h->n++) {
		rc = pthread_create(&h->tids[h->n], &small_stack, holder_main,
				    h);
		if (rc) {
			warn("creating thread %ld of %ld: %s", h->n + 1, n,
			     strerror(rc));
			holders_release(h);
			return -rc;
		}
	}
	/* Wait (bounded) until all are parked, so none runs while timing. */
	t0 = now_ns();
	while (atomic_load(&h->waiting) < n) {
		if (ms_since(t0) > HOLD_START_MS) {
			warn("only %ld of %ld threads started",
			     atomic_load(&h->waiting), n);
			holders_release(h);
			return -ETIMEDOUT;
		}
		usleep(1000);
	}
	return 0;
}

/* Read all of @path into *@buf, grown as needed; returns the length. */
static ssize_t read_all(const char *path, char **buf, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;
	char *b;

	if (fd < 0)
		return -errno;
	for (;;) {
		if (len + 1 >= *size) {
			b = realloc(*buf, *size * 2);
			if (!b) {
				close(fd);
				return -ENOMEM;
			}
			*buf = b;
			*size *= 2;
		}
		n = read(fd, *buf + len, *size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	n = n < 0 ? -errno : (ssize_t)len;
	close(fd);
	(*buf)[len] = '\0';
	return n;
}

/*
 * Time @iter reads of /proc/<tgid>/stat and /proc/<tgid>/io: the whole
 * process's CPU times, faults and I/O, each file walking the thread group
 * as a TGID query does.  No delays: /proc has no group-wide delay file.
 */
static int time_proc(long iter, uint64_t *ns)
{
	char stat[64], io[64];
	size_t size = 4096;
	char *buf = malloc(size);
	ssize_t n;
	uint64_t t0;
	long i;

	if (!buf)
		return -ENOMEM;
	snprintf(stat, sizeof(stat), "/proc/%d/stat", getpid());
	snprintf(io, sizeof(io), "/proc/%d/io", getpid());
	n = read_all(io, &buf, &size);	/* untimed warm-up */
	t0 = now_ns();
	for (i = 0; n > 0 && i < iter; i++) {
		n = read_all(stat, &buf, &size);
		if (n > 0)
			n = read_all(io, &buf, &size);
	}
	*ns = now_ns() - t0;
	free(buf);
	if (n <= 0) {
		warn("reading /proc/%d/stat and io: %s", getpid(),
		     n ? strerror(-n) : "empty");
		return n ? n : -EPROTO;
	}
	return 0;
}

/*
 * The latency of a TGID query while the process has NTHREADS threads, and
 * of reading the same process's /proc/<tgid>/stat and /proc/<tgid>/io
 * (tgid_proc_latency_N), with the same threads in place.
 */
static int mode_tgid_latency(char **argv)
{
	uint64_t proc_ns = 0;
	struct holders h;
	long nthreads, iter;
	uint64_t ns;
	char key[64];
	int rc;

	if (parse_long("NTHREADS", argv[0], 1, MAX_THREADS, &nthreads) ||
	    parse_long("ITER", argv[1], 1, LONG_MAX, &iter))
		return -EINVAL;
	rc = holders_start(&h, nthreads - 1);
	if (rc)
		return rc;
	rc = time_queries(TASKSTATS_CMD_ATTR_TGID, iter, &ns);
	if (!rc)
		rc = time_proc(iter, &proc_ns);
	if (!rc && atomic_load(&h.expired)) {
		warn("%ld threads exited before the queries were done",
		     atomic_load(&h.expired));
		rc = -ETIMEDOUT;
	}
	holders_release(&h);
	if (rc)
		return rc;
	snprintf(key, sizeof(key), "tgid_latency_%ld", nthreads);
	bench(key, ns / 1e3 / iter);
	snprintf(key, sizeof(key), "tgid_proc_latency_%ld", nthreads);
	bench(key, proc_ns / 1e3 / iter);
	return 0;
}

static int mode_storm(char **argv)
{
	struct listeners l = { 0 };
	struct drainer d;
	long nexits, i;
	int rc, rc2;

	if (parse_long("NEXITS", argv[0], 1, LONG_MAX, &nexits))
		return -EINVAL;
	/* One listener, default SO_RCVBUF: the point is what it loses. */
	rc = listeners_open(&l, 1);
	if (rc)
		return rc;
	rc = drainer_start(&d, &l, true);
	if (rc) {
		listeners_close(&l);
		return rc;
	}
	for (i = 0; !rc && i < nexits; i++)
		rc = thread_once();
	if (rc)
		warn("storm: thread %ld: %s", i, strerror(-rc));
	rc2 = drainer_stop(&d);
	rc = rc ? rc : rc2;
	warn("storm: %ld messages, %ld own PID records, %ld other, %ld ENOBUFS",
	     d.msgs, d.own, d.other, d.enobufs);
	if (d.malformed) {
		warn("storm: %ld malformed messages", d.malformed);
		rc = rc ? rc : -EPROTO;
	}
	rc2 = listeners_close(&l);
	rc = rc ? rc : rc2;
	if (rc)
		return rc;
	bench_int("storm_exits", nexits);
	bench_int("storm_records", d.own);
	bench_int("storm_enobufs", d.enobufs);
	bench("storm_lost_pct", 100.0 * (nexits - d.own) / nexits);
	return 0;
}

/*
 * par: workers pinned to CPUs of their own create and join threads at the
 * same time, so that exits run concurrently on every CPU and contend on
 * the listener lists and socket queues the way one CPU never shows.
 */
struct par {
	long iter;		/* per worker; 0: until @stop */
	atomic_bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int ready;		/* workers past their warm-up (under lock) */
	bool go;		/* the timed part starts (under lock) */
};

struct par_worker {
	struct par *p;
	pthread_t thread;
	int cpu;
	long done;		/* timed exits */
	int err;
};

/* Tell the main thread we are warmed up, then wait for the common start. */
static void par_wait_start(struct par *p)
{
	pthread_mutex_lock(&p->lock);
	p->ready++;
	pthread_cond_broadcast(&p->cond);
	while (!p->go)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

static void *par_worker_main(void *arg)
{
	struct par_worker *w = arg;
	struct par *p = w->p;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	/* The threads it creates inherit this: they exit on w->cpu too. */
	w->err = -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	/* One untimed round on its CPU: first-touch faults, stack cache. */
	if (!w->err)
		w->err = thread_once();
	/* Even after an error, so that the main thread is not kept waiting. */
	par_wait_start(p);
	while (!w->err && !atomic_load(&p->stop) &&
	       (!p->iter || w->done < p->iter)) {
		w->err = thread_once();
		if (!w->err)
			w->done++;
	}
	return NULL;
}

/* The first @n CPUs of our affinity mask, one for each worker. */
static int par_pick_cpus(struct par_worker *w, int n)
{
	cpu_set_t set;
	int cpu, k = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (cpu = 0; cpu < CPU_SETSIZE && k < n; cpu++)
		if (CPU_ISSET(cpu, &set))
			w[k++].cpu = cpu;
	if (k < n) {
		warn("par: %d workers, but only %d CPUs to pin them to", n, k);
		return -EINVAL;
	}
	return 0;
}

static void sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = deadline_ns / 1000000000ull,
		.tv_nsec = deadline_ns % 1000000000ull,
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/*
 * Run the workers for @secs seconds, or @iter iterations each if @secs is
 * 0.  The clock starts once all have warmed up and stops when the last is
 * joined; @total gets the timed exits.
 */
static int par_run(struct par_worker *w, int n, long secs, long iter,
		   long *total, uint64_t *ns)
{
	struct par p = { .iter = iter };
	int created, k, rc = 0;
	long lo = LONG_MAX, hi = 0;
	uint64_t t0;

	atomic_init(&p.stop, false);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	for (created = 0; created < n; created++) {
		w[created].p = &p;
		rc = -pthread_create(&w[created].thread, &small_stack,
				     par_worker_main, &w[created]);
		if (rc) {
			warn("par: starting worker %d: %s", created,
			     strerror(-rc));
			/* Those already started stop right after the start. */
			atomic_store(&p.stop, true);
			break;
		}
	}
	pthread_mutex_lock(&p.lock);
	while (p.ready < created)
		pthread_cond_wait(&p.cond, &p.lock);
	p.go = true;
	pthread_cond_broadcast(&p.cond);
	pthread_mutex_unlock(&p.lock);
	t0 = now_ns();
	if (!rc && secs) {
		sleep_until(t0 + secs * 1000000000ull);
		atomic_store(&p.stop, true);
	}
	*total = 0;
	for (k = 0; k < created; k++) {
		/* Bounded: @iter exits each, or @stop; the watchdog too. */
		pthread_join(w[k].thread, NULL);
		*total += w[k].done;
		lo = w[k].done < lo ? w[k].done : lo;
		hi = w[k].done > hi ? w[k].done : hi;
		if (w[k].err && !rc) {
			warn("par: worker on cpu %d: %s", w[k].cpu,
			     strerror(-w[k].err));
			rc = w[k].err;
		}
	}
	*ns = now_ns() - t0;
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
	if (!rc)
		warn("par: %ld exits, %ld to %ld per worker", *total, lo, hi);
	return rc;
}

/* "5s": run for five seconds; "1000": 1000 iterations per worker. */
static int parse_span(const char *s, long *secs, long *iter)
{
	size_t len = strlen(s);
	char num[32];

	*secs = 0;
	*iter = 0;
	if (len > 1 && len < sizeof(num) && s[len - 1] == 's') {
		memcpy(num, s, len - 1);
		num[len - 1] = '\0';
		/* Leave the watchdog time for the warm-up and the drain. */
		return parse_long("SECONDS", num, 1, WATCHDOG_S / 2, secs);
	}
	return parse_long("ITER", s, 1, LONG_MAX, iter);
}

/*
 * Records the listeners did not get: each of our exits (warm-up, timed,
 * and the workers' own) sends one datagram to each listener, and the
 * drainer read everything that was queued before it stopped.
 */
static double par_lost_pct(const struct drainer *d, long nl, long exits)
{
	long want = nl * exits;

	if (!want || d->msgs >= want)
		return 0.0;
	return 100.0 * (want - d->msgs) / want;
}

static int mode_par(char **argv)
{
	struct listeners l = { 0 };
	struct par_worker *w;
	long nw, nl, secs, iter, total = 0;
	struct drainer d;
	uint64_t ns = 0;
	char key[64];
	int rc, rc2;

	if (parse_long("NWORKERS", argv[0], 1, CPU_SETSIZE, &nw) ||
	    parse_long("NLISTENERS", argv[1], 0, MAX_LISTENERS, &nl) ||
	    parse_span(argv[2], &secs, &iter))
		return -EINVAL;
	w = calloc(nw, sizeof(*w));
	if (!w)
		return -ENOMEM;
	rc = par_pick_cpus(w, nw);
	if (rc)
		goto out_free;
	rc = listeners_open(&l, nl);
	if (rc)
		goto out_free;
	if (nl) {
		rc = drainer_start(&d, &l, false);
		if (rc)
			goto out_close;
	}
	rc = par_run(w, nw, secs, iter, &total, &ns);
	if (nl) {
		rc2 = drainer_stop(&d);
		rc = rc ? rc : rc2;
		warn("par %ld %ld: drained %ld messages, %ld ENOBUFS", nw, nl,
		     d.msgs, d.enobufs);
	}
out_close:
	rc2 = listeners_close(&l);
	rc = rc ? rc : rc2;
out_free:
	free(w);
	if (rc)
		return rc;
	snprintf(key, sizeof(key), "par_thread_w%ld_l%ld", nw, nl);
	bench(key, total * 1e9 / ns);
	if (nl) {
		snprintf(key, sizeof(key), "par_thread_w%ld_l%ld_lost_pct", nw,
			 nl);
		bench(key, par_lost_pct(&d, nl, total + 2 * nw));
	}
	return 0;
}

/*
 * cgstats: one process of NTASKS sleeping threads in a cgroup v2
 * directory of its own; what CGROUPSTATS_CMD_GET costs against what a tool
 * without it does to learn the same (cgroup.threads, then /proc per task).
 */
struct cgbench {
	char mnt[PATH_MAX];	/* a cgroup2 mount */
	bool mounted;		/* by us, at a temporary directory */
	char dir[PATH_MAX + 32];	/* our cgroup in it */
	int dirfd;		/* that directory, for CGROUPSTATS_CMD_GET */
	pid_t child;		/* the process of NTASKS threads in it */
	int release;		/* closing it lets the child exit */
};

/* Tasks per state letter, counted as cgroupstats counts them. */
struct cg_counts {
	long running, sleeping, uninterruptible, stopped, other;
};

static long cg_total(const struct cg_counts *c)
{
	return c->running + c->sleeping + c->uninterruptible + c->stopped +
	       c->other;
}

static void cg_count_letter(struct cg_counts *c, char state)
{
	switch (state) {
	case 'R':
		c->running++;
		break;
	case 'S':
	case 'I':
		c->sleeping++;
		break;
	case 'D':
		c->uninterruptible++;
		break;
	case 'T':
	case 't':
		c->stopped++;
		break;
	default:
		c->other++;
		break;
	}
}

/* kernel.threads-max follows the guest's memory: say so before failing. */
static int check_threads_max(long ntasks)
{
	FILE *f = fopen("/proc/sys/kernel/threads-max", "r");
	long max = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &max) != 1)
		max = 0;
	fclose(f);
	/* Room for the tasks that already run. */
	if (max && ntasks + 64 > max) {
		warn("cgstats: %ld threads, but kernel.threads-max is %ld: it scales with memory, give the guest more",
		     ntasks, max);
		return -EAGAIN;
	}
	return 0;
}

/* Use a cgroup2 mount if there is one, else mount one of our own. */
static int cg_mount(struct cgbench *cg)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	int rc;

	while (f && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(cg->mnt, sizeof(cg->mnt), "%s", m->mnt_dir);
			break;
		}
	}
	if (f)
		endmntent(f);
	if (cg->mnt[0])
		return 0;
	snprintf(cg->mnt, sizeof(cg->mnt), "/tmp/tsbench-cgroup2.XXXXXX");
	if (!mkdtemp(cg->mnt)) {
		rc = -errno;
		warn("cgstats: creating a mount point: %s", strerror(-rc));
		cg->mnt[0] = '\0';
		return rc;
	}
	if (mount("cgroup2", cg->mnt, "cgroup2", 0, NULL)) {
		rc = -errno;
		warn("cgstats: mounting cgroup2 at %s: %s%s", cg->mnt,
		     strerror(-rc), rc == -ENODEV ? " (CONFIG_CGROUPS=n?)" : "");
		rmdir(cg->mnt);
		cg->mnt[0] = '\0';
		return rc;
	}
	cg->mounted = true;
	return 0;
}

/* A cgroup of our own; cg_teardown() undoes whatever this got done. */
static int cg_setup(struct cgbench *cg)
{
	int rc;

	memset(cg, 0, sizeof(*cg));
	cg->dirfd = -1;
	cg->release = -1;
	rc = cg_mount(cg);
	if (rc)
		return rc;
	snprintf(cg->dir, sizeof(cg->dir), "%s/tsbench.%d", cg->mnt,
		 (int)getpid());
	if (mkdir(cg->dir, 0755)) {
		rc = -errno;
		warn("cgstats: mkdir %s: %s", cg->dir, strerror(-rc));
		cg->dir[0] = '\0';
		return rc;
	}
	cg->dirfd = open(cg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->dirfd < 0) {
		rc = -errno;
		warn("cgstats: opening %s: %s", cg->dir, strerror(-rc));
		return rc;
	}
	return 0;
}

/*
 * The measured process: it joins the cgroup, parks NTASKS - 1 threads in
 * poll() and its main thread in read(), so that all NTASKS sleep, and
 * exits once @release is closed.
 */
static void cg_child(const char *procs, long ntasks, int ready, int release)
{
	struct holders h;
	char c = 0;
	int rc;

	/* An alarm does not survive fork(). */
	start_watchdog();
	rc = ts_write_file(procs, "0");
	if (rc) {
		warn("cgstats: joining %s: %s", procs, strerror(-rc));
		_exit(1);
	}
	if (holders_start(&h, ntasks - 1))
		_exit(1);
	if (write(ready, &c, 1) != 1)
		_exit(1);
	while (read(release, &c, 1) < 0 && errno == EINTR)
		;
	rc = atomic_load(&h.expired) ? 1 : 0;
	holders_release(&h);
	_exit(rc);
}

static int cg_populate(struct cgbench *cg, long ntasks)
{
	struct pollfd pfd = { .events = POLLIN };
	char procs[PATH_MAX + 64];
	int ready[2], release[2];
	char c;
	int rc;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->dir);
	if (pipe(ready))
		return -errno;
	if (pipe(release)) {
		rc = -errno;
		close(ready[0]);
		close(ready[1]);
		return rc;
	}
	cg->child = fork();
	if (cg->child == 0) {
		/* Our copy of the write end would keep read() from EOF. */
		close(ready[0]);
		close(release[1]);
		cg_child(procs, ntasks, ready[1], release[0]);
	}
	rc = cg->child < 0 ? -errno : 0;
	close(ready[1]);
	close(release[0]);
	cg->release = release[1];
	pfd.fd = ready[0];
	/* Bounded: creating the threads, then holders_start()'s own bound. */
	if (!rc) {
		do {
			rc = poll(&pfd, 1, CG_READY_MS);
		} while (rc < 0 && errno == EINTR);
		if (rc < 0)
			rc = -errno;
		else if (rc == 0)
			rc = -ETIMEDOUT;
		else	/* EOF: the child failed before it was ready */
			rc = read(ready[0], &c, 1) == 1 ? 0 : -ECHILD;
	}
	close(ready[0]);
	if (rc)
		warn("cgstats: the process of %ld threads did not come up: %s",
		     ntasks, strerror(-rc));
	return rc;
}

static int cg_teardown(struct cgbench *cg)
{
	int status, rc = 0, i;

	if (cg->release >= 0)
		close(cg->release);	/* EOF: the child lets go and exits */
	/* Bounded: its threads exit on POLLHUP; the watchdog too. */
	while (cg->child > 0 && waitpid(cg->child, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = -errno;
			break;
		}
	}
	if (cg->child > 0 && !rc && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		warn("cgstats: the threads' process failed (status %#x)",
		     status);
		rc = -ECHILD;
	}
	if (cg->dirfd >= 0)
		close(cg->dirfd);
	/* The cgroup may stay busy for a moment after its last task is gone. */
	for (i = 0; cg->dir[0] && rmdir(cg->dir); i++) {
		if (errno != EBUSY || i == 200) {
			warn("cgstats: rmdir %s: %s", cg->dir, strerror(errno));
			break;
		}
		usleep(10000);
	}
	if (cg->mounted) {
		if (umount2(cg->mnt, 0))
			warn("cgstats: umount %s: %s", cg->mnt,
			     strerror(errno));
		else
			rmdir(cg->mnt);
	}
	return rc;
}

/*
 * Time @iter CGROUPSTATS_CMD_GET queries of the cgroup @dirfd.  -EINVAL
 * (reported by the caller as n/a): the kernel takes no v2 directory.
 */
static int time_cg_queries(int dirfd, long ntasks, long iter, uint64_t *ns,
			   struct cg_counts *c)
{
	struct cgroupstats cs = { 0 };
	struct ts_sock s;
	uint64_t t0;
	long i;
	int rc;

	rc = open_ts(&s);
	if (rc)
		return rc;
	rc = ts_cgroupstats(&s, dirfd, &cs);	/* untimed warm-up */
	if (rc == -EINVAL) {
		warn("cgstats: CGROUPSTATS_CMD_GET of a cgroup v2 directory: EINVAL%s%s: a kernel without v2 support (v7.3), the query is n/a",
		     s.ext_msg[0] ? ": " : "", s.ext_msg);
		goto out;
	}
	if (rc) {
		warn("cgstats: CGROUPSTATS_CMD_GET: %s", strerror(-rc));
		goto out;
	}
	c->running = cs.nr_running;
	c->sleeping = cs.nr_sleeping;
	c->uninterruptible = cs.nr_uninterruptible;
	c->stopped = cs.nr_stopped;
	if (cg_total(c) != ntasks) {
		warn("cgstats: the query counted %ld tasks, not %ld",
		     cg_total(c), ntasks);
		rc = -EPROTO;
		goto out;
	}
	t0 = now_ns();
	for (i = 0; !rc && i < iter; i++)
		rc = ts_cgroupstats(&s, dirfd, &cs);
	*ns = now_ns() - t0;
out:
	ts_close(&s);
	return rc;
}

/*
 * The state letter of a thread's stat file: after the ")" that ends comm.
 * /proc/<tid>/task/<tid>/stat is the thread's own; /proc/<tid>/stat
 * (@pidstat) shows the same letter but adds up the times and faults of
 * every thread in the group first.
 */
static int proc_state(long tid, bool pidstat, char *state)
{
	char path[64], buf[512];
	ssize_t n;
	char *p;
	int fd;

	if (pidstat)
		snprintf(path, sizeof(path), "/proc/%ld/stat", tid);
	else
		snprintf(path, sizeof(path), "/proc/%ld/task/%ld/stat", tid,
			 tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n <= 0)
		return n ? (int)n : -EPROTO;
	buf[n] = '\0';
	/* comm may hold ")", the fields after it do not. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return -EPROTO;
	*state = p[2];
	return 0;
}

/*
 * One round of what a tool without CGROUPSTATS does: list the cgroup's
 * threads, then read each one's state from /proc.
 */
static int cg_userspace_round(const char *threads, bool pidstat, char **buf,
			      size_t *size, struct cg_counts *c)
{
	ssize_t len = read_all(threads, buf, size);
	char *p, *end, state;
	long tid;
	int rc;

	if (len < 0) {
		warn("cgstats: reading %s: %s", threads, strerror(-len));
		return len;
	}
	memset(c, 0, sizeof(*c));
	for (p = *buf; ; p = end) {
		tid = strtol(p, &end, 10);
		if (end == p)
			break;
		rc = proc_state(tid, pidstat, &state);
		if (rc) {
			warn("cgstats: stat of thread %ld: %s", tid,
			     strerror(-rc));
			return rc;
		}
		cg_count_letter(c, state);
	}
	return 0;
}

static int time_cg_userspace(const struct cgbench *cg, long ntasks,
			     long iter, bool pidstat, uint64_t *ns,
			     struct cg_counts *c)
{
	char threads[PATH_MAX + 64];
	size_t size = 4096;
	char *buf = malloc(size);
	uint64_t t0;
	long i;
	int rc;

	if (!buf)
		return -ENOMEM;
	snprintf(threads, sizeof(threads), "%s/cgroup.threads", cg->dir);
	/* Untimed: grows the buffer, as a tool reading in a loop would. */
	rc = cg_userspace_round(threads, pidstat, &buf, &size, c);
	if (!rc && cg_total(c) != ntasks) {
		warn("cgstats: %s listed %ld threads, not %ld", threads,
		     cg_total(c), ntasks);
		rc = -EPROTO;
	}
	t0 = now_ns();
	for (i = 0; !rc && i < iter; i++)
		rc = cg_userspace_round(threads, pidstat, &buf, &size, c);
	*ns = now_ns() - t0;
	free(buf);
	return rc;
}

/*
 * The cgroupfs file of bench/cgroup-file.patch, "cgroup.task_states": the
 * same subtree walk as the query, read as text.  -ENOENT (n/a): a kernel
 * without the prototype.
 */
static int time_cg_file(const struct cgbench *cg, long ntasks, long iter,
			uint64_t *ns)
{
	char path[PATH_MAX + 64];
	size_t size = 4096;
	char *buf = malloc(size);
	long sleeping = -1;
	ssize_t n;
	uint64_t t0;
	long i;
	char *p;

	if (!buf)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/cgroup.task_states", cg->dir);
	n = read_all(path, &buf, &size);	/* untimed warm-up */
	p = n > 0 ? strstr(buf, "sleeping ") : NULL;
	if (p)
		sleeping = strtol(p + strlen("sleeping "), NULL, 10);
	if (n > 0 && sleeping != ntasks) {
		warn("cgstats: %s counted %ld sleeping, not %ld", path,
		     sleeping, ntasks);
		n = -EPROTO;
	}
	t0 = now_ns();
	for (i = 0; n > 0 && i < iter; i++)
		n = read_all(path, &buf, &size);
	*ns = now_ns() - t0;
	free(buf);
	if (n == -ENOENT)
		warn("cgstats: no %s: a kernel without bench/cgroup-file.patch, the file is n/a",
		     path);
	else if (n <= 0)
		warn("cgstats: reading %s: %s", path,
		     n ? strerror(-n) : "empty");
	return n > 0 ? 0 : n ? n : -EPROTO;
}

/* Informational: both looked at the same sleeping threads. */
static void cg_compare(const struct cg_counts *q, const struct cg_counts *u)
{
	if (!memcmp(q, u, sizeof(*q)))
		return;
	warn("cgstats: states differ: query R %ld S %ld D %ld T %ld, /proc R %ld S %ld D %ld T %ld other %ld",
	     q->running, q->sleeping, q->uninterruptible, q->stopped,
	     u->running, u->sleeping, u->uninterruptible, u->stopped,
	     u->other);
}

/* @pidstat: only the userspace side, through /proc/<tid>/stat. */
static int mode_cgstats(char **argv, bool pidstat)
{
	struct cg_counts cq = { 0 }, cu = { 0 };
	uint64_t qns = 0, uns = 0, fns = 0;
	struct cgbench cg;
	long ntasks, iter;
	int rc, rq = 0, rf = 0, rc2;
	char key[64];

	if (parse_long("NTASKS", argv[0], 1, MAX_THREADS, &ntasks) ||
	    parse_long("ITER", argv[1], 1, LONG_MAX, &iter))
		return -EINVAL;
	rc = check_threads_max(ntasks);
	if (rc)
		return rc;
	rc = cg_setup(&cg);
	if (!rc)
		rc = cg_populate(&cg, ntasks);
	if (!rc && !pidstat) {
		rq = time_cg_queries(cg.dirfd, ntasks, iter, &qns, &cq);
		/* v7.3 refuses v2 directories: n/a, and the rest still runs. */
		rc = rq == -EINVAL ? 0 : rq;
	}
	if (!rc && !pidstat) {
		rf = time_cg_file(&cg, ntasks, iter, &fns);
		/* Only the prototype kernel has the file: n/a elsewhere. */
		rc = rf == -ENOENT ? 0 : rf;
	}
	if (!rc)
		rc = time_cg_userspace(&cg, ntasks, iter, pidstat, &uns, &cu);
	rc2 = cg_teardown(&cg);
	rc = rc ? rc : rc2;
	if (rc)
		return rc;
	if (pidstat) {
		snprintf(key, sizeof(key), "cgstats_userspace_pidstat_us_%ld",
			 ntasks);
		bench(key, uns / 1e3 / iter);
		return 0;
	}
	snprintf(key, sizeof(key), "cgstats_query_us_%ld", ntasks);
	if (rq) {
		bench_na(key);
	} else {
		cg_compare(&cq, &cu);
		bench(key, qns / 1e3 / iter);
	}
	snprintf(key, sizeof(key), "cgstats_file_us_%ld", ntasks);
	if (rf)
		bench_na(key);
	else
		bench(key, fns / 1e3 / iter);
	snprintf(key, sizeof(key), "cgstats_userspace_us_%ld", ntasks);
	bench(key, uns / 1e3 / iter);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: tsbench exits fork|thread NLISTENERS ITER [idle]\n"
		"       tsbench query pid|tgid ITER\n"
		"       tsbench tgid_latency NTHREADS ITER\n"
		"       tsbench storm NEXITS\n"
		"       tsbench par NWORKERS NLISTENERS SECONDSs|ITER\n"
		"       tsbench cgstats NTASKS ITER [pidstat]\n"
		"idle:  the draining thread runs even with 0 listeners\n"
		"par:   \"5s\" runs five seconds, \"1000\" 1000 exits per worker\n"
		"pidstat: cgstats reads /proc/<tid>/stat, not .../task/<tid>/stat\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	bool idle = argc > 2 && !strcmp(argv[argc - 1], "idle");
	bool pidstat = argc == 5 && !strcmp(argv[4], "pidstat");
	int rc;

	start_watchdog();
	if (pthread_attr_init(&small_stack) ||
	    pthread_attr_setstacksize(&small_stack, THREAD_STACK)) {
		warn("cannot set up thread attributes");
		return 1;
	}
	if (!strcmp(mode, "exits") && argc == 5 + idle) {
		rc = mode_exits(argv + 2, idle);
	} else if (!strcmp(mode, "query") && argc == 4) {
		rc = mode_query(argv + 2);
	} else if (!strcmp(mode, "tgid_latency") && argc == 4) {
		rc = mode_tgid_latency(argv + 2);
	} else if (!strcmp(mode, "storm") && argc == 3) {
		rc = mode_storm(argv + 2);
	} else if (!strcmp(mode, "par") && argc == 5) {
		rc = mode_par(argv + 2);
	} else if (!strcmp(mode, "cgstats") && (argc == 4 || pidstat)) {
		rc = mode_cgstats(argv + 2, pidstat);
	} else {
		usage();
		return 2;
	}
	if (fflush(stdout) || rc) {
		warn("%s failed", mode);
		return 1;
	}
	return 0;
}
