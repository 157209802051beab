// SPDX-License-Identifier: MIT
/* Surface creation and access rules (surface_rules.h). */
#include "surface_rules.h"

enum vgp_status vgp_surface_check_create(const struct vgp_create_surface *req,
					 const struct vgp_access_entry *access,
					 const struct vgp_heads_view *heads,
					 uint32_t *width, uint32_t *height)
{
	const uint32_t f = req->flags;
	const int primary = (f & VGP_SURFACE_PRIMARY) != 0;

	(void)access; /* kinds are the decoder's; the rules need the count */
	if (f & ~VGP_SURFACE_ALL_FLAGS)
		return VGP_E_INVALID_ALLOCATION_USAGE;
	if (primary && !(f & VGP_SURFACE_SHARED_RESOURCE))
		return VGP_E_INVALID_ALLOCATION_USAGE;
	if ((f & VGP_SURFACE_DECODE_RENDER_TARGET) &&
	    !(f & VGP_SURFACE_RESTRICTED_CONTENT))
		return VGP_E_INVALID_ALLOCATION_USAGE;
	if (f & VGP_SURFACE_RESTRICT_SHARED_ACCESS) {
		if (!(f & VGP_SURFACE_SHARED_RESOURCE) || req->naccess == 0)
			return VGP_E_INVALID_ALLOCATION_USAGE;
	} else if (req->naccess != 0) {
		return VGP_E_INVALID_ALLOCATION_USAGE;
	}
	if (primary) {
		if (req->source_id >= heads->count ||
		    req->source_id >= VGP_MAX_HEADS ||
		    heads->head[req->source_id].width == 0 ||
		    heads->head[req->source_id].height == 0)
			return VGP_E_INVALID_VIDPN_SOURCEID;
	} else if (req->source_id != 0) {
		return VGP_E_INVALID_VIDPN_SOURCEID;
	}
	if (req->refresh_rate != 0)
		return VGP_E_INVALID_DISPLAY_FREQUENCY;
	if (primary) {
		uint32_t hw = heads->head[req->source_id].width;
		uint32_t hh = heads->head[req->source_id].height;
		if (!(req->width == 0 && req->height == 0) &&
		    !(req->width == hw && req->height == hh))
			return VGP_E_INVALID_ALLOCATION_USAGE;
		*width = hw;
		*height = hh;
	} else {
		if (req->width == 0 || req->height == 0)
			return VGP_E_INVALID_ALLOCATION_USAGE;
		*width = req->width;
		*height = req->height;
	}
	return VGP_OK;
}

static int on_list(const struct vgp_surface_acl *s,
		   const struct vgp_client_id *who)
{
	for (uint32_t i = 0; i < s->naccess && i < VGP_MAX_ACCESS; i++) {
		const struct vgp_access_entry *e = &s->access[i];
		if ((e->kind == VGP_ACL_UID && e->id == who->uid) ||
		    (e->kind == VGP_ACL_PID && e->id == who->pid))
			return 1;
	}
	return 0;
}

enum vgp_status vgp_surface_check_open(const struct vgp_surface_acl *s,
				       const struct vgp_client_id *who,
				       uint32_t mode)
{
	if (mode == 0 || (mode & ~(VGP_OPEN_READ | VGP_OPEN_WRITE)))
		return VGP_E_BAD_REQUEST;
	/* The owner is its connection, not its uid: another process of the
	 * same user is another client. */
	if (who->conn == s->owner.conn)
		return VGP_OK;
	if (!(s->flags & VGP_SURFACE_SHARED_RESOURCE))
		return VGP_E_ACCESS_DENIED;
	if ((s->flags & VGP_SURFACE_RESTRICT_SHARED_ACCESS) && !on_list(s, who))
		return VGP_E_ACCESS_DENIED;
	if ((s->flags & VGP_SURFACE_RESTRICTED_CONTENT) &&
	    (mode & VGP_OPEN_READ))
		return VGP_E_ACCESS_DENIED;
	return VGP_OK;
}

enum vgp_status vgp_surface_check_read(const struct vgp_surface_acl *s,
				       const struct vgp_client_id *who)
{
	return vgp_surface_check_open(s, who, VGP_OPEN_READ);
}

enum vgp_status vgp_surface_check_code(uint32_t code, uint32_t open_mode)
{
	uint32_t a = VGP_CTL_ACCESS(code);

	if ((a & VGP_ACCESS_WRITE) && !(open_mode & VGP_OPEN_WRITE))
		return VGP_E_ACCESS_DENIED;
	if ((a & VGP_ACCESS_READ) && !(open_mode & VGP_OPEN_READ))
		return VGP_E_ACCESS_DENIED;
	return VGP_OK;
}
