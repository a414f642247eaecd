// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_unicast() delivers each message once, whatever its length.
 *
 * The length that netlink_unicast() returns is that of the message as it
 * was queued, or dropped by the receiver's socket filter, and a socket
 * filter may trim a message down to one byte.  Internally, 1 is also the
 * value with which netlink_attachskb() asks for another lookup of the
 * destination, so a change that lets the length reach that test queues
 * a message twice or frees it before its retry.  These cases send one-byte
 * messages between two user sockets, with and without a receiver filter,
 * and a generic netlink request whose reply and ACK the receiver's filter
 * trims to one byte, and check that every message arrives exactly once
 * and that send() returns what it always has.  No privilege is needed.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"

#define SENDS	4

/* Classic BPF: keep one byte of every message, or none (drop it). */
static struct sock_filter ret_1[] = { BPF_STMT(BPF_RET | BPF_K, 1) };
static struct sock_filter ret_0[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
static const struct sock_fprog keep_one_byte = { .len = 1, .filter = ret_1 };
static const struct sock_fprog drop_all = { .len = 1, .filter = ret_0 };

/* CTRL_CMD_GETFAMILY "nlctrl" with an ACK: a reply, then the ACK. */
static const struct {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	struct nlattr name_attr;
	char name[8];
} getfamily_nlctrl = {
	.nlh = {
		.nlmsg_len	= sizeof(getfamily_nlctrl),
		.nlmsg_type	= GENL_ID_CTRL,
		.nlmsg_flags	= NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq	= 1,
	},
	.genl = {
		.cmd		= CTRL_CMD_GETFAMILY,
		.version	= 1,
	},
	.name_attr = {
		.nla_len	= NLA_HDRLEN + sizeof("nlctrl"),
		.nla_type	= CTRL_ATTR_FAMILY_NAME,
	},
	.name = "nlctrl",
};

static int nl_socket(int protocol, const struct sock_fprog *filter)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (filter && setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER,
				  filter, sizeof(*filter)))) {
		close(fd);
		return -1;
	}
	return fd;
}

static __u32 nl_portid(int fd)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len))
		return 0;
	return sa.nl_pid;
}

/*
 * Receive what is queued on @fd without waiting: the number of messages,
 * with the length of each (its whole length, MSG_TRUNC) in @lens, its
 * first byte in @first and, if it holds a netlink header, its type in
 * @types (else 0).  A message that is queued twice shows up as one more
 * here, and out of order in @first.
 */
static int drain(int fd, ssize_t *lens, __u8 *first, __u16 *types, int max)
{
	union {
		struct nlmsghdr nlh;	/* aligns the buffer for it */
		char buf[8192];
	} u;
	int n = 0;

	for (;;) {
		ssize_t r = recv(fd, u.buf, sizeof(u.buf), MSG_DONTWAIT | MSG_TRUNC);

		if (r < 0)
			return errno == EAGAIN ? n : -errno;
		if (n < max) {
			lens[n] = r;
			first[n] = r > 0 ? (__u8)u.buf[0] : 0;
			types[n] = r >= NLMSG_HDRLEN ? u.nlh.nlmsg_type : 0;
		}
		n++;
	}
}

/*
 * NETLINK_USERSOCK: one user socket sends to another by portid, the path
 * of netlink_unicast() that queues on a user socket.
 */
FIXTURE(usersock) {
	int tx, rx;
	__u32 rx_portid;
};

FIXTURE_VARIANT(usersock) {
	const struct sock_fprog *filter;	/* the receiver's */
	size_t len;				/* of each message sent */
	ssize_t sent;				/* what send() returns */
	ssize_t received;			/* each message's length, 0: none */
};

FIXTURE_VARIANT_ADD(usersock, one_byte) {
	.len = 1, .sent = 1, .received = 1,
};

FIXTURE_VARIANT_ADD(usersock, one_byte_kept_by_filter) {
	.filter = &keep_one_byte, .len = 1, .sent = 1, .received = 1,
};

FIXTURE_VARIANT_ADD(usersock, one_byte_dropped_by_filter) {
	.filter = &drop_all, .len = 1, .sent = 1, .received = 0,
};

FIXTURE_VARIANT_ADD(usersock, trimmed_to_one_byte) {
	.filter = &keep_one_byte, .len = 64, .sent = 1, .received = 1,
};

