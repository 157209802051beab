/* SPDX-License-Identifier: MIT */
/*
 * One connection's surface handles, and its limits.
 *
 * A handle names a slot of this table only: a number learned from another
 * connection names nothing here, or one of this connection's own
 * surfaces.  Handles are also scrambled with a per-connection key so that
 * the same surface seen by two clients has unrelated numbers and nobody
 * can read slot order off them; the scramble is a keyed bijection, not
 * cryptography: isolation comes from the per-connection lookup.  A slot's
 * generation changes on every reuse, so a closed handle stays dead.
 *
 * No allocation, no system calls (the caller supplies the key, e.g. from
 * getrandom).  Not thread-safe: the connection's owner serializes.
 */
#ifndef VIOGPU_SERVER_HANDLES_H
#define VIOGPU_SERVER_HANDLES_H

#include <stdint.h>

#include "viogpu/protocol.h"

#define VGP_HANDLES_MAX 256u /* hard ceiling of surfaces per connection */

struct vgp_handles {
	uint32_t key;
	uint32_t max_surfaces; /* <= VGP_HANDLES_MAX */
	uint64_t max_bytes;
	uint32_t count;
	uint64_t bytes;
	struct {
		void *obj; /* NULL: free */
		uint64_t bytes;
		uint16_t gen;
	} slot[VGP_HANDLES_MAX];
};

void vgp_handles_init(struct vgp_handles *t, uint32_t key,
		      uint32_t max_surfaces, uint64_t max_bytes);

/* Enters obj (not NULL), which accounts for `bytes` of the client's
 * allowance.  VGP_OK and *handle; VGP_E_LIMIT when the connection has
 * max_surfaces already; VGP_E_NO_MEMORY when the bytes would pass
 * max_bytes. */
enum vgp_status vgp_handles_add(struct vgp_handles *t, void *obj,
				uint64_t bytes, uint32_t *handle);

/* The object a handle names on this connection, or NULL. */
void *vgp_handles_get(const struct vgp_handles *t, uint32_t handle);

/* Removes a handle and returns its object (NULL: no such handle); its
 * bytes return to the allowance. */
void *vgp_handles_remove(struct vgp_handles *t, uint32_t handle);

/* Removes and returns any one object, NULL when empty: for tearing down a
 * dead client's surfaces. */
void *vgp_handles_pop(struct vgp_handles *t);

#endif
