// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink client for the taskstats selftests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "ts_netlink.h"

#define TS_BUF_LEN	16384

/* 64 bits: with a 32-bit time_t, tv_sec * 1000 overflows an int. */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until @fd is readable or @deadline (CLOCK_MONOTONIC ms) passes. */
static int wait_readable(int fd, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t left;
	int rc;

	for (;;) {
		/* 64 bits: a past deadline (0: "do not block") stays negative. */
		left = deadline - now_ms();
		if (left < 0)
			left = 0;
		if (left > INT_MAX)
			left = INT_MAX;
		rc = poll(&pfd, 1, (int)left);
		if (rc > 0)
			return 0;
		if (rc == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

static int recv_msg(int fd, void *buf, int len, int64_t deadline)
{
	int rc = wait_readable(fd, deadline);

	if (rc)
		return rc;
	rc = recv(fd, buf, len, MSG_DONTWAIT | MSG_TRUNC);
	if (rc < 0)
		return -errno;
	return rc > len ? -EMSGSIZE : rc;
}

/* Attribute iteration over a genetlink payload or a nested attribute. */
static bool attr_ok(const struct nlattr *na, int rem)
{
	return rem >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN &&
	       na->nla_len <= rem;
}

static struct nlattr *attr_next(const struct nlattr *na, int *rem)
{
	*rem -= NLA_ALIGN(na->nla_len);
	return (struct nlattr *)((char *)na + NLA_ALIGN(na->nla_len));
}

static void *attr_data(const struct nlattr *na)
{
	return (char *)na + NLA_HDRLEN;
}

static struct nlattr *genl_attrs(const struct nlmsghdr *nh, int *rem)
{
	*rem = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	return (struct nlattr *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
}

static int send_req(int fd, uint16_t family, uint16_t nlm_flags, uint32_t seq,
		    uint8_t cmd, uint8_t version, uint16_t attr, const void *data,
		    int len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *n;
	struct genlmsghdr *g;
	struct nlattr *na;
	int rc = 0;

	if (len < 0 || len > 0xffff - NLA_HDRLEN)
		return -EINVAL;
	n = calloc(1, NLMSG_SPACE(GENL_HDRLEN) + NLA_HDRLEN + NLA_ALIGN(len));
	if (!n)
		return -ENOMEM;
	n->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	n->nlmsg_type = family;
	n->nlmsg_flags = NLM_F_REQUEST | nlm_flags;
	n->nlmsg_seq = seq;
	g = NLMSG_DATA(n);
	g->cmd = cmd;
	g->version = version;
	if (attr) {
		na = (void *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
		na->nla_type = attr;
		na->nla_len = NLA_HDRLEN + len;
		if (len)
			memcpy((char *)na + NLA_HDRLEN, data, len);
		n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + NLA_ALIGN(na->nla_len);
	}
	if (sendto(fd, n, n->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		rc = -errno;
	free(n);
	return rc;
}

/*
 * Copy the extended ack's message of the error @nh, if any, to @msg.  The
 * TLVs follow the echoed request: its header alone if the ack is capped
 * (NETLINK_CAP_ACK), the whole request if not.
 */
static void ext_ack_msg(const struct nlmsghdr *nh, char *msg, int msglen)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	int off = sizeof(*e), rem;
	struct nlattr *na;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	rem = (int)nh->nlmsg_len - NLMSG_HDRLEN - off;
	na = (struct nlattr *)((char *)e + off);
	for (; attr_ok(na, rem); na = attr_next(na, &rem))
		if (na->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(msg, msglen, "%.*s",
				 (int)(na->nla_len - NLA_HDRLEN),
				 (char *)attr_data(na));
}

/* The portid the kernel bound @fd to, in @portid.  Returns 0 or -errno. */
static int fd_portid(int fd, uint32_t *portid)
{
	struct sockaddr_nl addr;
	socklen_t alen = sizeof(addr);

	if (getsockname(fd, (struct sockaddr *)&addr, &alen))
		return -errno;
	*portid = addr.nl_pid;
	return 0;
}

/*
 * Read messages until the reply to request @seq of socket @portid is
 * complete: a data message of @type (copied to @out) followed by its ack
 * (or alone, if not @ack), or an error.  Replies and acks carry the requester's
 * portid; exit records, whose sequence numbers are the kernel's, carry 0.
 * Other messages, exit records included, are read and discarded.
 *
 * The kernel answers a genetlink request within the sendto() that made
 * it: the answer is queued, or lost, before the wait starts.  After
 * recv()'s -ENOBUFS (a full socket, or an ack the kernel could not
 * allocate) an empty queue therefore means the answer was lost:
 * -ENOBUFS, unless its data came and only the ack was lost.  That
 * -ENOBUFS says nothing about exit records, so it is not kept for the
 * socket's drains.
 */
static int wait_reply_fd(int fd, uint32_t portid, uint32_t seq, uint16_t type,
			 bool ack, void *out, int outlen, int timeout_ms,
			 char *msg, int msglen)
{
	int64_t deadline = now_ms() + timeout_ms;
	char *buf = malloc(TS_BUF_LEN);
	bool lost = false;
	int got = 0, rc;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		struct nlmsghdr *nh;
		int len;

		/* Also under a steady stream of other messages. */
		len = now_ms() > deadline ? -ETIMEDOUT :
		      recv_msg(fd, buf, TS_BUF_LEN, lost ? 0 : deadline);
		if (len == -ENOBUFS) {
			lost = true;
			continue;
		}
		if (len < 0) {
			rc = len;
			if (len == -ETIMEDOUT && lost)
				rc = got ? got : -ENOBUFS;
			break;
		}
		for (nh = (void *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_pid != portid || nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nh);

				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					rc = -EPROTO;
					goto out;
				}
				rc = e->error ? e->error : got;
				if (msg)
					ext_ack_msg(nh, msg, msglen);
				goto out;
			}
			if (nh->nlmsg_type != type) {
				rc = -EPROTO;
				goto out;
			}
			if (out) {
				if (nh->nlmsg_len > (unsigned int)outlen) {
					rc = -EMSGSIZE;
					goto out;
				}
				memcpy(out, nh, nh->nlmsg_len);
				got = nh->nlmsg_len;
			}
			if (!ack) {	/* no ack follows the data */
				rc = got;
				goto out;
			}
		}
	}
out:
	free(buf);
	return rc;
}

int ts_family_id(int fd, const char *name, uint32_t *version)
{
	const uint32_t seq = TS_FAMILY_SEQ;
	char *buf = malloc(TS_BUF_LEN);
	struct nlmsghdr *nh = (void *)buf;
	struct nlattr *na;
	int len, rc, id = -EPROTO;
	uint32_t portid = 0;

	if (!buf)
		return -ENOMEM;
	rc = send_req(fd, GENL_ID_CTRL, NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1,
		      CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	/* Sending bound the socket if it was not. */
	if (!rc)
		rc = fd_portid(fd, &portid);
	if (!rc)
		rc = wait_reply_fd(fd, portid, seq, GENL_ID_CTRL, true, buf,
				   TS_BUF_LEN, TS_TIMEOUT_MS, NULL, 0);
	/* The controller's -ENOENT: no such family; a bare ack is broken. */
	if (rc <= 0) {
		free(buf);
		return rc ? rc : -EPROTO;
	}
	if (nh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
		free(buf);
		return -EPROTO;
	}
	for (na = genl_attrs(nh, &len); attr_ok(na, len); na = attr_next(na, &len)) {
		if (na->nla_type == CTRL_ATTR_FAMILY_ID &&
		    na->nla_len >= NLA_HDRLEN + sizeof(uint16_t))
			id = *(uint16_t *)attr_data(na);
		else if (na->nla_type == CTRL_ATTR_VERSION && version &&
			 na->nla_len >= NLA_HDRLEN + sizeof(uint32_t))
			*version = *(uint32_t *)attr_data(na);
	}
	free(buf);
	return id;
}

int ts_open(struct ts_sock *s, uint32_t portid)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_pid = portid };
	socklen_t alen = sizeof(addr);
	int one = 1;
	int rc;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	/*
	 * Error acks without a copy of the (possibly huge) request, but
	 * with the kernel's explanation (ext_ack_msg() relies on both).
	 */
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    bind(s->fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(s->fd, (struct sockaddr *)&addr, &alen)) {
		rc = -errno;
		goto err;
	}
	s->portid = addr.nl_pid;
	rc = ts_family_id(s->fd, TASKSTATS_GENL_NAME, NULL);
	if (rc < 0)
		goto err;
	s->family = rc;
	s->seq = TS_FAMILY_SEQ;	/* the next request is the one after it */
	return 0;
err:
	close(s->fd);
	s->fd = -1;
	return rc;
}

void ts_close(struct ts_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static int send_flags(struct ts_sock *s, uint8_t cmd, uint16_t nlm_flags,
		      uint16_t attr, const void *data, int len)
{
	int rc;

	s->ext_msg[0] = '\0';
	s->seq++;
	rc = send_req(s->fd, s->family, nlm_flags, s->seq, cmd,
		      TASKSTATS_GENL_VERSION, attr, data, len);
	return rc ? rc : (int)s->seq;
}

int ts_send(struct ts_sock *s, uint8_t cmd, uint16_t attr, const void *data,
	    int len)
{
	return send_flags(s, cmd, NLM_F_ACK, attr, data, len);
}

static int wait_reply(struct ts_sock *s, int seq, bool ack, void *buf, int len,
		      int timeout_ms)
{
	s->ext_msg[0] = '\0';
	return wait_reply_fd(s->fd, s->portid, seq, s->family, ack, buf, len,
			     timeout_ms, s->ext_msg, sizeof(s->ext_msg));
}

int ts_wait_reply(struct ts_sock *s, int seq, void *buf, int len,
		  int timeout_ms)
{
	return wait_reply(s, seq, true, buf, len, timeout_ms);
}

/*
 * Send @cmd with @nlm_flags and wait for its data message, copied to @buf.
 * Returns its length, -ENODATA for a bare ack, or -errno.
 */
static int request(struct ts_sock *s, uint8_t cmd, uint16_t nlm_flags,
		   uint16_t attr, const void *data, int len, void *buf)
{
	int seq = send_flags(s, cmd, nlm_flags, attr, data, len);
	int rc;

	if (seq < 0)
		return seq;
	rc = wait_reply(s, seq, nlm_flags & NLM_F_ACK, buf, TS_BUF_LEN,
			TS_TIMEOUT_MS);
	return rc ? rc : -ENODATA;
}

static int parse_aggr(struct nlattr *aggr, struct ts_record *rec)
{
	int rem = aggr->nla_len - NLA_HDRLEN;
	bool have_id = false, have_stats = false;
	struct nlattr *na;

	memset(rec, 0, sizeof(*rec));
	rec->type = aggr->nla_type == TASKSTATS_TYPE_AGGR_PID ?
		    TASKSTATS_TYPE_PID : TASKSTATS_TYPE_TGID;
	for (na = attr_data(aggr); attr_ok(na, rem); na = attr_next(na, &rem)) {
		void *data = attr_data(na);
		int dlen = na->nla_len - NLA_HDRLEN;

		switch (na->nla_type) {
		case TASKSTATS_TYPE_PID:
		case TASKSTATS_TYPE_TGID:
			if (na->nla_type != rec->type || dlen != sizeof(uint32_t))
				return -EPROTO;
			memcpy(&rec->id, data, sizeof(uint32_t));
			have_id = true;
			break;
		case TASKSTATS_TYPE_STATS:
			rec->stats_len = dlen;
			if (dlen > (int)sizeof(rec->st))
				dlen = sizeof(rec->st);
			memcpy(&rec->st, data, dlen);
			have_stats = true;
			break;
		default:	/* padding (TASKSTATS_TYPE_NULL), or newer */
			break;
		}
	}
	return have_id && have_stats ? 0 : -EPROTO;
}

int ts_parse(const void *msg, int len, struct ts_record *rec, int max)
{
	const struct nlmsghdr *nh = msg;
	const struct genlmsghdr *gh = NLMSG_DATA(nh);
	struct nlattr *na;
	int rem, n = 0;

	if (len < (int)NLMSG_LENGTH(GENL_HDRLEN) || nh->nlmsg_len > (unsigned int)len ||
	    gh->cmd != TASKSTATS_CMD_NEW)
		return -EPROTO;
	for (na = genl_attrs(nh, &rem); attr_ok(na, rem); na = attr_next(na, &rem)) {
		/* Padding and newer attributes are skipped, as getdelays does. */
		if (na->nla_type != TASKSTATS_TYPE_AGGR_PID &&
		    na->nla_type != TASKSTATS_TYPE_AGGR_TGID)
			continue;
		if (n == max || parse_aggr(na, &rec[n]))
			return -EPROTO;
		n++;
	}
	return n ? n : -EPROTO;
}

int ts_query_flags(struct ts_sock *s, uint16_t attr, uint32_t id,
		   uint16_t nlm_flags, struct ts_record *rec)
{
	char *buf = malloc(TS_BUF_LEN);
	int rc;

	if (!buf)
		return -ENOMEM;
	rc = request(s, TASKSTATS_CMD_GET, nlm_flags, attr, &id, sizeof(id), buf);
	if (rc > 0)
		rc = ts_parse(buf, rc, rec, 1) == 1 ? 0 : -EPROTO;
	free(buf);
	return rc;
}

int ts_query(struct ts_sock *s, uint16_t attr, uint32_t id,
	     struct ts_record *rec)
{
	return ts_query_flags(s, attr, id, NLM_F_ACK, rec);
}

int ts_may_query(struct ts_sock *s)
{
	struct ts_record rec;
	int rc = ts_query(s, TASKSTATS_CMD_ATTR_PID, 1, &rec);

	return rc == -EPERM ? -EPERM : 0;
}

static int cpumask_cmd(struct ts_sock *s, uint16_t attr, const char *cpulist)
{
	int seq = ts_send(s, TASKSTATS_CMD_GET, attr, cpulist,
			  strlen(cpulist) + 1);

	if (seq < 0)
		return seq;
	return ts_wait_reply(s, seq, NULL, 0, TS_TIMEOUT_MS);
}

int ts_register(struct ts_sock *s, const char *cpulist)
{
	return cpumask_cmd(s, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, cpulist);
}

int ts_deregister(struct ts_sock *s, const char *cpulist)
{
	return cpumask_cmd(s, TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK, cpulist);
}

int ts_cgroupstats_flags(struct ts_sock *s, int fd, uint16_t nlm_flags,
			 struct cgroupstats *cs)
{
	char *buf = malloc(TS_BUF_LEN);
	uint32_t ufd = fd;
	int rc;

	if (!buf)
		return -ENOMEM;
	rc = request(s, CGROUPSTATS_CMD_GET, nlm_flags, CGROUPSTATS_CMD_ATTR_FD,
		     &ufd, sizeof(ufd), buf);
	if (rc > 0) {
		struct nlmsghdr *nh = (void *)buf;
		struct genlmsghdr *gh = NLMSG_DATA(nh);
		struct nlattr *na;
		int rem;

		rc = -EPROTO;
		if (nh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) ||
		    gh->cmd != CGROUPSTATS_CMD_NEW)
			goto out;
		for (na = genl_attrs(nh, &rem); attr_ok(na, rem);
		     na = attr_next(na, &rem)) {
			if (na->nla_type == CGROUPSTATS_TYPE_CGROUP_STATS &&
			    na->nla_len - NLA_HDRLEN >= (int)sizeof(*cs)) {
				memcpy(cs, attr_data(na), sizeof(*cs));
				rc = 0;
				break;
			}
		}
	}
out:
	free(buf);
	return rc;
}

int ts_cgroupstats(struct ts_sock *s, int fd, struct cgroupstats *cs)
{
	return ts_cgroupstats_flags(s, fd, NLM_F_ACK, cs);
}

int ts_recv_exit(struct ts_sock *s, struct ts_record *rec, int max,
		 int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	/* A drain (@timeout_ms 0) reads what is queued, within a bound. */
	int64_t limit = deadline + (timeout_ms ? 0 : TS_TIMEOUT_MS);
	char *buf = malloc(TS_BUF_LEN);
	int len, rc;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		struct nlmsghdr *nh = (void *)buf;

		len = recv_msg(s->fd, buf, TS_BUF_LEN, deadline);
		if (len == -ETIMEDOUT) {
			rc = 0;
			break;
		}
		if (len < 0) {
			rc = len;
			break;
		}
		/*
		 * Exit records are unsolicited: nlmsg_pid is 0 where replies
		 * carry our portid, and the sequence numbers are the kernel's.
		 * Replies that come late are skipped, but not past the limit.
		 */
		if (!NLMSG_OK(nh, len) || nh->nlmsg_type != s->family ||
		    nh->nlmsg_pid != 0) {
			if (now_ms() > limit) {
				rc = 0;
				break;
			}
			continue;
		}
		rc = ts_parse(buf, len, rec, max);
		break;
	}
	free(buf);
	return rc;
}

int ts_wait_exit_of(struct ts_sock *s, pid_t pid, struct ts_record *pid_rec,
		    struct ts_record *tgid_rec, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct ts_record rec[TS_MAX_RECORDS];
	bool lost = false;

	for (;;) {
		int left = deadline - now_ms();
		int n, i;

		if (left <= 0)
			return lost ? -ENOBUFS : -ETIMEDOUT;
		n = ts_recv_exit(s, rec, TS_MAX_RECORDS, left);
		/* The record may still be queued behind an overflow. */
		if (n == -ENOBUFS) {
			lost = true;
			s->overrun = true;
			continue;
		}
		if (n < 0)
			return n;
		if (n == 0)
			return lost ? -ENOBUFS : -ETIMEDOUT;
		if (rec[0].type != TASKSTATS_TYPE_PID || rec[0].id != (uint32_t)pid)
			continue;
		*pid_rec = rec[0];
		if (tgid_rec) {
			memset(tgid_rec, 0, sizeof(*tgid_rec));
			for (i = 1; i < n; i++)
				if (rec[i].type == TASKSTATS_TYPE_TGID)
					*tgid_rec = rec[i];
		}
		return 0;
	}
}

int ts_drain_count_overrun(struct ts_sock *s, pid_t pid, bool *overrun)
{
	int64_t limit = now_ms() + TS_TIMEOUT_MS;
	struct ts_record rec[TS_MAX_RECORDS];
	int count = 0, n, i;

	/* Overflows seen by ts_wait_exit_of() since the last drain count too. */
	*overrun = s->overrun;
	s->overrun = false;
	/* recv() reports an overflow once; the queue goes on after it. */
	do {
		n = ts_recv_exit(s, rec, TS_MAX_RECORDS, 0);
		if (n == -ENOBUFS)
			*overrun = true;
		else if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (pid < 0 ? rec[i].type == TASKSTATS_TYPE_PID :
				      rec[i].id == (uint32_t)pid)
				count++;
	} while (now_ms() <= limit);
	return n < 0 && n != -ENOBUFS ? n : count;
}

int ts_drain_count(struct ts_sock *s, pid_t pid)
{
	bool overrun;
	int n = ts_drain_count_overrun(s, pid, &overrun);

	return n >= 0 && overrun ? -ENOBUFS : n;
}

int ts_allowed_cpus(int *cpus, int max)
{
	cpu_set_t set;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (n < max)
			cpus[n] = cpu;
		n++;
	}
	return n ? n : -EPROTO;
}

int ts_allowed_cpulist(char *buf, size_t len)
{
	size_t pos = 0;
	cpu_set_t set;
	int cpu, end;

	if (!len)
		return -ENOSPC;
	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	buf[0] = '\0';
	for (cpu = 0; cpu < CPU_SETSIZE; cpu = end + 1) {
		int n;

		if (!CPU_ISSET(cpu, &set)) {
			end = cpu;
			continue;
		}
		end = cpu;
		while (end + 1 < CPU_SETSIZE && CPU_ISSET(end + 1, &set))
			end++;
		if (end == cpu)
			n = snprintf(buf + pos, len - pos, "%s%d", pos ? "," : "", cpu);
		else
			n = snprintf(buf + pos, len - pos, "%s%d-%d", pos ? "," : "",
				     cpu, end);
		if (n < 0 || (size_t)n >= len - pos)
			return -ENOSPC;
		pos += n;
	}
	return pos ? 0 : -ENOENT;
}

int ts_pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

pid_t ts_spawn_exit(int cpu, int code)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (cpu >= 0 && ts_pin_to_cpu(cpu))
			_exit(125);
		/*
		 * Make sure the exit happens on @cpu: sched_setaffinity()
		 * migrates us before it returns.
		 */
		_exit(code);
	}
	return pid;
}

int ts_reap(pid_t pid)
{
	int status, i;

	/* Never waitpid(-1) or kill(-1): any child, every process. */
	if (pid <= 0)
		return -1;
	/* Bounded: 10 s in 10 ms steps, then kill. */
	for (i = 0; i < 1000; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0)
			return -1;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

int ts_drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	return 0;
}

void ts_read_comm(pid_t pid, char *comm, size_t len)
{
	char path[64];
	ssize_t n = 0;
	int fd;

	if (!len)
		return;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, comm, len - 1);
		close(fd);
	}
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	comm[n > 0 ? n : 0] = '\0';
}

int ts_write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;	/* sysfs and configfs take a value whole */
	close(fd);
	return rc;
}

int ts_delayacct_set(int on)
{
	static const char path[] = "/proc/sys/kernel/task_delayacct";
	char old[4] = "";
	int fd, rc;
	ssize_t n;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, old, sizeof(old) - 1);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (old[0] != '0' && old[0] != '1')
		return -EPROTO;
	rc = ts_write_file(path, on ? "1" : "0");
	return rc ? rc : old[0] - '0';
}
