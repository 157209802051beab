// SPDX-License-Identifier: MIT
/* Synchronization-level checks; see dod_level.h. */
#include "dod_level.h"
#include "viogpu/format.h"

#include <stdarg.h>

VG_PRINTF(2, 3)
static void violation(struct dod_levels *l, const char *fmt, ...)
{
	atomic_fetch_add(&l->violations, 1);
	if (!l->log_os)
		return;
	va_list ap;
	va_start(ap, fmt);
	l->log_os->ops->vlog(l->log_os, VG_LOG_ERROR, fmt, ap);
	va_end(ap);
}

static int child_io_busy(struct dod_levels *l)
{
	int n = 0;
	for (unsigned i = 0; i < VG_DOD_MAX_CHILDREN; i++)
		n += atomic_load(&l->child_io[i]);
	return n;
}

bool dod_enter_zero(struct dod_levels *l, const char *ddi)
{
	atomic_fetch_add(&l->zero, 1);
	if (atomic_load(&l->third)) {
		atomic_fetch_sub(&l->zero, 1);
		violation(l,
			  "level violation: %s (zero level) entered during a "
			  "third-level call",
			  ddi);
		return false;
	}
	return true;
}

void dod_exit_zero(struct dod_levels *l)
{
	atomic_fetch_sub(&l->zero, 1);
}

bool dod_enter_present(struct dod_levels *l)
{
	atomic_fetch_add(&l->presents, 1);
	int s = atomic_load(&l->second), t = atomic_load(&l->third);
	if (s || t) {
		atomic_fetch_sub(&l->presents, 1);
		violation(l,
			  "level violation: PresentDisplayOnly (zero level) "
			  "entered during a %s-level call",
			  t ? "third" : "second");
		return false;
	}
	return true;
}

void dod_exit_present(struct dod_levels *l)
{
	atomic_fetch_sub(&l->presents, 1);
}

bool dod_enter_pointer(struct dod_levels *l, const char *ddi)
{
	int prev = atomic_fetch_add(&l->pointer, 1);
	int t = atomic_load(&l->third);
	if (prev || t) {
		atomic_fetch_sub(&l->pointer, 1);
		violation(l,
			  "level violation: %s (first level, pointer class) "
			  "entered while %s",
			  ddi,
			  prev ? "another pointer call runs"
			       : "a third-level call runs");
		return false;
	}
	return true;
}

void dod_exit_pointer(struct dod_levels *l)
{
	atomic_fetch_sub(&l->pointer, 1);
}

bool dod_enter_child(struct dod_levels *l, uint32_t child, const char *ddi)
{
	if (child >= VG_DOD_MAX_CHILDREN)
		return true; /* the entry refuses the uid itself */
	int prev = atomic_fetch_add(&l->child_io[child], 1);
	int t = atomic_load(&l->third);
	if (prev || t) {
		atomic_fetch_sub(&l->child_io[child], 1);
		violation(l,
			  "level violation: %s (first level, child %u I/O) "
			  "entered while %s",
			  ddi, child,
			  prev ? "another I/O on that child runs"
			       : "a third-level call runs");
		return false;
	}
	return true;
}

void dod_exit_child(struct dod_levels *l, uint32_t child)
{
	if (child < VG_DOD_MAX_CHILDREN)
		atomic_fetch_sub(&l->child_io[child], 1);
}

bool dod_enter_second(struct dod_levels *l, const char *ddi)
{
	int prev = atomic_fetch_add(&l->second, 1);
	int t = atomic_load(&l->third), p = atomic_load(&l->presents);
	if (prev || t || p) {
		atomic_fetch_sub(&l->second, 1);
		violation(l,
			  "level violation: %s (second level) entered while "
			  "%s",
			  ddi,
			  prev ? "another second-level call runs"
			  : t  ? "a third-level call runs"
			       : "a PresentDisplayOnly is in flight");
		return false;
	}
	return true;
}

void dod_exit_second(struct dod_levels *l)
{
	atomic_fetch_sub(&l->second, 1);
}

bool dod_enter_third(struct dod_levels *l, const char *ddi)
{
	int prev = atomic_fetch_add(&l->third, 1);
	int s = atomic_load(&l->second), p = atomic_load(&l->presents);
	int ptr = atomic_load(&l->pointer), c = child_io_busy(l);
	int z = atomic_load(&l->zero);
	if (prev || s || p || ptr || c || z) {
		atomic_fetch_sub(&l->third, 1);
		violation(l,
			  "level violation: %s (third level) entered while "
			  "%s",
			  ddi,
			  prev	? "another third-level call runs"
			  : s	? "a second-level call runs"
			  : p	? "a PresentDisplayOnly is in flight"
			  : ptr ? "a pointer call runs"
			  : c	? "a child I/O call runs"
			      : "a zero-level call that reads the device runs");
		return false;
	}
	return true;
}

void dod_exit_third(struct dod_levels *l)
{
	atomic_fetch_sub(&l->third, 1);
}
