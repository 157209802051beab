// SPDX-License-Identifier: MIT
#include "pci_fw.h"

#include <inttypes.h>

#include "qemu_log.h"

#define PCI_CFG_ADDR_PORT 0xcf8
#define PCI_CFG_DATA_PORT 0xcfc
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_BAR0 0x10
#define PCI_BAR_IO 0x1
#define PCI_BAR_TYPE_MASK 0x6
#define PCI_BAR_TYPE_64 0x4
#define PCI_BAR_MEM_MASK (~0xfull)

/* Above q35's MMCONFIG window (0xB0000000-0xBFFFFFFF), below the IOAPIC. */
#define MMIO_WINDOW_START 0xC0000000ull
#define MMIO_WINDOW_END 0xFEC00000ull

void vgq_pci_init(struct vgq_pci *pci, struct vgq_qtest *qt, unsigned bus,
		  unsigned dev, unsigned fn, int verbose)
{
	*pci = (struct vgq_pci){
		.qt = qt,
		.cfg_addr = 0x80000000u | (bus & 0xff) << 16 |
			    (dev & 0x1f) << 11 | (fn & 7) << 8,
		.verbose = verbose,
	};
	pthread_mutex_init(&pci->cfg_lock, NULL);
}

void vgq_pci_finish(struct vgq_pci *pci)
{
	pthread_mutex_destroy(&pci->cfg_lock);
}

static vg_status check_access(struct vgq_pci *pci, uint32_t off, unsigned width)
{
	if ((width != 1 && width != 2 && width != 4) || off >= 256 ||
	    (off & (width - 1))) {
		vgq_log(pci->verbose, VG_LOG_ERROR,
			"bad config access: offset 0x%x width %u", off, width);
		return VG_E_INVAL;
	}
	return VG_OK;
}

vg_status vgq_pci_cfg_read(struct vgq_pci *pci, uint32_t off, unsigned width,
			   uint32_t *val)
{
	vg_status st = check_access(pci, off, width);

	*val = ~0u >> (32 - 8 * width);
	if (st)
		return st;
	pthread_mutex_lock(&pci->cfg_lock);
	st = vgq_qtest_out(pci->qt, PCI_CFG_ADDR_PORT, 4,
			   pci->cfg_addr | (off & 0xfc));
	if (!st)
		st = vgq_qtest_in(pci->qt, PCI_CFG_DATA_PORT + (off & 3), width,
				  val);
	pthread_mutex_unlock(&pci->cfg_lock);
	if (st)
		*val = ~0u >> (32 - 8 * width);
	return st;
}

vg_status vgq_pci_cfg_write(struct vgq_pci *pci, uint32_t off, unsigned width,
			    uint32_t val)
{
	vg_status st = check_access(pci, off, width);

	if (st)
		return st;
	pthread_mutex_lock(&pci->cfg_lock);
	st = vgq_qtest_out(pci->qt, PCI_CFG_ADDR_PORT, 4,
			   pci->cfg_addr | (off & 0xfc));
	if (!st)
		st = vgq_qtest_out(pci->qt, PCI_CFG_DATA_PORT + (off & 3),
				   width, val);
	pthread_mutex_unlock(&pci->cfg_lock);
	return st;
}

/* Writes all ones, reads back the size mask, restores. */
static vg_status probe_dword(struct vgq_pci *pci, uint32_t off, uint32_t *orig,
			     uint32_t *mask)
{
	vg_status st = vgq_pci_cfg_read(pci, off, 4, orig);
	if (!st)
		st = vgq_pci_cfg_write(pci, off, 4, 0xffffffffu);
	if (!st)
		st = vgq_pci_cfg_read(pci, off, 4, mask);
	if (!st)
		st = vgq_pci_cfg_write(pci, off, 4, *orig);
	return st;
}

vg_status vgq_pci_assign_bars(struct vgq_pci *pci)
{
	uint64_t next = MMIO_WINDOW_START;
	uint32_t cmd;
	vg_status st;

	/* No decoding while BARs hold sizing patterns. */
	st = vgq_pci_cfg_read(pci, PCI_COMMAND, 2, &cmd);
	if (!st)
		st = vgq_pci_cfg_write(pci, PCI_COMMAND, 2,
				       cmd & ~(uint32_t)PCI_COMMAND_MEMORY);
	if (st)
		return st;

	for (unsigned i = 0; i < VGQ_PCI_NUM_BARS; i++) {
		uint32_t off = PCI_BAR0 + 4 * i;
		uint32_t orig, mask, orig_hi = 0, mask_hi = 0;

		pci->bar_base[i] = pci->bar_size[i] = 0;
		st = probe_dword(pci, off, &orig, &mask);
		if (st)
			return st;
		if (mask == 0 || mask == 0xffffffffu)
			continue; /* absent */
		if (mask & PCI_BAR_IO) {
			vgq_log(pci->verbose, VG_LOG_DEBUG,
				"BAR%u: I/O, left unassigned", i);
			continue;
		}
		bool is64 = (mask & PCI_BAR_TYPE_MASK) == PCI_BAR_TYPE_64;
		if (is64) {
			if (i + 1 >= VGQ_PCI_NUM_BARS)
				return VG_E_PROTOCOL;
			st = probe_dword(pci, off + 4, &orig_hi, &mask_hi);
			if (st)
				return st;
		}
		uint64_t full =
			((uint64_t)mask_hi << 32 | mask) & PCI_BAR_MEM_MASK;
		if (!is64)
			full |= 0xffffffff00000000ull;
		uint64_t size = ~full + 1;
		if (size == 0 || (size & (size - 1))) {
			vgq_log(pci->verbose, VG_LOG_ERROR,
				"BAR%u: bad size mask 0x%" PRIx64, i, full);
			return VG_E_PROTOCOL;
		}
		uint64_t base = (next + size - 1) & ~(size - 1);
		if (base + size > MMIO_WINDOW_END) {
			vgq_log(pci->verbose, VG_LOG_ERROR,
				"BAR%u: %" PRIu64
				" bytes do not fit below 4 GiB",
				i, size);
			return VG_E_NOMEM;
		}
		st = vgq_pci_cfg_write(pci, off, 4, (uint32_t)base);
		if (!st && is64)
			st = vgq_pci_cfg_write(pci, off + 4, 4, 0);
		if (st)
			return st;
		pci->bar_base[i] = base;
		pci->bar_size[i] = size;
		next = base + size;
		vgq_log(pci->verbose, VG_LOG_DEBUG,
			"BAR%u: %s%s memory, %" PRIu64 " bytes at 0x%" PRIx64,
			i, is64 ? "64-bit" : "32-bit",
			(mask & 0x8) ? " prefetchable" : "", size, base);
		if (is64)
			i++; /* the upper half is not a BAR of its own */
	}

	cmd = (cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) &
	      ~(uint32_t)PCI_COMMAND_INTX_DISABLE;
	return vgq_pci_cfg_write(pci, PCI_COMMAND, 2, cmd);
}