FIXTURE_VARIANT_ADD(usersock, dropped_by_filter) {
	.filter = &drop_all, .len = 64, .sent = 64, .received = 0,
};

FIXTURE_VARIANT_ADD(usersock, unfiltered) {
	.len = 64, .sent = 64, .received = 64,
};

FIXTURE_SETUP(usersock)
{
	self->tx = nl_socket(NETLINK_USERSOCK, NULL);
	ASSERT_LE(0, self->tx) TH_LOG("NETLINK_USERSOCK socket: %s", strerror(errno));
	self->rx = nl_socket(NETLINK_USERSOCK, variant->filter);
	ASSERT_LE(0, self->rx) TH_LOG("receiver with filter: %s", strerror(errno));
	self->rx_portid = nl_portid(self->rx);
	ASSERT_NE(0U, self->rx_portid);
}

FIXTURE_TEARDOWN(usersock)
{
	close(self->tx);
	close(self->rx);
}

TEST_F(usersock, delivered_once)
{
	struct sockaddr_nl to = {
		.nl_family = AF_NETLINK,
		.nl_pid = self->rx_portid,
	};
	ssize_t lens[SENDS + 1];
	__u16 types[SENDS + 1];
	__u8 first[SENDS + 1];
	char msg[64];
	int i, n;

	memset(msg, 0x5a, sizeof(msg));
	for (i = 0; i < SENDS; i++) {
		ssize_t r;

		msg[0] = 'a' + i;	/* which message, in its first byte */
		r = sendto(self->tx, msg, variant->len, 0,
			   (struct sockaddr *)&to, sizeof(to));

		ASSERT_EQ(variant->sent, r) TH_LOG("send %d: %s", i,
						   r < 0 ? strerror(errno) : "length");
	}
	n = drain(self->rx, lens, first, types, SENDS + 1);
	ASSERT_EQ(variant->received ? SENDS : 0, n)
		TH_LOG("%d messages sent, %d received", SENDS, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(variant->received, lens[i]);
		EXPECT_EQ('a' + i, first[i]) TH_LOG("message %d", i);
	}
}

/*
 * NETLINK_GENERIC: a request to the kernel, whose reply and ACK the kernel
 * unicasts to the requesting socket (genlmsg_reply(), netlink_ack()).
 */
FIXTURE(genl) {
	int fd;
};

FIXTURE_VARIANT(genl) {
	const struct sock_fprog *filter;
	bool trimmed;		/* the filter trims each message to a byte */
};

FIXTURE_VARIANT_ADD(genl, unfiltered) {
	.trimmed = false,
};

FIXTURE_VARIANT_ADD(genl, reply_and_ack_trimmed) {
	.filter = &keep_one_byte, .trimmed = true,
};

FIXTURE_SETUP(genl)
{
	self->fd = nl_socket(NETLINK_GENERIC, variant->filter);
	ASSERT_LE(0, self->fd) TH_LOG("NETLINK_GENERIC socket: %s", strerror(errno));
}

FIXTURE_TEARDOWN(genl)
{
	close(self->fd);
}

TEST_F(genl, reply_and_ack_once)
{
	ssize_t lens[4];
	__u16 types[4];
	__u8 first[4];
	int i, n;

	ASSERT_EQ((ssize_t)sizeof(getfamily_nlctrl),
		  send(self->fd, &getfamily_nlctrl, sizeof(getfamily_nlctrl), 0));
	/* The kernel answers within send(): both are queued when it returns. */
	n = drain(self->fd, lens, first, types, 4);
	ASSERT_EQ(2, n) TH_LOG("want a reply and an ACK, received %d messages", n);
	if (variant->trimmed) {
		for (i = 0; i < n; i++)
			EXPECT_EQ(1, lens[i]);
		return;
	}
	/* The family's description, then the ACK (an NLMSG_ERROR of 0). */
	EXPECT_EQ(GENL_ID_CTRL, types[0]);
	EXPECT_LT((ssize_t)sizeof(getfamily_nlctrl), lens[0]);
	EXPECT_EQ(NLMSG_ERROR, types[1]);
	EXPECT_EQ((ssize_t)(NLMSG_HDRLEN + sizeof(struct nlmsgerr)), lens[1]);
}

TEST_HARNESS_MAIN
