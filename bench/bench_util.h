/* SPDX-License-Identifier: MIT */
/* What every benchmark here needs: a monotonic clock and medians. */
#ifndef VG_BENCH_UTIL_H
#define VG_BENCH_UTIL_H

/* Monotonic seconds. */
double bench_now_s(void);
/* The median of v[0..n) (n >= 1); sorts v in place. */
double bench_median(double *v, int n);

#endif
