// SPDX-License-Identifier: MIT
/* Mode lists per head and mode sets that never lose the picture. */
#include <string.h>

#include "gpu_internal.h"
#include "viogpu/edid.h"

#define MAX_SIDE 16384u
/* QEMU 7.2 answers SET_SCANOUT with ERR_INVALID_PARAMETER when a side is
 * under 16 pixels (hw/display/virtio-gpu.c, virtio_gpu_do_set_scanout:
 * "r->width < 16 || r->height < 16"); the device model takes any size.  The
 * driver refuses such a mode itself, the same way on every device. */
#define MIN_SIDE 16u

/* Sizes every head offers when the host can take them: common desktop
 * sizes up to 4K, ultrawides, 5K and 8K. */
static const struct {
	uint16_t w, h;
} standard_modes[] = {
	{1280, 720},  {1280, 800},  {1280, 1024}, {1366, 768},	{1440, 900},
	{1600, 900},  {1680, 1050}, {1920, 1080}, {1920, 1200}, {2560, 1080},
	{2560, 1440}, {2560, 1600}, {3440, 1440}, {3840, 2160}, {5120, 1440},
	{5120, 2880}, {7680, 4320},
};

static bool fits_host(const struct vg_gpu *gpu, uint32_t w, uint32_t h)
{
	return (uint64_t)w * h * 4 <= gpu->opt.host_mem_limit;
}

vg_status vg_gpu_check_mode(struct vg_gpu *gpu, uint32_t head, uint32_t width,
			    uint32_t height)
{
	if (head >= gpu->num_scanouts)
		return VG_E_RANGE;
	if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE ||
	    height > MAX_SIDE) {
		vg_gpu_log(gpu, VG_LOG_WARN,
			   "mode %ux%u: each side must be %u..%u", width,
			   height, MIN_SIDE, MAX_SIDE);
		return VG_E_RANGE;
	}
	if (!fits_host(gpu, width, height)) {
		vg_gpu_log(gpu, VG_LOG_WARN,
			   "mode %ux%u: a frame of %llu bytes exceeds the "
			   "host's %llu for 2D resources",
			   width, height,
			   (unsigned long long)width * height * 4,
			   (unsigned long long)gpu->opt.host_mem_limit);
		return VG_E_RANGE;
	}
	return VG_OK;
}

/* Adds a mode unless its size is there already (then merges flags). */
static void add_mode(struct vg_gpu *gpu, struct vg_mode *list, unsigned *n,
		     unsigned cap, uint32_t w, uint32_t h, uint32_t refresh,
		     uint32_t flags)
{
	if (w < MIN_SIDE || h < MIN_SIDE || w > MAX_SIDE || h > MAX_SIDE ||
	    !fits_host(gpu, w, h))
		return;
	for (unsigned i = 0; i < *n; i++)
		if (list[i].width == w && list[i].height == h) {
			list[i].flags |= flags;
			if (!list[i].refresh_mhz)
				list[i].refresh_mhz = refresh;
			return;
		}
	if (*n < cap)
		list[(*n)++] = (struct vg_mode){w, h, refresh, flags};
}

static bool mode_before(const struct vg_mode *a, const struct vg_mode *b)
{
	bool pa = a->flags & VG_MODE_PREFERRED,
	     pb = b->flags & VG_MODE_PREFERRED;
	if (pa != pb)
		return pa;
	uint64_t sa = (uint64_t)a->width * a->height;
	uint64_t sb = (uint64_t)b->width * b->height;
	if (sa != sb)
		return sa > sb;
	return a->width > b->width;
}

vg_status vg_gpu_list_modes(struct vg_gpu *gpu, uint32_t head,
			    struct vg_mode *modes, unsigned max,
			    unsigned *count)
{
	/* Room for every EDID timing, the device's size and the standard
	 * set; the list is built privately so max never truncates sorting. */
	enum { CAP = VG_EDID_MAX_TIMINGS + 1 + 32 };
	struct vg_mode *all;
	struct vg_edid *edid = NULL;
	unsigned n = 0;

	*count = 0;
	if (head >= gpu->num_scanouts)
		return VG_E_RANGE;
	all = gpu->os->ops->alloc(gpu->os, sizeof(*all) * CAP);
	if (!all)
		return VG_E_NOMEM;

	const struct vg_display *d = &gpu->displays[head];
	add_mode(gpu, all, &n, CAP, d->rect.width, d->rect.height, 0,
		 VG_MODE_FROM_DEVICE | VG_MODE_PREFERRED);
	if (d->edid_size) {
		edid = gpu->os->ops->alloc(gpu->os, sizeof(*edid));
		if (edid && vg_edid_parse(d->edid, d->edid_size, edid) == VG_OK)
			for (unsigned i = 0; i < edid->ntimings; i++) {
				const struct vg_edid_timing *t =
					&edid->timings[i];
				if (t->interlaced)
					continue;
				/* The device's own size outranks the
				 * EDID's preference when both exist. */
				uint32_t pref = t->preferred && !d->rect.width
							? VG_MODE_PREFERRED
							: 0;
				add_mode(gpu, all, &n, CAP, t->width, t->height,
					 t->refresh_mhz,
					 VG_MODE_FROM_EDID | pref);
			}
		gpu->os->ops->free(gpu->os, edid);
	}
	for (size_t i = 0; i < sizeof(standard_modes) / sizeof(*standard_modes);
	     i++)
		add_mode(gpu, all, &n, CAP, standard_modes[i].w,
			 standard_modes[i].h, 60000, VG_MODE_STANDARD);

	/* Insertion sort: at most a few hundred entries. */
	for (unsigned i = 1; i < n; i++) {
		struct vg_mode m = all[i];
		unsigned j = i;
		for (; j > 0 && mode_before(&m, &all[j - 1]); j--)
			all[j] = all[j - 1];
		all[j] = m;
	}
	for (unsigned i = 0; i < n && i < max; i++)
		modes[i] = all[i];
	*count = n;
	gpu->os->ops->free(gpu->os, all);
	return VG_OK;
}

vg_status vg_mode_set(struct vg_gpu *gpu, uint32_t head, uint32_t width,
		      uint32_t height)
{
	struct vg_fb *fb = NULL, *old = gpu->head_fb[head];
	vg_status st;

	/* New first: allocate the backing, create and attach the resource,
	 * switch the scanout; only then let the old one go. */
	st = vg_fb_new(gpu, width, height, VG_FORMAT_B8G8R8X8_UNORM, &fb);
	if (st != VG_OK)
		return st;
	st = vg_scanout_set(gpu, head, fb);
	if (st == VG_OK)
		st = vg_present_fb(gpu, fb, NULL, 0);
	if (st != VG_OK) {
		vg_status first =
			st; /* the undo's outcome is not this call's */
		/* Put the old mode back if the switch got half-way: internal
		 * operations only, so undoing never resets the device. */
		if (gpu->scanout_fb[head] == fb && old && old->on_device)
			(void)vg_scanout_set(gpu, head, old);
		(void)vg_fb_free(fb, true);
		return first;
	}
	gpu->head_fb[head] = fb;
	/* vg_fb_free detaches and unreferences and frees the memory only
	 * once the device confirmed (else it is quarantined). */
	if (old)
		(void)vg_fb_free(old, true);
	return VG_OK;
}

struct vg_fb *vg_gpu_head_fb(const struct vg_gpu *gpu, uint32_t head)
{
	return head < VG_MAX_SCANOUTS ? gpu->head_fb[head] : NULL;
}
