/*
 * Helpers shared by the unit tests: a stack to test on, writes that must
 * succeed or fail, reading a namespace file and looking for a line in it,
 * addresses parsed with an assertion, the clock run the way an event loop
 * runs it, and scratch files.  Every helper fails the test itself (cmocka
 * fail_msg or an assertion), so the callers need not check.
 *
 * Include it after the cmocka headers.
 */
#ifndef TESTS_UNIT_UTIL_H
#define TESTS_UNIT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

#define PATHLEN	4096

/* How count_matches compares a line of the file with the text. */
#define MATCH_LINE	0	/* the whole line */
#define MATCH_WORD	1	/* its start, then a blank or the line's end */
#define MATCH_START	2	/* its start, whatever follows */

/* Parse an address that must parse. */
static inline struct ipifc_ip
ip(const char *s)
{
	struct ipifc_ip a;

	assert_int_equal(ipifc_ip_parse(s, &a), 0);
	return a;
}

/* A stack with this id whose clock starts at now, and lowered bounds
 * (0: the default) to test them. */
static inline struct ipifc_stack *
mkstack_bounds(uint32_t id, uint64_t now, int maxifc, int maxlifc,
    int maxgroups)
{
	struct ipifc_stack_config cfg;
	struct ipifc_stack *s;

	memset(&cfg, 0, sizeof(cfg));
	cfg.id = id;
	cfg.now = now;
	cfg.maxifc = maxifc;
	cfg.maxlifc = maxlifc;
	cfg.maxgroups = maxgroups;
	s = ipifc_stack_new(&cfg);
	assert_non_null(s);
	return s;
}

/* A stack with this id whose clock starts at now. */
static inline struct ipifc_stack *
mkstack(uint32_t id, uint64_t now)
{
	return mkstack_bounds(id, now, 0, 0, 0);
}

/*
 * The cmocka teardown of a fixture that begins with its stack (struct fix
 * { struct ipifc_stack *s; ... }): frees the stack.
 */
static inline int
teardown_stack(void **state)
{
	struct ipifc_stack **s = *state;

	ipifc_stack_free(*s);
	return 0;
}

/* A write as client c (NULL: none) that must succeed. */
static inline void
w_as(struct ipifc_stack *s, struct ipifc_client *c, const char *path,
    const char *text)
{
	const char *err = ipifc_write(s, c, path, text, NULL, 0);

	if (err != NULL)
		fail_msg("write %s \"%s\": %s", path, text, err);
}

/* A write that must succeed. */
static inline void
w(struct ipifc_stack *s, const char *path, const char *text)
{
	w_as(s, NULL, path, text);
}

/* A write as client c that must fail with a one-line error; returns it. */
static inline const char *
wfail_as(struct ipifc_stack *s, struct ipifc_client *c, const char *path,
    const char *text)
{
	const char *err = ipifc_write(s, c, path, text, NULL, 0);

	if (err == NULL)
		fail_msg("write %s \"%s\" succeeded", path, text);
	if (err[0] == '\0' || strchr(err, '\n') != NULL)
		fail_msg("write %s \"%s\": error is not one line: \"%s\"",
		    path, text, err);
	return err;
}

/* A write that must fail with a one-line error; returns it. */
static inline const char *
wfail(struct ipifc_stack *s, const char *path, const char *text)
{
	return wfail_as(s, NULL, path, text);
}

/* The text of a file that must read; free it. */
static inline char *
rd(struct ipifc_stack *s, const char *path)
{
	const char *err;
	char *t = ipifc_read(s, path, &err);

	if (t == NULL)
		fail_msg("read %s: %s", path, err);
	return t;
}

/* How many lines of the file match text, as how (MATCH_*) says? */
static inline int
count_matches(struct ipifc_stack *s, const char *path, const char *text,
    int how)
{
	char *t = rd(s, path), *p;
	size_t n = strlen(text);
	int count = 0;

	for (p = t; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, text, n) != 0)
			continue;
		if (p[n] == '\n' || (how == MATCH_WORD && p[n] == ' ') ||
		    (how == MATCH_START && p[n] != '\0'))
			count++;
	}
	free(t);
	return count;
}

/* Does the file hold this exact line? */
static inline int
file_has(struct ipifc_stack *s, const char *path, const char *line)
{
	return count_matches(s, path, line, MATCH_LINE) > 0;
}

/*
 * Word n (0: the first) of the file's first line that begins with the
 * word first, into buf; 0, or -1 when there is no such line or word.
 */
static inline int
file_word(struct ipifc_stack *s, const char *path, const char *first, int n,
    char *buf, size_t len)
{
	char *t = rd(s, path), *p, *e;
	size_t k = strlen(first), m;
	int rc = -1;

	for (p = t; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (strncmp(p, first, k) != 0 || (p[k] != ' ' && p + k != e))
			continue;
		while (p < e && n-- > 0) {
			p += strcspn(p, " \n");
			p += strspn(p, " ");
		}
		m = strcspn(p, " \n");
		if (p < e && m < len) {
			memcpy(buf, p, m);
			buf[m] = '\0';
			rc = 0;
		}
		break;
	}
	free(t);
	return rc;
}

/* Does some line of the file begin with this word? */
static inline int
file_has_word(struct ipifc_stack *s, const char *path, const char *word)
{
	return count_matches(s, path, word, MATCH_WORD) > 0;
}

/* As an event loop does: wake at every deadline on the way to t. */
static inline void
run_until(struct ipifc_stack *s, uint64_t t)
{
	uint64_t d;

	while ((d = ipifc_next_deadline(s)) <= t && d > ipifc_now(s))
		ipifc_advance(s, d);
	ipifc_advance(s, t);
}

/* A fresh file $TMPDIR/tag.XXXXXX (or in /tmp); its name into path[PATHLEN]. */
static inline void
tmpname(char *path, const char *tag)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	assert_true((size_t)snprintf(path, PATHLEN, "%s/%s.XXXXXX", dir,
	    tag) < PATHLEN);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

/* The whole of a file, in a buffer to free, and its length. */
static inline uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Little-endian fields (pcap files are, whatever the host). */
static inline uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* xorshift32: deterministic, so a failure repeats. */
static inline uint32_t
xorshift32(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

#endif /* TESTS_UNIT_UTIL_H */
