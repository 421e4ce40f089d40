/* SPDX-License-Identifier: ISC */
/*
 * stats.h - the clock and the sorting the benchmark programs share:
 * milliseconds on the monotonic clock, and doubles sorted for medians
 * and percentiles.
 */
#ifndef CD_BENCH_STATS_H
#define CD_BENCH_STATS_H

#include <stdlib.h>
#include <time.h>

static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v in place; the middle value. */
static inline double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

#endif
