#!/bin/sh
# The build half of `make guest`: Debian's kernel and busybox-static from
# the archive (apt-get download + extract under build-guest/, so the
# host's /boot and packages stay untouched), the guest's programs linked
# static without sanitizers (meson -Dguest=true), and an initramfs with
# busybox, the VFIO modules, the programs and tests/guest/init.
# Output: build-guest/vmlinuz and build-guest/initrd.cpio.gz.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${GUEST_BUILD:-$SRC/build-guest}
mkdir -p "$OUT/debs"

# .done-drm: the extraction with the DRM modules (bench-guest's peer).
if [ ! -e "$OUT/root/.done-drm" ]; then
	kpkg=$(apt-cache depends linux-image-amd64 |
		awk '/Depends: linux-image-/ {print $2; exit}')
	[ -n "$kpkg" ] || { echo "guest: no linux-image-amd64 in apt's lists (apt-get update?)" >&2; exit 1; }
	rm -f "$OUT"/debs/*.deb
	# As root apt warns that its sandbox user cannot write here: noise.
	(cd "$OUT/debs" &&
		apt-get download -q "$kpkg" busybox-static 2>&1) |
		grep -v "couldn't be accessed by user '_apt'" || true
	ls "$OUT"/debs/linux-image-*.deb "$OUT"/debs/busybox-static*.deb >/dev/null
	rm -rf "$OUT/root"
	mkdir -p "$OUT/root"
	# Only what the guest needs: the kernel, the VFIO modules, busybox.
	dpkg-deb --fsys-tarfile "$OUT"/debs/linux-image-*.deb |
		tar -x -C "$OUT/root" --wildcards './boot/vmlinuz-*' \
			'./lib/modules/*/kernel/drivers/vfio/*' \
			'./lib/modules/*/kernel/virt/lib/irqbypass.ko' \
			'./lib/modules/*/kernel/drivers/gpu/drm/drm.ko' \
			'./lib/modules/*/kernel/drivers/gpu/drm/drm_kms_helper.ko' \
			'./lib/modules/*/kernel/drivers/gpu/drm/drm_shmem_helper.ko' \
			'./lib/modules/*/kernel/drivers/gpu/drm/virtio/virtio-gpu.ko' \
			'./lib/modules/*/kernel/drivers/virtio/*'
	dpkg-deb -x "$OUT"/debs/busybox-static*.deb "$OUT/root"
	touch "$OUT/root/.done-drm"
fi

if [ ! -e "$OUT/bin/build.ninja" ]; then
	meson setup "$OUT/bin" "$SRC" -Dguest=true -Db_sanitize=none \
		-Dbuildtype=release -Dprefer_static=true >/dev/null
fi
ninja -C "$OUT/bin" >"$OUT/ninja.log" || { cat "$OUT/ninja.log" >&2; exit 1; }

I="$OUT/initramfs"
rm -rf "$I"
mkdir -p "$I/bin" "$I/lib/modules" "$I/proc" "$I/sys" "$I/dev" "$I/tmp"
cp "$OUT/root/bin/busybox" "$I/bin/busybox"
cp "$OUT/bin/tests/guest/viogpu-guest" "$OUT/bin/viogpu" \
	"$OUT/bin/bench/guest/bench-guest" "$I/bin/"
# The kernel's virtio-gpu and what it depends on (modinfo's depends=,
# virtio-pci included: Debian builds virtio as modules): bench-guest's peer.
for m in irqbypass vfio vfio_iommu_type1 vfio_virqfd vfio-pci-core vfio-pci \
	virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
	virtio_pci drm drm_kms_helper drm_shmem_helper virtio_dma_buf \
	virtio-gpu; do
	f=$(find "$OUT/root/lib/modules" -name "$m.ko" | head -n 1)
	[ -n "$f" ] || { echo "guest: module $m.ko not in the kernel package" >&2; exit 1; }
	cp "$f" "$I/lib/modules/"
done
cp "$SRC/tests/guest/init" "$I/init"
chmod 755 "$I/init" "$I/bin/busybox" "$I/bin/viogpu-guest" "$I/bin/viogpu" \
	"$I/bin/bench-guest"
python3 "$SRC/tests/guest/mkinitramfs.py" "$I" "$OUT/initrd.cpio.gz"
for k in "$OUT"/root/boot/vmlinuz-*; do
	cp "$k" "$OUT/vmlinuz"
	break
done
echo "guest: $OUT/vmlinuz, $OUT/initrd.cpio.gz ($(du -k "$OUT/initrd.cpio.gz" | cut -f1) KiB)"
