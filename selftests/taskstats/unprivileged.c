// SPDX-License-Identifier: GPL-2.0
/*
 * Queries without CAP_NET_ADMIN: a task's statistics go to whoever may read
 * its /proc/<pid>/io (ptrace_may_access() with PTRACE_MODE_READ_FSCREDS, the
 * credentials of the request), with every id as the requester sees it;
 * registering a listener stays privileged.  Each case runs as root, forks,
 * and drops to an unprivileged user (or a user namespace) in the child,
 * which reports its verdict as its exit code.  Kernels that refuse every
 * unprivileged query (TASKSTATS_VERSION below 19) skip; so does a run
 * without root, which cannot make other users' tasks to test against.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/acct.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "ts_netlink.h"

#define TS_UNPRIV_VERSION	19	/* unprivileged queries, ADELAY */
#define NOBODY			65534
#define OTHER_USER		65533
/* A child's verdict: 0 passed, CHILD_SKIP skipped, anything else failed. */
#define CHILD_SKIP		255

#ifndef ADELAY
#define ADELAY			0x40	/* <linux/acct.h>, version 19 */
#endif

/* Why the child skipped, for the parent's SKIP: read from a pipe. */
static char skip_why[128];
static int skip_pipe[2] = { -1, -1 };

static void child_skip(const char *why)
{
	if (skip_pipe[1] >= 0 && write(skip_pipe[1], why, strlen(why)) < 0)
		_exit(CHILD_SKIP);
	_exit(CHILD_SKIP);
}

/* In a child: fail, saying where. */
#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "# %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		_exit(2);						\
	}								\
} while (0)

/*
 * Drop to @uid, and be dumpable again as a user's own process is: a change
 * of credentials makes a task non-dumpable (suid_dumpable), which would
 * make it and its children unreadable to their own user.
 */
static int become(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -errno;
	return 0;
}

/* A child that sleeps until killed; as @uid unless it is 0. */
static pid_t sleeper(uid_t uid, bool nondumpable)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		/* Dies with its parent; holds no pipe that the test reads to EOF. */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (skip_pipe[1] >= 0)
			close(skip_pipe[1]);
		close(ready[0]);
		if (uid && become(uid))
			_exit(1);
		if (nondumpable && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1) {
		ts_reap(pid);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		ts_reap(pid);
	}
}

/*
 * Run @fn in a child and return its verdict: 0, CHILD_SKIP (with the
 * reason in skip_why) or another exit code (its message is above).
 */
