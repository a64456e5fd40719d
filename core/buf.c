/*
 * Growable text buffers for the namespace files, and line splitting for
 * the ctl language.
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
