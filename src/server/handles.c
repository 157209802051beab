// SPDX-License-Identifier: MIT
/* Per-connection surface handles (handles.h). */
#include "handles.h"

#include <string.h>

/* A bijection of 32-bit words (lowbias32) and its inverse. */
static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

static uint32_t unmix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x43021123u; /* the inverse of 0x846ca68b mod 2^32 */
	x ^= (x >> 15) ^ (x >> 30);
	x *= 0x1d69e2a5u; /* the inverse of 0x7feb352d */
	x ^= x >> 16;
	return x;
}

/* raw = generation << 16 | (slot + 1): never 0 before the scramble. */
static uint32_t encode(const struct vgp_handles *t, uint32_t i, uint16_t gen)
{
	return mix((((uint32_t)gen << 16) | (i + 1)) ^ t->key);
}

void vgp_handles_init(struct vgp_handles *t, uint32_t key,
		      uint32_t max_surfaces, uint64_t max_bytes)
{
	memset(t, 0, sizeof(*t));
	t->key = key;
	t->max_surfaces =
		max_surfaces < VGP_HANDLES_MAX ? max_surfaces : VGP_HANDLES_MAX;
	t->max_bytes = max_bytes;
}

enum vgp_status vgp_handles_add(struct vgp_handles *t, void *obj,
				uint64_t bytes, uint32_t *handle)
{
	if (t->count >= t->max_surfaces)
		return VGP_E_LIMIT;
	if (bytes > t->max_bytes || t->bytes > t->max_bytes - bytes)
		return VGP_E_NO_MEMORY;
	for (uint32_t i = 0; i < VGP_HANDLES_MAX; i++) {
		if (t->slot[i].obj)
			continue;
		/* A new generation per use; skip the one that scrambles to
		 * VGP_HANDLE_NONE. */
		do
			t->slot[i].gen++;
		while (encode(t, i, t->slot[i].gen) == VGP_HANDLE_NONE);
		t->slot[i].obj = obj;
		t->slot[i].bytes = bytes;
		t->count++;
		t->bytes += bytes;
		*handle = encode(t, i, t->slot[i].gen);
		return VGP_OK;
	}
	return VGP_E_LIMIT; /* unreachable: count < max <= slots */
}

static int find(const struct vgp_handles *t, uint32_t handle, uint32_t *i)
{
	if (handle == VGP_HANDLE_NONE)
		return 0;
	uint32_t raw = unmix(handle) ^ t->key;
	uint32_t slot = (raw & 0xffffu) - 1;
	if ((raw & 0xffffu) == 0 || slot >= VGP_HANDLES_MAX ||
	    !t->slot[slot].obj || t->slot[slot].gen != (raw >> 16))
		return 0;
	*i = slot;
	return 1;
}

void *vgp_handles_get(const struct vgp_handles *t, uint32_t handle)
{
	uint32_t i;
	return find(t, handle, &i) ? t->slot[i].obj : NULL;
}

void *vgp_handles_remove(struct vgp_handles *t, uint32_t handle)
{
	uint32_t i;
	if (!find(t, handle, &i))
		return NULL;
	void *obj = t->slot[i].obj;
	t->slot[i].obj = NULL;
	t->count--;
	t->bytes -= t->slot[i].bytes;
	t->slot[i].bytes = 0;
	return obj;
}

void *vgp_handles_pop(struct vgp_handles *t)
{
	for (uint32_t i = 0; i < VGP_HANDLES_MAX; i++)
		if (t->slot[i].obj)
			return vgp_handles_remove(t,
						  encode(t, i, t->slot[i].gen));
	return NULL;
}