static int in_child(int (*fn)(void *), void *arg)
{
	ssize_t n;
	pid_t pid;
	int status;

	skip_why[0] = '\0';
	if (pipe(skip_pipe))
		return 1;
	pid = fork();
	if (pid == 0) {
		close(skip_pipe[0]);
		_exit(fn(arg));
	}
	close(skip_pipe[1]);
	skip_pipe[1] = -1;
	status = ts_reap(pid);
	n = read(skip_pipe[0], skip_why, sizeof(skip_why) - 1);
	skip_why[n > 0 ? n : 0] = '\0';
	close(skip_pipe[0]);
	if (!WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}

/*
 * Skip unless this kernel lets a task's readers query it: root, and a
 * privileged query of ourselves says version 19 or later.
 */
static int feature(char *why, size_t len)
{
	struct ts_record rec;
	struct ts_sock s;
	int rc;

	if (geteuid() != 0) {
		snprintf(why, len, "needs root to make tasks of other users");
		return -1;
	}
	rc = ts_open(&s, 0);
	if (rc) {
		snprintf(why, len, "no TASKSTATS genetlink family (%d)", rc);
		return -1;
	}
	rc = ts_query(&s, TASKSTATS_CMD_ATTR_PID, getpid(), &rec);
	ts_close(&s);
	if (rc) {
		snprintf(why, len, "query of itself failed (%d)", rc);
		return -1;
	}
	if (rec.st.version < TS_UNPRIV_VERSION) {
		snprintf(why, len,
			 "kernel without unprivileged queries (TASKSTATS_VERSION %u < %d)",
			 rec.st.version, TS_UNPRIV_VERSION);
		return -1;
	}
	return 0;
}

static int delayacct_set(int on);

FIXTURE(unpriv) {
	int verdict;
	int delayacct_was;	/* restored by the teardown when >= 0 */
};

FIXTURE_SETUP(unpriv)
{
	char why[128];

	self->delayacct_was = -1;
	if (feature(why, sizeof(why)))
		SKIP(return, "%s", why);
}

FIXTURE_TEARDOWN(unpriv)
{
	if (self->delayacct_was >= 0)
		delayacct_set(self->delayacct_was);
}

/* A PID query as a program would write(2) it: no destination address. */
struct raw_query {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	struct nlattr attr;
	uint32_t pid;
};

/* Write a PID query of @pid on @s without an address; 0 or -errno. */
static int written_query(struct ts_sock *s, uint32_t pid)
{
	static uint32_t seq = 4242;
	struct raw_query q = {
		.nlh = {
			.nlmsg_len = sizeof(q),
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		},
		.genl = { .cmd = TASKSTATS_CMD_GET, .version = 1 },
		.attr = {
			.nla_len = NLA_HDRLEN + sizeof(uint32_t),
			.nla_type = TASKSTATS_CMD_ATTR_PID,
		},
	};

	q.nlh.nlmsg_type = s->family;
	q.nlh.nlmsg_seq = ++seq;
	q.pid = pid;
	if (write(s->fd, &q, sizeof(q)) != sizeof(q))
		return -errno;
	return ts_wait_reply(s, q.nlh.nlmsg_seq, NULL, 0, TS_TIMEOUT_MS);
}

/* The query as @uid: its own child, by PID and TGID, ids as it sees them. */
static int own_child(void *arg)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct ts_record rec;
	struct ts_sock s;
	pid_t child;

	(void)arg;
	CHECK(become(NOBODY) == 0);
	child = sleeper(0, false);
	CHECK(child > 0);
	CHECK(ts_open(&s, 0) == 0);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_PID, child, &rec) == 0);
	CHECK(rec.st.ac_pid == (uint32_t)child);
	CHECK(rec.st.ac_ppid == (uint32_t)getpid());
	CHECK(rec.st.ac_uid == NOBODY && rec.st.ac_gid == NOBODY);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_TGID, child, &rec) == 0);
	CHECK(rec.st.ac_tgid == (uint32_t)child);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_PID, getpid(), &rec) == 0);
	/* Written without an address on its own socket, and connected. */
	CHECK(written_query(&s, child) == 0);
	CHECK(connect(s.fd, (struct sockaddr *)&kernel, sizeof(kernel)) == 0);
	CHECK(written_query(&s, child) == 0);
	ts_close(&s);
	stop(child);
	return 0;
}

TEST_F(unpriv, own_child_allowed)
{
	self->verdict = in_child(own_child, NULL);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

struct refused {
	pid_t target;
	uid_t as_uid;
};

/* As @as_uid, a PID and a TGID query of @target are refused, with a reason. */
static int refused(void *arg)
{
	const struct refused *r = arg;
	struct ts_record rec;
	struct ts_sock s;

	if (getuid() != r->as_uid)
		CHECK(become(r->as_uid) == 0);
	CHECK(ts_open(&s, 0) == 0);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_PID, r->target, &rec) == -EPERM);
	CHECK(strstr(s.ext_msg, "ptrace"));
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_TGID, r->target, &rec) == -EPERM);
	ts_close(&s);
	return 0;
}

TEST_F(unpriv, other_users_task_refused)
{
	struct refused r = { .as_uid = NOBODY };

	r.target = sleeper(OTHER_USER, false);
	ASSERT_LT(0, r.target);
	self->verdict = in_child(refused, &r);
	stop(r.target);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

TEST_F(unpriv, init_refused)
{
	struct refused r = { .target = 1, .as_uid = NOBODY };

	self->verdict = in_child(refused, &r);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

/* A task of the same user that made itself non-dumpable, as setuid ones are. */
static int nondumpable(void *arg)
{
	struct refused r = { .as_uid = NOBODY };

	(void)arg;
	CHECK(become(NOBODY) == 0);
	r.target = sleeper(0, true);
	CHECK(r.target > 0);
	CHECK(refused(&r) == 0);
	stop(r.target);
	return 0;
}

TEST_F(unpriv, nondumpable_own_task_refused)
{
	self->verdict = in_child(nondumpable, NULL);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

static int registration(void *arg)
{
	struct ts_sock s;

	(void)arg;
	CHECK(become(NOBODY) == 0);
	CHECK(ts_open(&s, 0) == 0);
	CHECK(ts_register(&s, "0") == -EPERM);
	CHECK(strstr(s.ext_msg, "CAP_NET_ADMIN"));
	CHECK(ts_deregister(&s, "0") == -EPERM);
	ts_close(&s);
	return 0;
}

TEST_F(unpriv, registration_refused)
{
	self->verdict = in_child(registration, NULL);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

/*
 * A socket opened by root, used after dropping to nobody: sent to the
 * kernel's address, the request's credentials decide
 * (PTRACE_MODE_READ_FSCREDS, and netlink_capable() checks the sender
 * too); written without one, the socket is no longer the sender's own.
 */
static int dropped_after_open(void *arg)
{
	struct ts_record rec;
	struct ts_sock s;

	(void)arg;
	CHECK(ts_open(&s, 0) == 0);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_PID, 1, &rec) == 0);
	CHECK(become(NOBODY) == 0);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_PID, 1, &rec) == -EPERM);
	CHECK(ts_register(&s, "0") == -EPERM);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_PID, getpid(), &rec) == 0);
	/* Without an address, the socket must be the sender's own. */
	CHECK(written_query(&s, getpid()) == -EPERM);
	CHECK(strstr(s.ext_msg, "address"));
	CHECK(written_query(&s, 1) == -EPERM);
	ts_close(&s);
	return 0;
}

