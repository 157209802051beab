// SPDX-License-Identifier: MIT
/*
 * Finding, binding and opening the function through VFIO: sysfs for the
 * address, the driver and the IOMMU group; /dev/vfio for the container,
 * the group and the device; its regions (config space, memory BARs) and
 * the one DMA pool mapped through the IOMMU.  Every step that fails says
 * which it was and what the kernel answered.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/vfio.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio_internal.h"

#define SYS_PCI "/sys/bus/pci/devices"
#define PCI_VENDOR_VIRTIO "0x1af4"
#define PCI_DEVICE_VIRTIO_GPU "0x1050"
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4

static vg_status fail(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static vg_status fail(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;
	if (msg && len) {
		va_start(ap, fmt);
		vsnprintf(msg, len, fmt, ap);
		va_end(ap);
	}
	return VG_E_NODEV;
}

/* The first line of a sysfs file, without the newline; false if absent. */
static bool read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, s, strlen(s));
	int err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

vg_status vfio_find_addr(char *addr, size_t n, char *msg, size_t len)
{
	DIR *d = opendir(SYS_PCI);
	struct dirent *e;
	char path[512], v[16], dv[16];

	if (!d)
		return fail(msg, len, "cannot list %s: %s", SYS_PCI,
			    strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYS_PCI "/%s/vendor", e->d_name);
		if (!read_line(path, v, sizeof(v)) ||
		    strcmp(v, PCI_VENDOR_VIRTIO))
			continue;
		snprintf(path, sizeof(path), SYS_PCI "/%s/device", e->d_name);
		if (read_line(path, dv, sizeof(dv)) &&
		    !strcmp(dv, PCI_DEVICE_VIRTIO_GPU)) {
			snprintf(addr, n, "%s", e->d_name);
			closedir(d);
			return VG_OK;
		}
	}
	closedir(d);
	return fail(msg, len,
		    "no virtio-gpu PCI function (1af4:1050) in " SYS_PCI);
}

/* The name of the driver bound to addr into buf ("" when none). */
static void bound_driver(const char *addr, char *buf, size_t n)
{
	char path[256], target[256];
	snprintf(path, sizeof(path), SYS_PCI "/%s/driver", addr);
	ssize_t k = readlink(path, target, sizeof(target) - 1);
	buf[0] = '\0';
	if (k <= 0)
		return;
	target[k] = '\0';
	const char *slash = strrchr(target, '/');
	const char *name = slash ? slash + 1 : target;
	size_t len = strlen(name);
	if (len >= n)
		len = n - 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
}

