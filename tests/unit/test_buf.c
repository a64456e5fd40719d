/*
 * Text buffers and line splitting (core/buf.c): the buffer grows without
 * losing what it holds, across many small appends and single large ones;
 * the tokenizer splits on blanks, tabs, CR and LF, in place, and refuses a
 * line with more words than asked for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* The buffer is a C string of len bytes inside cap. */
static void
check_buf(const struct ipifc_buf *b)
{
	assert_false(b->oom);
	assert_non_null(b->p);
	assert_true(b->len < b->cap);
	assert_int_equal(strlen(b->p), b->len);
}

static void
test_buf_empty_append(void **state)
{
	struct ipifc_buf b;

	(void)state;
	memset(&b, 0, sizeof(b));
	ipifc_buf_printf(&b, "%s", "");
	check_buf(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	free(b.p);
}

static void
test_buf_many_appends(void **state)
{
	struct ipifc_buf b;
	char *want, *w;
	size_t wantlen = 0, lastcap = 0;
	int i, grew = 0;

	(void)state;
	memset(&b, 0, sizeof(b));
	want = malloc(200000);
	assert_non_null(want);
	w = want;
	for (i = 0; i < 20000; i++) {
		ipifc_buf_printf(&b, "%d %s\n", i, i % 7 ? "x" : "seven");
		w += sprintf(w, "%d %s\n", i, i % 7 ? "x" : "seven");
		wantlen = (size_t)(w - want);
		check_buf(&b);
		assert_int_equal(b.len, wantlen);
		if (b.cap != lastcap) {
			grew++;
			lastcap = b.cap;
		}
	}
	assert_string_equal(b.p, want);
	/* doubling: a handful of reallocations, not one per append */
	assert_true(grew > 1);
	assert_true(grew < 40);
	free(want);
	free(b.p);
}

static void
test_buf_large_strings(void **state)
{
	struct ipifc_buf b;
	size_t big = 1 << 20, i;
	char *s;

	(void)state;
	s = malloc(big + 1);
	assert_non_null(s);
	for (i = 0; i < big; i++)
		s[i] = (char)('a' + i % 26);
	s[big] = '\0';

	memset(&b, 0, sizeof(b));
	ipifc_buf_printf(&b, "head ");
	ipifc_buf_printf(&b, "%s", s);		/* far past the first block */
	check_buf(&b);
	assert_int_equal(b.len, 5 + big);
	assert_memory_equal(b.p, "head ", 5);
	assert_memory_equal(b.p + 5, s, big);
	ipifc_buf_printf(&b, "|%s|%d", s, 42);	/* and again on top */
	check_buf(&b);
	assert_int_equal(b.len, 5 + big + 1 + big + 1 + 2);
	assert_memory_equal(b.p + 5 + big, "|", 1);
	assert_memory_equal(b.p + 5 + big + 1, s, big);
	assert_string_equal(b.p + 5 + 2 * big + 1, "|42");
	free(b.p);

	/* exactly filling the first block, then one byte more */
	memset(&b, 0, sizeof(b));
	s[255] = '\0';
	ipifc_buf_printf(&b, "%s", s);
	check_buf(&b);
	assert_int_equal(b.len, 255);
	ipifc_buf_printf(&b, "Z");
	check_buf(&b);
	assert_int_equal(b.len, 256);
	assert_int_equal(b.p[255], 'Z');
	free(b.p);
	free(s);
}

static void
test_tokenize_blanks(void **state)
{
	char line[] = "  add\t10.0.0.1 \t /24\r\n";
	char *argv[8];

	(void)state;
	assert_int_equal(ipifc_tokenize(line, argv, 8), 3);
	assert_string_equal(argv[0], "add");
	assert_string_equal(argv[1], "10.0.0.1");
	assert_string_equal(argv[2], "/24");
	/* in place: the words point into the line */
	assert_true(argv[0] >= line && argv[2] < line + sizeof(line));
}

static void
test_tokenize_crlf_inside(void **state)
{
	char line[] = "a\rb\nc\r\nd";
	char *argv[8];

	(void)state;
	assert_int_equal(ipifc_tokenize(line, argv, 8), 4);
	assert_string_equal(argv[0], "a");
	assert_string_equal(argv[1], "b");
	assert_string_equal(argv[2], "c");
	assert_string_equal(argv[3], "d");
}

static void
test_tokenize_empty(void **state)
{
	char e1[] = "", e2[] = " \t\r\n  \n", e3[] = "\n";
	char *argv[4];

	(void)state;
	assert_int_equal(ipifc_tokenize(e1, argv, 4), 0);
	assert_int_equal(ipifc_tokenize(e2, argv, 4), 0);
	assert_int_equal(ipifc_tokenize(e3, argv, 4), 0);
	/* no words fit in zero slots, and none are needed */
	assert_int_equal(ipifc_tokenize(e2, argv, 0), 0);
}

static void
test_tokenize_max(void **state)
{
	char l1[] = "w0 w1 w2 w3";
	char l2[] = "w0 w1 w2 w3 \t\r\n";	/* trailing blanks: still 4 */
	char l3[] = "w0 w1 w2 w3 w4";
	char l4[] = "w0";
	char *argv[5];

	(void)state;
	argv[4] = (char *)"sentinel";
	assert_int_equal(ipifc_tokenize(l1, argv, 4), 4);
	assert_string_equal(argv[3], "w3");
	assert_int_equal(ipifc_tokenize(l2, argv, 4), 4);
	assert_string_equal(argv[3], "w3");
	assert_int_equal(ipifc_tokenize(l3, argv, 4), -1);
	/* nothing written past max */
	assert_string_equal(argv[4], "sentinel");
	assert_int_equal(ipifc_tokenize(l4, argv, 0), -1);
}

static void
test_tokenize_one_word(void **state)
{
	char line[] = "up";
	char *argv[2];

	(void)state;
	assert_int_equal(ipifc_tokenize(line, argv, 2), 1);
	assert_ptr_equal(argv[0], line);
	assert_string_equal(argv[0], "up");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_empty_append),
		cmocka_unit_test(test_buf_many_appends),
		cmocka_unit_test(test_buf_large_strings),
		cmocka_unit_test(test_tokenize_blanks),
		cmocka_unit_test(test_tokenize_crlf_inside),
		cmocka_unit_test(test_tokenize_empty),
		cmocka_unit_test(test_tokenize_max),
		cmocka_unit_test(test_tokenize_one_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