TEST_F(unpriv, privileges_dropped_after_open)
{
	self->verdict = in_child(dropped_after_open, NULL);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

/*
 * A privileged program made to write() a query into a socket that an
 * unprivileged user opened (given to it as its stdout, say): the reply
 * goes to that user's socket, so a request without an address on a
 * socket opened with other credentials is refused, whatever it names.
 * Sent to the kernel's address (sendto(), as the tools send) it is the
 * sender's own request, as netlink_capable() treats it.
 */
static int written_by_deputy(void *arg)
{
	struct ts_record rec;
	struct ts_sock s;

	(void)arg;
	/* Opened as nobody (effective), then root again (saved). */
	CHECK(setresuid(-1, NOBODY, 0) == 0);
	CHECK(ts_open(&s, 0) == 0);
	CHECK(setresuid(-1, 0, -1) == 0);
	CHECK(written_query(&s, 1) == -EPERM);
	CHECK(written_query(&s, getpid()) == -EPERM);
	/* Refused before the lookup: no pid's existence shows. */
	CHECK(written_query(&s, 0x3fffffff) == -EPERM);
	CHECK(ts_query(&s, TASKSTATS_CMD_ATTR_PID, 1, &rec) == 0);
	ts_close(&s);
	return 0;
}

TEST_F(unpriv, query_written_into_unprivileged_socket_refused)
{
	self->verdict = in_child(written_by_deputy, NULL);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

/*
 * In a pid namespace of its own, a task asks for the pid that a task of a
 * sibling namespace has in the initial one: that pid names nothing it can
 * see.
 */
static int sibling_pidns(void *arg)
{
	pid_t other = *(pid_t *)arg, inner;
	struct ts_record rec;
	struct ts_sock s;
	int status;

	if (unshare(CLONE_NEWPID))
		child_skip("no pid namespace (CONFIG_PID_NS)");
	inner = fork();
	CHECK(inner >= 0);
	if (inner == 0) {
		if (become(NOBODY) || ts_open(&s, 0))
			_exit(3);
		/* Only this namespace's pids 1 and 2 exist here. */
		if (other <= 2)
			_exit(4);
		_exit(ts_query(&s, TASKSTATS_CMD_ATTR_PID, other, &rec) == -ESRCH &&
		      ts_query(&s, TASKSTATS_CMD_ATTR_TGID, other, &rec) == -ESRCH ?
		      0 : 5);
	}
	status = ts_reap(inner);
	CHECK(WIFEXITED(status));
	if (WEXITSTATUS(status) == 4)
		child_skip("the other task's pid is 1 or 2");
	CHECK(WEXITSTATUS(status) == 0);
	return 0;
}

/* A task of its own pid namespace, sleeping; its pid in ours in @pid. */
static int pidns_sleeper(void *arg)
{
	int *fd = arg;
	pid_t pid;

	if (unshare(CLONE_NEWPID))
		_exit(1);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid < 0 || write(*fd, &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
	ts_reap(pid);
	return 0;
}

TEST_F(unpriv, sibling_pidns_task_is_esrch)
{
	pid_t holder, other;
	int fds[2];

	/*
	 * The sibling: a child unshares a pid namespace and forks into it;
	 * the grandchild's pid as seen from here is what it reports.
	 */
	ASSERT_EQ(0, pipe(fds));
	holder = fork();
	ASSERT_LE(0, holder);
	if (holder == 0) {
		close(fds[0]);
		_exit(pidns_sleeper(&fds[1]));
	}
	close(fds[1]);
	if (read(fds[0], &other, sizeof(other)) != sizeof(other)) {
		close(fds[0]);
		ts_reap(holder);
		SKIP(return, "no pid namespace for the other task (CONFIG_PID_NS)");
	}
	close(fds[0]);
	self->verdict = in_child(sibling_pidns, &other);
	kill(other, SIGKILL);
	ts_reap(holder);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

/*
 * A rootless container: nobody makes user, network and pid namespaces
 * (unshare -Urpn), maps itself to root, and queries the tasks it sees.
 */
static int write_file(const char *path, const char *text)
{
	return ts_write_file(path, text);
}

static int container(void *arg)
{
	struct ts_record rec;
	struct ts_sock s;
	char map[64];
	pid_t init, child;
	int status;

	(void)arg;
	CHECK(become(NOBODY) == 0);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		child_skip("nobody may not make user and net namespaces (USER_NS, NET_NS, sysctl)");
	snprintf(map, sizeof(map), "0 %d 1", NOBODY);
	CHECK(write_file("/proc/self/setgroups", "deny") == 0);
	CHECK(write_file("/proc/self/uid_map", map) == 0);
	CHECK(write_file("/proc/self/gid_map", map) == 0);
	if (unshare(CLONE_NEWPID))
		child_skip("no pid namespace in the user namespace (CONFIG_PID_NS)");
	init = fork();
	CHECK(init >= 0);
	if (init == 0) {
		/* pid 1 of the new namespace, root in its user namespace */
		child = sleeper(0, false);
		if (getpid() != 1 || child != 2 || ts_open(&s, 0))
			_exit(3);
		if (ts_query(&s, TASKSTATS_CMD_ATTR_PID, child, &rec) ||
		    rec.st.ac_pid != 2 || rec.st.ac_ppid != 1 ||
		    rec.st.ac_uid != 0 || rec.st.ac_gid != 0)
			_exit(4);
		if (ts_query(&s, TASKSTATS_CMD_ATTR_TGID, 1, &rec) ||
		    rec.st.ac_tgid != 1 || rec.st.ac_uid != 0)
			_exit(5);
		stop(child);
		_exit(0);
	}
	status = ts_reap(init);
	CHECK(WIFEXITED(status));
	if (WEXITSTATUS(status))
		fprintf(stderr, "# its init exited %d\n", WEXITSTATUS(status));
	CHECK(WEXITSTATUS(status) == 0);
	return 0;
}

TEST_F(unpriv, rootless_container_queries_its_tasks)
{
	self->verdict = in_child(container, NULL);
	if (self->verdict == CHILD_SKIP)
		SKIP(return, "%s", skip_why);
	EXPECT_EQ(0, self->verdict) TH_LOG("the child failed: see above");
}

/* kernel.task_delayacct as found, restored after the case; or -1. */
static int delayacct_get(void)
{
	char buf[8] = "";
	int fd = open("/proc/sys/kernel/task_delayacct", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? buf[0] == '1' : -1;
}

static int delayacct_set(int on)
{
	return ts_write_file("/proc/sys/kernel/task_delayacct", on ? "1" : "0");
}

static int adelay_of(struct ts_sock *s, pid_t pid)
{
	struct ts_record rec;
	int rc = ts_query(s, TASKSTATS_CMD_ATTR_PID, pid, &rec);

	return rc ? rc : !!(rec.st.ac_flag & ADELAY);
}

/*
 * ADELAY: set while delay accounting is on for a task created while it
 * was on; clear when it is off, and for a task created while it was off
 * (whose delays are never collected), even once it is on again.
 */
TEST_F(unpriv, delay_accounting_state_in_ac_flag)
{
	int was = delayacct_get();
	pid_t before_on, after_on;
	struct ts_sock s;

	if (was < 0)
		SKIP(return, "no kernel.task_delayacct (CONFIG_TASK_DELAY_ACCT)");
	self->delayacct_was = was;
	ASSERT_EQ(0, ts_open(&s, 0));
	ASSERT_EQ(0, delayacct_set(0));
	before_on = sleeper(0, false);
	ASSERT_EQ(0, delayacct_set(1));
	after_on = sleeper(0, false);
	EXPECT_EQ(1, adelay_of(&s, after_on));
	EXPECT_EQ(0, adelay_of(&s, before_on));
	ASSERT_EQ(0, delayacct_set(0));
	EXPECT_EQ(0, adelay_of(&s, after_on));
	stop(before_on);
	stop(after_on);
	ts_close(&s);
}

TEST_HARNESS_MAIN
