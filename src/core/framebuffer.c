// SPDX-License-Identifier: MIT
/* Framebuffers: a host resource plus guest backing, created and destroyed
 * so that every failure unwinds and nothing the device holds is freed. */
#include <string.h>

#include "gpu_internal.h"

/* Largest first: fewer entries make ATTACH_BACKING cheaper; smaller
 * blocks are the fallback when guest memory is fragmented. */
static const size_t backing_blocks[] = {
	2u << 20, 1u << 20, 256u << 10, 64u << 10, 16u << 10, VG_PAGE_SIZE,
};

static vg_status alloc_backing(struct vg_gpu *gpu, uint64_t bytes,
			       struct vg_dma *dma, uint32_t *nentries)
{
	const struct vg_os_ops *ops = gpu->os->ops;
	size_t nblocks = sizeof(backing_blocks) / sizeof(backing_blocks[0]);

	for (size_t i = 0; i < nblocks; i++) {
		size_t blk = backing_blocks[i];
		if (ops->dma_alloc(gpu->os, bytes, blk, dma) != VG_OK)
			continue;
		*nentries = vg_backing_entries(dma, bytes, NULL,
					       VG_MAX_BACKING_ENTRIES);
		if (*nentries) {
			vg_gpu_log(gpu, VG_LOG_DEBUG,
				   "backing %llu bytes: %u blocks of >= %zu, "
				   "%u entries",
				   (unsigned long long)bytes, dma->nsegs, blk,
				   *nentries);
			return VG_OK;
		}
		ops->dma_free(gpu->os, dma);
		memset(dma, 0, sizeof(*dma));
	}
	return VG_E_NOMEM;
}

/*
 * Creates fb's host resource and attaches its backing.  On failure the
 * device holds nothing of fb, except where it may: then, unless
 * keep_claims, the id (and the backing, if attach may have landed) move
 * to the quarantine and fb->id / fb->backing are cleared; with
 * keep_claims (the reset path) they stay in fb and the device is marked
 * hung, so the next reset takes them back.
 */
vg_status vg_fb_to_device(struct vg_gpu *gpu, struct vg_fb *fb,
			  bool keep_claims)
{
	vg_status st = vg_do_resource_create_2d(gpu, fb->id, fb->format,
						fb->width, fb->height);
	if (st == VG_E_TIMEOUT || st == VG_E_NODEV || st == VG_E_PROTOCOL) {
		/* The device may still create it (or did, and garbled the
		 * answer): the id is not ours. */
		gpu->hung = gpu->hung || st != VG_E_PROTOCOL;
		if (!keep_claims) {
			vg_res_host_created(gpu); /* maybe: counted */
			vg_res_quarantine(gpu, fb->id, NULL);
			fb->id = 0;
		}
		return st;
	}
	if (st != VG_OK)
		return st;
	vg_res_host_created(gpu);

	st = vg_do_attach_backing(gpu, fb->id, &fb->backing,
				  (uint64_t)fb->stride * fb->height,
				  fb->nentries);
	if (st == VG_OK) {
		fb->on_device = true;
		return VG_OK;
	}
	if (vg_do_resource_unref(gpu, fb->id) != VG_OK && !keep_claims) {
		/* Attach may have landed; keep both until reset. */
		vg_res_quarantine(gpu, fb->id, &fb->backing);
		fb->id = 0;
	} else {
		/* Gone, or (keep_claims) the next reset takes it back: an fb
		 * off the device is not counted either way. */
		vg_res_host_gone(gpu);
	}
	/* The attach's failure (with its response code), not the unref's. */
	return st;
}

