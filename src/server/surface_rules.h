/* SPDX-License-Identifier: MIT */
/*
 * Surface creation and access rules (issue 12 item 4, seed 004), as pure
 * functions of the request, the heads and the parties involved.
 *
 * Pure: no allocation, no system calls, no global state; reentrant.
 */
#ifndef VIOGPU_SERVER_SURFACE_RULES_H
#define VIOGPU_SERVER_SURFACE_RULES_H

#include <stdint.h>

#include "viogpu/protocol.h"

/* What the rules need to know about the heads right now. */
struct vgp_heads_view {
	uint32_t count; /* heads 0 .. count-1 exist */
	struct {
		uint32_t width; /* current mode; 0 x 0: disabled */
		uint32_t height;
	} head[VGP_MAX_HEADS];
};

/* Who is asking: the connection and its SO_PEERCRED credentials. */
struct vgp_client_id {
	uint64_t conn; /* unique per connection for the server's lifetime */
	uint32_t uid;
	uint32_t pid;
};

/* What the rules keep about a created surface. */
struct vgp_surface_acl {
	struct vgp_client_id owner;
	uint32_t flags; /* VGP_SURFACE_* */
	uint32_t naccess;
	struct vgp_access_entry access[VGP_MAX_ACCESS];
};

/* The creation rules, checked in this order (the first broken one names
 * the status):
 *  1. only known flags                          INVALID_ALLOCATION_USAGE
 *  2. PRIMARY (a head scans it out) needs SHARED_RESOURCE          same
 *  3. DECODE_RENDER_TARGET needs RESTRICTED_CONTENT                same
 *  4. RESTRICT_SHARED_ACCESS needs SHARED_RESOURCE and a non-empty
 *     access list; an access list needs RESTRICT_SHARED_ACCESS     same
 *  5. PRIMARY: source_id names an existing head, which has a mode;
 *     not PRIMARY: source_id is 0             INVALID_VIDPN_SOURCEID
 *  6. refresh_rate is 0 (the head's own)      INVALID_DISPLAY_FREQUENCY
 *  7. PRIMARY: the size is 0 x 0 or the head's mode; not PRIMARY: not
 *     0 x 0                                   INVALID_ALLOCATION_USAGE
 * Rule 6 is the seed's ("RefreshRate must be zero"); Microsoft's page on
 * D3DDDIARG_CREATERESOURCE2 only says the field applies to a primary.
 * Here it is enforced for every surface: no surface has a rate of its own.
 * On VGP_OK *width / *height hold the size to allocate. */
enum vgp_status vgp_surface_check_create(const struct vgp_create_surface *req,
					 const struct vgp_access_entry *access,
					 const struct vgp_heads_view *heads,
					 uint32_t *width, uint32_t *height);

/* May `who` open surface `s` with mode VGP_OPEN_READ / VGP_OPEN_WRITE?
 *  - its owner's connection always may;
 *  - anyone else only if it is SHARED_RESOURCE, and, if it is
 *    RESTRICT_SHARED_ACCESS, only if who's uid or pid is on its list;
 *  - RESTRICTED_CONTENT: nobody but the owner may read it; write-only
 *    opens stay allowed under the rules above, and the server must then
 *    hand out no memfd (protocol.h, OPEN_SURFACE).
 * VGP_OK, VGP_E_ACCESS_DENIED, or VGP_E_BAD_REQUEST for a bad mode.
 * Not sharing is answered with ACCESS_DENIED here; the server should not
 * give a private surface a share name at all. */
enum vgp_status vgp_surface_check_open(const struct vgp_surface_acl *s,
				       const struct vgp_client_id *who,
				       uint32_t mode);

/* Does a surface opened with `open_mode` (VGP_OPEN_*; its creator holds
 * both) allow request `code`?  A code's CTL access bits decide: WRITE needs
 * VGP_OPEN_WRITE, READ needs VGP_OPEN_READ, ANY needs nothing.
 * VGP_OK or VGP_E_ACCESS_DENIED. */
enum vgp_status vgp_surface_check_code(uint32_t code, uint32_t open_mode);

/* May `who` read the pixels of `s` (GET_BUFFER of a head it scans out, the
 * viewer)?  Same as opening it for reading.  The host (QEMU's display, a
 * screendump) still sees every scanout: RESTRICTED_CONTENT keeps pixels
 * from other clients of the server, not from the machine's owner. */
enum vgp_status vgp_surface_check_read(const struct vgp_surface_acl *s,
				       const struct vgp_client_id *who);

#endif
