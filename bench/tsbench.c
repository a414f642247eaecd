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
 *	Latency of a TGID query while the process has NTHREADS threads.
 *   tsbench storm NEXITS
 *	How many of NEXITS back-to-back thread exit records a listener with
 *	the default receive buffer gets.
 *
 * Results go to stdout as "BENCH <key> <value>" lines and nothing else;
 * diagnostics go to stderr.  The benchmarks are meant to run in a guest
 * whose CLOCK_MONOTONIC counts instructions, so every rate is computed from
 * CLOCK_MONOTONIC and every wait is bounded by a timeout (or, for the few
 * waits that cannot take one, by the SIGALRM watchdog).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
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
#include <sys/socket.h>
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
/* Small stacks so that 1000 threads fit in a 512 MiB guest. */
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
		snprintf(buf, len, "0-%d", ts_online_cpus() - 1);
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

/* @batch: register with TASKSTATS_CMD_ATTR_BATCH. */
static int listeners_open(struct listeners *l, int n, bool batch)
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
		rc = batch ? ts_register_batch(&l->s[i], l->cpus) :
			     ts_register(&l->s[i], l->cpus);
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
 * @opt "batch": the listeners take their records batched; "idle": the
 * drainer thread runs even without listeners, to tell what a second thread
 * in the process costs from what the listeners cost.
 */
static int mode_exits(char **argv, const char *opt)
{
	bool use_fork = !strcmp(argv[0], "fork");
	bool batch = !strcmp(opt, "batch");
	bool drain = strcmp(opt, "idle") == 0;
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
	rc = listeners_open(&l, nl, batch);
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
	snprintf(key, sizeof(key), "exits_%s_%s%ld", argv[0],
		 batch ? "b" : !strcmp(opt, "idle") ? "i" : "", nl);
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

static int mode_tgid_latency(char **argv)
{
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
	return 0;
}

static int mode_storm(char **argv, bool batch)
{
	const char *key = batch ? "storm_batch" : "storm";
	char name[64];
	struct listeners l = { 0 };
	struct drainer d;
	long nexits, i;
	int rc, rc2;

	if (parse_long("NEXITS", argv[0], 1, LONG_MAX, &nexits))
		return -EINVAL;
	/* One listener, default SO_RCVBUF: the point is what it loses. */
	rc = listeners_open(&l, 1, batch);
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
	snprintf(name, sizeof(name), "%s_exits", key);
	bench_int(name, nexits);
	snprintf(name, sizeof(name), "%s_records", key);
	bench_int(name, d.own);
	snprintf(name, sizeof(name), "%s_enobufs", key);
	bench_int(name, d.enobufs);
	snprintf(name, sizeof(name), "%s_lost_pct", key);
	bench(name, 100.0 * (nexits - d.own) / nexits);
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: tsbench exits fork|thread NLISTENERS ITER [batch|idle]\n"
		"       tsbench query pid|tgid ITER\n"
		"       tsbench tgid_latency NTHREADS ITER\n"
		"       tsbench storm NEXITS [batch]\n"
		"batch: the listeners register with TASKSTATS_CMD_ATTR_BATCH\n"
		"idle:  the draining thread runs even with 0 listeners\n");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *opt = argc > 2 ? argv[argc - 1] : "";
	bool batch = !strcmp(opt, "batch");
	int has_opt = batch || !strcmp(opt, "idle");
	int rc;

	start_watchdog();
	if (pthread_attr_init(&small_stack) ||
	    pthread_attr_setstacksize(&small_stack, THREAD_STACK)) {
		warn("cannot set up thread attributes");
		return 1;
	}
	if (!strcmp(mode, "exits") && argc == 5 + has_opt) {
		rc = mode_exits(argv + 2, has_opt ? opt : "");
	} else if (!strcmp(mode, "query") && argc == 4) {
		rc = mode_query(argv + 2);
	} else if (!strcmp(mode, "tgid_latency") && argc == 4) {
		rc = mode_tgid_latency(argv + 2);
	} else if (!strcmp(mode, "storm") && argc == 3 + batch) {
		rc = mode_storm(argv + 2, batch);
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
