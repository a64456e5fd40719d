/*
 * What the C benchmarks share: a fixed random sequence (the same inputs
 * every run), the thread's CPU time (a shared machine's other work
 * counts less than in wall time), and the median of a round's figures.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* xorshift64: the next of a sequence that is the same every run */
static inline uint32_t
rnd(void)
{
	static uint64_t rs = 88172645463325252ull;

	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 16);
}

/* seconds of this thread's CPU time */
static inline double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int
bench_dcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* the median of n figures (sorts them) */
static inline double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_dcmp);
	return v[n / 2];
}

#endif
