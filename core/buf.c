/*
 * Growable text buffers for the namespace files, and line splitting and
 * decimals for the ctl language and the commands of the tools.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* A ctl message's one-line error, kept in the stack. */
const char *
ipifc_errf(struct ipifc_stack *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return s->err;
}

void
ipifc_buf_printf(struct ipifc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t need;
	char *p;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	need = b->len + (size_t)n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < need)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int
ipifc_tokenize(char *line, char **argv, int max)
{
	int n = 0;

	for (;;) {
		while (*line == ' ' || *line == '\t' || *line == '\n' ||
		    *line == '\r')
			line++;
		if (*line == '\0')
			break;
		if (n == max)
			return -1;	/* too many words */
		argv[n++] = line;
		while (*line != '\0' && *line != ' ' && *line != '\t' &&
		    *line != '\n' && *line != '\r')
			line++;
		if (*line == '\0')
			break;
		*line++ = '\0';
	}
	return n;
}

int
ipifc_decimal(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned d;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*s != '\0')
		return -1;
	*out = v;
	return 0;
}
