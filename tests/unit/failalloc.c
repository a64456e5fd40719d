/* The wrappers of tests/unit/failalloc.h. */
#include <stdlib.h>

#include "failalloc.h"

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);
void	*__real_aligned_alloc(size_t, size_t);
void	*__wrap_malloc(size_t);
void	*__wrap_calloc(size_t, size_t);
void	*__wrap_realloc(void *, size_t);
void	*__wrap_aligned_alloc(size_t, size_t);

/* Allocations to go before the one that fails; -1: none fails. */
static long left = -1;
static int failed;

void
failalloc_at(long n)
{
	left = n;
	failed = 0;
}

int
failalloc_off(void)
{
	left = -1;
	return failed;
}

static int
fail(void)
{
	if (left < 0)
		return 0;
	if (left-- > 0)
		return 0;
	failed = 1;		/* left is -1 again: this one only */
	return 1;
}

void *
__wrap_malloc(size_t n)
{
	return fail() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return fail() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return fail() ? NULL : __real_realloc(p, n);
}

void *
__wrap_aligned_alloc(size_t align, size_t n)
{
	return fail() ? NULL : __real_aligned_alloc(align, n);
}
