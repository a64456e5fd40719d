/*
 * Allocation failures on demand, for the unit tests: every test is linked
 * with malloc, calloc, realloc and aligned_alloc wrapped (ld --wrap, see
 * tests/meson.build), and the wrappers fail the one allocation asked for.
 * The library knows nothing of it.
 */
#ifndef TESTS_UNIT_FAILALLOC_H
#define TESTS_UNIT_FAILALLOC_H

/* Fail the allocation n allocations from now (0: the next), that one only. */
void	failalloc_at(long n);

/* Fail none from now; has the one asked for come (and failed)? */
int	failalloc_off(void);

#endif