vg_status vfio_bind(const char *addr, int verbose, char *msg, size_t len)
{
	char path[256], drv[64];
	int err;

	snprintf(path, sizeof(path), SYS_PCI "/%s", addr);
	if (access(path, F_OK))
		return fail(msg, len, "no PCI function %s (%s)", addr,
			    strerror(errno));
	bound_driver(addr, drv, sizeof(drv));
	if (!strcmp(drv, "vfio-pci"))
		return VG_OK;
	if (drv[0]) {
		/* A kernel driver (virtio-pci) holds it: let go first. */
		snprintf(path, sizeof(path), SYS_PCI "/%s/driver/unbind", addr);
		err = write_str(path, addr);
		if (err)
			return fail(msg, len, "unbinding %s from %s: %s", addr,
				    drv, strerror(-err));
	}
	snprintf(path, sizeof(path), SYS_PCI "/%s/driver_override", addr);
	err = write_str(path, "vfio-pci");
	if (err)
		return fail(msg, len, "writing %s: %s", path, strerror(-err));
	err = write_str("/sys/bus/pci/drivers_probe", addr);
	bound_driver(addr, drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci"))
		return fail(msg, len,
			    "%s did not bind to vfio-pci (drivers_probe: %s; "
			    "is the vfio-pci module loaded?)",
			    addr, err ? strerror(-err) : "no error");
	vfio_log(verbose, VG_LOG_INFO, "%s bound to vfio-pci", addr);
	return VG_OK;
}

static vg_status open_group(struct vg_vfio *v, char *msg, size_t len)
{
	char path[300], target[256];
	snprintf(path, sizeof(path), SYS_PCI "/%s/iommu_group", v->addr);
	ssize_t k = readlink(path, target, sizeof(target) - 1);
	if (k <= 0)
		return fail(msg, len,
			    "%s has no IOMMU group (%s; boot with "
			    "intel_iommu=on and an IOMMU)",
			    v->addr, strerror(errno));
	target[k] = '\0';
	const char *group = strrchr(target, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%s",
		 group ? group + 1 : target);
	v->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (v->group_fd < 0)
		return fail(msg, len, "open %s: %s", path, strerror(errno));
	struct vfio_group_status gs = {.argsz = sizeof(gs)};
	if (ioctl(v->group_fd, VFIO_GROUP_GET_STATUS, &gs) < 0)
		return fail(msg, len, "VFIO_GROUP_GET_STATUS: %s",
			    strerror(errno));
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return fail(msg, len,
			    "IOMMU group %s is not viable (another function "
			    "in it is bound to a host driver)",
			    path);
	if (ioctl(v->group_fd, VFIO_GROUP_SET_CONTAINER, &v->container_fd) < 0)
		return fail(msg, len, "VFIO_GROUP_SET_CONTAINER: %s",
			    strerror(errno));
	if (ioctl(v->container_fd, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) < 0)
		return fail(msg, len, "VFIO_SET_IOMMU(TYPE1): %s",
			    strerror(errno));
	return VG_OK;
}

static vg_status region_info(struct vg_vfio *v, unsigned index,
			     struct vfio_region_info *ri, char *msg, size_t len)
{
	memset(ri, 0, sizeof(*ri));
	ri->argsz = sizeof(*ri);
	ri->index = index;
	if (ioctl(v->device_fd, VFIO_DEVICE_GET_REGION_INFO, ri) < 0)
		return fail(msg, len, "VFIO_DEVICE_GET_REGION_INFO(%u): %s",
			    index, strerror(errno));
	return VG_OK;
}

static vg_status open_regions(struct vg_vfio *v, char *msg, size_t len)
{
	struct vfio_device_info di = {.argsz = sizeof(di)};
	struct vfio_region_info ri;

	if (ioctl(v->device_fd, VFIO_DEVICE_GET_INFO, &di) < 0)
		return fail(msg, len, "VFIO_DEVICE_GET_INFO: %s",
			    strerror(errno));
	if (!(di.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    di.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX)
		return fail(msg, len, "%s is not a VFIO PCI device", v->addr);
	if (region_info(v, VFIO_PCI_CONFIG_REGION_INDEX, &ri, msg, len))
		return VG_E_NODEV;
	v->cfg.size = ri.size;
	v->cfg.offset = ri.offset;
	for (unsigned b = 0; b < VFIO_NUM_BARS; b++) {
		if (region_info(v, VFIO_PCI_BAR0_REGION_INDEX + b, &ri, msg,
				len))
			return VG_E_NODEV;
		v->bar[b].size = ri.size;
		v->bar[b].offset = ri.offset;
		if (!ri.size || !(ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
			continue;
		/* Direct loads and stores; a BAR that will not map
		 * (sparse, an MSI-X table) is reached with pread/pwrite. */
		void *p = mmap(NULL, ri.size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, v->device_fd, (off_t)ri.offset);
		if (p != MAP_FAILED)
			v->bar[b].map = p;
		vfio_log(v->verbose, VG_LOG_DEBUG,
			 "BAR%u: %" PRIu64 " bytes, %s", b, (uint64_t)ri.size,
			 v->bar[b].map ? "mapped" : "pread/pwrite");
	}
	return VG_OK;
}

vg_status vfio_open(struct vg_vfio *v, char *msg, size_t len)
{
	v->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container_fd < 0)
		return fail(msg, len,
			    "open /dev/vfio/vfio: %s (load the vfio and "
			    "vfio_iommu_type1 modules)",
			    strerror(errno));
	if (ioctl(v->container_fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return fail(msg, len, "VFIO API version mismatch");
	if (ioctl(v->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) <= 0)
		return fail(msg, len,
			    "no VFIO type1 IOMMU (load "
			    "vfio_iommu_type1)");
	if (open_group(v, msg, len))
		return VG_E_NODEV;
	v->device_fd = ioctl(v->group_fd, VFIO_GROUP_GET_DEVICE_FD, v->addr);
	if (v->device_fd < 0)
		return fail(msg, len, "VFIO_GROUP_GET_DEVICE_FD(%s): %s",
			    v->addr, strerror(errno));
	if (open_regions(v, msg, len))
		return VG_E_NODEV;
	/* The device may now master the bus (DMA); decoding was enabled
	 * by vfio-pci when the device was opened. */
	uint32_t cmd = vfio_cfg_read(v, PCI_COMMAND, 2);
	vfio_cfg_write(v, PCI_COMMAND, 2,
		       cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	return VG_OK;
}

vg_status vfio_map_dma(struct vg_vfio *v, char *msg, size_t len)
{
	v->mem_fd = memfd_create("viogpu-dma", MFD_CLOEXEC);
	if (v->mem_fd < 0)
		return fail(msg, len, "memfd_create: %s", strerror(errno));
	if (ftruncate(v->mem_fd, (off_t)v->mem_bytes) < 0)
		return fail(msg, len, "ftruncate(%" PRIu64 "): %s",
			    v->mem_bytes, strerror(errno));
	void *p = mmap(NULL, v->mem_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		       v->mem_fd, 0);
	if (p == MAP_FAILED)
		return fail(msg, len, "mmap of the DMA pool: %s",
			    strerror(errno));
	v->mem = p;
	/* Pins every page of the pool and maps it at our IOVAs; the
	 * allocator's stitched views share the same pages (one file). */
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uint64_t)(uintptr_t)p,
		.iova = v->iova_base,
		.size = v->mem_bytes,
	};
	if (ioctl(v->container_fd, VFIO_IOMMU_MAP_DMA, &map) < 0)
		return fail(msg, len,
			    "VFIO_IOMMU_MAP_DMA(iova 0x%" PRIx64 ", %" PRIu64
			    " bytes): %s",
			    v->iova_base, v->mem_bytes, strerror(errno));
	v->dma_mapped = true;
	vfio_log(v->verbose, VG_LOG_INFO,
		 "DMA pool: %" PRIu64 " MiB pinned at IOVA 0x%" PRIx64,
		 v->mem_bytes >> 20, v->iova_base);
	return VG_OK;
}

void vfio_close(struct vg_vfio *v)
{
	if (v->dma_mapped) {
		struct vfio_iommu_type1_dma_unmap um = {
			.argsz = sizeof(um),
			.iova = v->iova_base,
			.size = v->mem_bytes,
		};
		if (ioctl(v->container_fd, VFIO_IOMMU_UNMAP_DMA, &um) < 0)
			vfio_log(v->verbose, VG_LOG_WARN,
				 "VFIO_IOMMU_UNMAP_DMA: %s", strerror(errno));
		v->dma_mapped = false;
	}
	if (v->mem) {
		munmap(v->mem, v->mem_bytes);
		v->mem = NULL;
	}
	if (v->mem_fd >= 0)
		close(v->mem_fd);
	v->mem_fd = -1;
	for (unsigned b = 0; b < VFIO_NUM_BARS; b++) {
		if (v->bar[b].map)
			munmap(v->bar[b].map, v->bar[b].size);
		v->bar[b].map = NULL;
	}
	if (v->device_fd >= 0)
		close(v->device_fd);
	if (v->group_fd >= 0)
		close(v->group_fd);
	if (v->container_fd >= 0)
		close(v->container_fd);
	v->device_fd = v->group_fd = v->container_fd = -1;
}

uint32_t vfio_cfg_read(struct vg_vfio *v, uint32_t off, unsigned width)
{
	uint32_t val = 0;
	if ((width != 1 && width != 2 && width != 4) || off + width > 4096 ||
	    pread(v->device_fd, &val, width, (off_t)(v->cfg.offset + off)) !=
		    (ssize_t)width)
		return width == 4 ? ~0u : (1u << (8 * width)) - 1;
	return val; /* x86: little-endian, as PCI */
}

void vfio_cfg_write(struct vg_vfio *v, uint32_t off, unsigned width,
		    uint32_t val)
{
	if ((width != 1 && width != 2 && width != 4) || off + width > 4096)
		return;
	if (pwrite(v->device_fd, &val, width, (off_t)(v->cfg.offset + off)) !=
	    (ssize_t)width)
		vfio_log(v->verbose, VG_LOG_WARN,
			 "config write at 0x%x failed: %s", off,
			 strerror(errno));
}

static bool bar_ok(struct vg_vfio *v, unsigned bar, uint64_t off,
		   unsigned width)
{
	if (bar < VFIO_NUM_BARS && v->bar[bar].size &&
	    (width == 1 || width == 2 || width == 4 || width == 8) &&
	    off < v->bar[bar].size && width <= v->bar[bar].size - off &&
	    !(off & (width - 1)))
		return true;
	vfio_log(v->verbose, VG_LOG_ERROR,
		 "bad BAR access: BAR%u offset 0x%" PRIx64 " width %u", bar,
		 off, width);
	return false;
}

uint64_t vfio_bar_read(struct vg_vfio *v, unsigned bar, uint64_t off,
		       unsigned width)
{
	uint64_t ones = width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
	if (!bar_ok(v, bar, off, width))
		return ones;
	uint8_t *p = v->bar[bar].map;
	if (p) {
		/* One load of exactly this width: device registers. */
		switch (width) {
		case 1:
			return *(volatile uint8_t *)(p + off);
		case 2:
			return *(volatile uint16_t *)(p + off);
		case 4:
			return *(volatile uint32_t *)(p + off);
		default:
			return *(volatile uint64_t *)(p + off);
		}
	}
	uint64_t val = 0;
	if (pread(v->device_fd, &val, width,
		  (off_t)(v->bar[bar].offset + off)) != (ssize_t)width)
		return ones;
	return val;
}

void vfio_bar_write(struct vg_vfio *v, unsigned bar, uint64_t off,
		    unsigned width, uint64_t val)
{
	if (!bar_ok(v, bar, off, width))
		return;
	uint8_t *p = v->bar[bar].map;
	if (p) {
		switch (width) {
		case 1:
			*(volatile uint8_t *)(p + off) = (uint8_t)val;
			return;
		case 2:
			*(volatile uint16_t *)(p + off) = (uint16_t)val;
			return;
		case 4:
			*(volatile uint32_t *)(p + off) = (uint32_t)val;
			return;
		default:
			*(volatile uint64_t *)(p + off) = val;
			return;
		}
	}
	if (pwrite(v->device_fd, &val, width,
		   (off_t)(v->bar[bar].offset + off)) != (ssize_t)width)
		vfio_log(v->verbose, VG_LOG_WARN,
			 "BAR%u write at 0x%" PRIx64 " failed: %s", bar, off,
			 strerror(errno));
}
