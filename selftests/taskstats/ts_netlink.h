/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small generic netlink client for the taskstats selftests: resolve the
 * TASKSTATS family, send TASKSTATS_CMD_GET / CGROUPSTATS_CMD_GET requests,
 * wait for replies and exit records with a timeout, and parse them.
 */
#ifndef TS_NETLINK_H
#define TS_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <linux/taskstats.h>
#include <linux/cgroupstats.h>

/*
 * The versions since which the records these tests read have the fields
 * they check.  Version 18 changed what TGID records hold, not PID records
 * or the layout, so the tests of PID records and of delivery accept 17
 * and later, and the tests of what a TGID record holds 18 and later.
 */
#define TS_PID_VERSION	17
#define TS_TGID_VERSION	18

/* A named __u64 field of struct taskstats, for the tables tests walk. */
struct ts_u64_field {
	const char *name;
	size_t offset;
};

#define TS_U64_FIELD(f)	{ #f, offsetof(struct taskstats, f) }

/* The __u64 field of @st at @offset. */
static inline uint64_t ts_u64_at(const struct taskstats *st, size_t offset)
{
	uint64_t v;

	memcpy(&v, (const char *)st + offset, sizeof(v));
	return v;
}

/* Every blocking receive in these tests is bounded by this many ms. */
#define TS_TIMEOUT_MS	5000

struct ts_sock {
	int fd;
	uint16_t family;	/* genetlink id of TASKSTATS */
	uint32_t portid;	/* netlink portid the kernel bound us to */
	uint32_t seq;
	bool overrun;		/* ts_wait_exit_of() read an overflow a drain has
				 * not reported yet
				 */
	char ext_msg[128];	/* extended ack message of the last error */
};

/* The sequence number of ts_family_id()'s request; ts_open() goes on. */
#define TS_FAMILY_SEQ	1

/* One record of a TASKSTATS_CMD_NEW message: AGGR_PID or AGGR_TGID. */
struct ts_record {
	int type;		/* TASKSTATS_TYPE_PID or TASKSTATS_TYPE_TGID */
	uint32_t id;		/* the pid or tgid the record is about */
	uint32_t stats_len;	/* payload length the kernel sent */
	struct taskstats st;	/* zero-padded if the kernel's is shorter */
};

#define TS_MAX_RECORDS	2

/*
 * Open a NETLINK_GENERIC socket bound to @portid (0: kernel chooses) and
 * resolve the TASKSTATS family.  Returns 0 or -errno.
 */
int ts_open(struct ts_sock *s, uint32_t portid);
void ts_close(struct ts_sock *s);

/*
 * Resolve a genetlink family by name; returns its id or -errno: the
 * controller's -ENOENT when there is no such family, -EPROTO for a reply
 * without an id.
 */
int ts_family_id(int fd, const char *name, uint32_t *version);

/*
 * Send @cmd to the TASKSTATS family with at most one attribute and
 * NLM_F_ACK.  Returns the sequence number used, or -errno.
 */
int ts_send(struct ts_sock *s, uint8_t cmd, uint16_t attr,
	    const void *data, int len);

/*
 * Wait for the answer to request @seq (sent with NLM_F_ACK): copies the
 * data message (if any) to @buf and returns its length (0 if @buf is
 * NULL), 0 for a bare ack, or -errno from the kernel's error message,
 * whose extended ack message (if any) is left in @s->ext_msg.
 * -ETIMEDOUT after @timeout_ms; -ENOBUFS if the socket overflowed, or the
 * kernel could not allocate the ack, and the answer was lost with it.
 * Messages of other requests and exit records that arrive meanwhile are
 * read and discarded.
 *
 * Here and below, -errno may also come from the socket calls themselves
 * (sendto() beyond the socket's send buffer or out of memory, recv()):
 * the tests' requests are a few bytes, on a socket that ts_open() set up.
 */
int ts_wait_reply(struct ts_sock *s, int seq, void *buf, int len,
		  int timeout_ms);

/* PID or TGID query; fills @rec.  Returns 0, -ENODATA or -errno. */
int ts_query(struct ts_sock *s, uint16_t attr, uint32_t id,
	     struct ts_record *rec);
/*
 * The same with @nlm_flags (0 or NLM_F_ACK) instead of NLM_F_ACK: without
 * it the kernel answers with the reply or an error alone.  Only for
 * requests that the kernel answers with data on success.
 */
int ts_query_flags(struct ts_sock *s, uint16_t attr, uint32_t id,
		   uint16_t nlm_flags, struct ts_record *rec);

