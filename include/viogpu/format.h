/* SPDX-License-Identifier: MIT */
/*
 * VG_PRINTF(fmt, first): a printf-like function's format attribute.  On
 * mingw, GCC checks plain `printf` against the Microsoft C runtime's
 * printf (no %zu, %jd, %llu...); the Windows build uses mingw's C99 stdio
 * (__USE_MINGW_ANSI_STDIO, set in cross/x86_64-w64-mingw32.txt), which
 * GCC checks as gnu_printf.
 */
#ifndef VIOGPU_FORMAT_H
#define VIOGPU_FORMAT_H

#ifdef __MINGW32__
#define VG_PRINTF(fmt, first) __attribute__((format(gnu_printf, fmt, first)))
#else
#define VG_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#endif

#endif