vg_status vg_fb_new(struct vg_gpu *gpu, uint32_t width, uint32_t height,
		    uint32_t format, struct vg_fb **out)
{
	const struct vg_os_ops *ops = gpu->os->ops;
	struct vg_fb *fb;
	vg_status st;

	*out = NULL;
	if (width == 0 || height == 0 || width > 16384 || height > 16384)
		return VG_E_RANGE;
	fb = ops->alloc(gpu->os, sizeof(*fb));
	if (!fb)
		return VG_E_NOMEM;
	fb->gpu = gpu;
	fb->width = width;
	fb->height = height;
	fb->stride = width * 4;
	fb->format = format;
	fb->id = vg_res_id_take(gpu);
	if (!fb->id) {
		st = VG_E_BUSY;
		goto err_free_fb;
	}
	st = alloc_backing(gpu, (uint64_t)fb->stride * height, &fb->backing,
			   &fb->nentries);
	if (st != VG_OK)
		goto err_free_id;
	vg_res_backing_got(gpu, &fb->backing);
	st = vg_fb_to_device(gpu, fb, false);
	if (st != VG_OK)
		goto err_free_backing;
	fb->next = gpu->fbs;
	gpu->fbs = fb;
	*out = fb;
	return VG_OK;

err_free_backing:
	vg_res_backing_free(gpu, &fb->backing); /* none if quarantined */
err_free_id:
	vg_res_id_put(gpu, fb->id); /* 0 if the quarantine took it */
err_free_fb:
	ops->free(gpu->os, fb);
	return st;
}

vg_status vg_fb_create_cursor(struct vg_gpu *gpu, struct vg_fb **out)
{
	return vg_fb_new(gpu, VG_CURSOR_SIZE, VG_CURSOR_SIZE,
			 VG_FORMAT_B8G8R8A8_UNORM, out);
}

vg_status vg_fb_free(struct vg_fb *fb, bool tell_heads)
{
	struct vg_gpu *gpu = fb->gpu;
	const struct vg_os_ops *ops = gpu->os->ops;
	vg_status first = VG_OK, st;

	for (uint32_t h = 0; h < gpu->num_scanouts; h++)
		if (gpu->scanout_fb[h] == fb) {
			st = tell_heads ? vg_scanout_set(gpu, h, NULL) : VG_OK;
			if (first == VG_OK)
				first = st;
			/* Even if the device refused or did not answer: fb
			 * is going away (UNREF ends the scanout, and what the
			 * device may still hold is quarantined below). */
			gpu->scanout_fb[h] = NULL;
		}
	if (gpu->cursor_fb == fb)
		gpu->cursor_fb = NULL;
	for (struct vg_fb **pp = &gpu->fbs; *pp; pp = &(*pp)->next)
		if (*pp == fb) {
			*pp = fb->next;
			break;
		}

	if (gpu->hung) {
		/* A hung device answers nothing, and may still hold the
		 * resource: keep id and backing until the reset. */
		if (!fb->on_device)
			vg_res_host_created(gpu); /* maybe: counted */
		vg_res_quarantine(gpu, fb->id, &fb->backing);
		ops->free(gpu->os, fb);
		return first;
	}
	if (!fb->on_device) {
		/* Lost in a reset that could not rebuild it. */
		vg_res_backing_free(gpu, &fb->backing);
		vg_res_id_put(gpu, fb->id);
		ops->free(gpu->os, fb);
		return first;
	}
	st = vg_do_detach_backing(gpu, fb->id);
	bool detached = st == VG_OK;
	if (first == VG_OK)
		first = st;
	st = vg_do_resource_unref(gpu, fb->id);
	bool unrefed = st == VG_OK;
	if (first == VG_OK)
		first = st;

	/* UNREF drops the backing too, so either answer frees memory. */
	if (detached || unrefed)
		vg_res_backing_free(gpu, &fb->backing);
	if (unrefed) {
		vg_res_host_gone(gpu);
		vg_res_id_put(gpu, fb->id);
	} else {
		vg_gpu_log(gpu, VG_LOG_WARN,
			   "resource %u: device did not confirm unref; "
			   "held until reset",
			   fb->id);
		vg_res_quarantine(gpu, fb->id, &fb->backing);
	}
	ops->free(gpu->os, fb);
	return first;
}

uint32_t *vg_fb_pixels(const struct vg_fb *fb)
{
	return fb->backing.cpu;
}

uint32_t vg_fb_width(const struct vg_fb *fb)
{
	return fb->width;
}

uint32_t vg_fb_height(const struct vg_fb *fb)
{
	return fb->height;
}

uint32_t vg_fb_stride(const struct vg_fb *fb)
{
	return fb->stride;
}

uint32_t vg_fb_resource_id(const struct vg_fb *fb)
{
	return fb->id;
}

uint32_t vg_fb_backing_entries(const struct vg_fb *fb)
{
	return fb->nentries;
}