/*
 * Whether this process may send what the tests send (queries of any task,
 * registration), which needs CAP_NET_ADMIN: a PID query of init (pid 1),
 * which needs it however a kernel treats queries of the caller's own
 * tasks.  Returns 0, or -EPERM if it was refused; the tests that need it
 * SKIP then, as kselftest asks of a test run without the privilege it
 * needs.
 */
int ts_may_query(struct ts_sock *s);
#define TS_NEEDS_ADMIN	"needs CAP_NET_ADMIN (queries of any task, registration): run as root"

/* Register / deregister this socket for exit records on @cpulist. */
int ts_register(struct ts_sock *s, const char *cpulist);
int ts_deregister(struct ts_sock *s, const char *cpulist);
/* CGROUPSTATS_CMD_GET for @fd.  Returns 0, -ENODATA or -errno. */
int ts_cgroupstats(struct ts_sock *s, int fd, struct cgroupstats *cs);
/* The same with @nlm_flags, as ts_query_flags(). */
int ts_cgroupstats_flags(struct ts_sock *s, int fd, uint16_t nlm_flags,
			 struct cgroupstats *cs);

/*
 * Parse a TASKSTATS_CMD_NEW message into at most @max records; padding and
 * unknown attributes are skipped.  Returns the number of records, or
 * -EPROTO if the message is malformed or has none.
 */
int ts_parse(const void *msg, int len, struct ts_record *rec, int max);

/*
 * Receive the next exit record message within @timeout_ms (0: only what
 * is queued, within TS_TIMEOUT_MS).  Returns the number of records parsed
 * into @rec, 0 on timeout, or -errno (-ENOBUFS when the socket overflowed).
 */
int ts_recv_exit(struct ts_sock *s, struct ts_record *rec, int max,
		 int timeout_ms);

/*
 * Read exit records until one of type TASKSTATS_TYPE_PID for @pid arrives.
 * Copies it to @pid_rec and, if the same message carried a TGID record,
 * that to @tgid_rec (whose type is 0 otherwise).  Returns 0, -ETIMEDOUT,
 * -ENOBUFS if the socket overflowed and the record did not come, or
 * -errno.
 */
int ts_wait_exit_of(struct ts_sock *s, pid_t pid, struct ts_record *pid_rec,
		    struct ts_record *tgid_rec, int timeout_ms);

/*
 * Count queued exit records for @pid (any task's PID records if @pid < 0)
 * without blocking; drains the queue (within TS_TIMEOUT_MS).  -ENOBUFS if
 * the socket overflowed since the last drain, here or while
 * ts_wait_exit_of() read it (records were lost, so records did arrive).
 */
int ts_drain_count(struct ts_sock *s, pid_t pid);
/*
 * The same, but the overflow is reported in @overrun and the queue drained
 * past it: returns the count of the records that were not lost, or -errno.
 */
int ts_drain_count_overrun(struct ts_sock *s, pid_t pid, bool *overrun);

/* Helpers for the tests. */
/*
 * The CPUs this process may run on (sched_getaffinity()), lowest first:
 * returns how many there are and stores up to @max of them in @cpus.
 */
int ts_allowed_cpus(int *cpus, int max);
/* The same CPUs as a cpulist ("0-1,3").  Returns 0 or -errno. */
int ts_allowed_cpulist(char *buf, size_t len);
int ts_pin_to_cpu(int cpu);
/* Fork a child that pins itself to @cpu (or none if < 0) and exits @code. */
pid_t ts_spawn_exit(int cpu, int code);
/* waitpid() with a bound; returns the status, or -1 (also for @pid <= 0). */
int ts_reap(pid_t pid);
/* Drop to uid/gid 65534 with no capabilities left. */
int ts_drop_privileges(void);
/* /proc/<pid>/comm without the newline ("" if unreadable). */
void ts_read_comm(pid_t pid, char *comm, size_t len);
/* Write @text to the file @path.  Returns 0, -EIO if short, or -errno. */
int ts_write_file(const char *path, const char *text);
/*
 * Set kernel.task_delayacct to @on (0 or 1).  Returns the earlier setting,
 * for the teardown to restore, or -errno: -ENOENT without
 * CONFIG_TASK_DELAY_ACCT, -EACCES without root.  Only tasks forked while
 * it is on get delay counters (and sched_info's cpu_* fields count in
 * either case).
 */
int ts_delayacct_set(int on);

#endif /* TS_NETLINK_H */
