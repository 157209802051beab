// SPDX-License-Identifier: MIT
/*
 * The host layer (include/viogpu/host.h) on its own: a --device text is
 * refused with one precise line before anything starts, a good one gives
 * a device with the driver on it, and what differs between kinds (device
 * counters, display changes, power cycles) is reached without asking
 * which kind it is.  The CLI tests check the same messages as a user
 * sees them; these check the contract a daemon or the bench relies on.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "viogpu/display.h"
#include "viogpu/gpu.h"
#include "viogpu/host.h"
#include "viogpu/power.h"
#include "viogpu/present.h"
#include "viogpu/surface.h"

/* prepare's verdict and message for one request. */
static vg_host_result try_prepare(const struct vg_host_request *rq, char *msg,
				  size_t len)
{
	struct vg_host *h = (struct vg_host *)1; /* must be set to NULL */
	vg_host_result r = vg_host_prepare(rq, &h, msg, len);
	if (r == VG_HOST_OK) {
		assert_non_null(h);
		/* Nothing runs after prepare. */
		assert_null(vg_host_os(h));
		assert_null(vg_host_gpu(h));
		vg_host_close(h);
	} else {
		assert_null(h);
	}
	return r;
}

static void refused(const struct vg_host_request *rq, const char *want)
{
	char msg[512];
	assert_int_equal(try_prepare(rq, msg, sizeof(msg)), VG_HOST_REFUSED);
	if (!strstr(msg, want))
		fail_msg("message '%s' lacks '%s'", msg, want);
	assert_null(strchr(msg, '\n'));
}

static void test_bad_specs_are_refused_with_one_line(void **state)
{
	(void)state;
	struct vg_host_request rq = {.device = "uio"};
	refused(&rq, "unknown device 'uio' (want 'qemu', 'sim' or 'vfio')");
	rq.device = "simx";
	refused(&rq, "unknown device 'simx'");
	rq.device = "sim,xres=10";
	refused(&rq, "bad value in device property 'xres=10' (want 16..16384)");
	rq.device = "sim,xres=100,xres=100";
	refused(&rq, "device property 'xres' given twice");
	rq.device = "sim,";
	refused(&rq, "ends in ','");
	rq.device = "qemu,max_backing_entries=4";
	refused(&rq, "bad device property 'max_backing_entries=4'");
	rq.device = "sim,max_hostmem=2T";
	refused(&rq, "want 1..1T bytes");
	rq.device = "sim,edid=off,edid0=/dev/null";
	refused(&rq, "edid=off and 'edid0=' conflict");
	rq.device = "sim,edid0=/nonexistent/x.bin";
	refused(&rq, "cannot read EDID file '/nonexistent/x.bin'");
	rq.device = "sim,max_outputs=2";
	rq.heads = 2;
	refused(&rq, "give the number of heads once");
	rq.heads = 0;
	/* The frames asked for must fit the device and the machine. */
	rq.device = "sim,max_hostmem=1M";
	rq.frame_bytes = 2u << 20;
	refused(&rq, "a frame of 2 MiB is more than max_hostmem=1 MiB");
	rq.device = "sim,max_hostmem=1T";
	rq.frame_bytes = 1ull << 39;
	refused(&rq, "of memory, but the machine has");
	rq.frame_bytes = 0;
}

static void test_faults_belong_to_kinds_that_take_them(void **state)
{
	(void)state;
	char msg[256];
	struct vg_host_request rq = {.device = "qemu", .faults = "drop"};
	refused(&rq, "--faults needs --device sim (QEMU behaves too well)");
	rq.device = "sim";
	rq.faults = "frobnicate";
	refused(&rq, "bad fault term 'frobnicate'");
	rq.faults = "stall:cmd=9";
	assert_int_equal(try_prepare(&rq, msg, sizeof(msg)), VG_HOST_OK);
}

static void test_missing_qemu_is_refused_not_failed(void **state)
{
	(void)state;
	char *old =
		getenv("VIOGPU_QEMU") ? strdup(getenv("VIOGPU_QEMU")) : NULL;
	setenv("VIOGPU_QEMU", "/nonexistent/qemu-system-x86_64", 1);
	struct vg_host_request rq = {.device = "qemu"};
	refused(&rq, "/nonexistent/qemu-system-x86_64");
	rq.device = NULL; /* the default kind is qemu */
	refused(&rq, "/nonexistent/qemu-system-x86_64");
	if (old)
		setenv("VIOGPU_QEMU", old, 1);
	else
		unsetenv("VIOGPU_QEMU");
	free(old);
}

/* vfio: its properties are checked before anything is opened, and a
 * function that is not there fails at start with the step that failed,
 * leaving nothing behind.  (The lane that opens one is `make guest`.) */
static void test_vfio_specs(void **state)
{
	(void)state;
	char msg[512];
	struct vg_host *h = NULL;
	struct vg_host_request rq = {.device = "vfio,addr=00:03.0"};
	refused(&rq, "bad addr '00:03.0' (want a PCI address");
	rq.device = "vfio,addr=0000:00:03:0";
	refused(&rq, "bad addr '0000:00:03:0'");
	rq.device = "vfio,mem=0";
	refused(&rq, "bad value in device property 'mem=0'");
	rq.device = "vfio,xres=640";
	refused(&rq, "want one of addr, mem, max_hostmem, irq");
	rq.device = "vfio,irq=msi";
	refused(&rq, "bad irq 'msi' (want msix or intx)");
	rq.device = "sim,addr=0000:00:03.0";
	refused(&rq, "bad device property 'addr=0000:00:03.0'");
	rq.device = "vfio,max_hostmem=64M";
	rq.frame_bytes = 128ull << 20;
	refused(&rq, "more than max_hostmem=64 MiB");

	struct vg_host_request ok = {.device =
					     "vfio,addr=ffff:ff:1f.7,mem=64M"};
	assert_int_equal(vg_host_prepare(&ok, &h, msg, sizeof(msg)),
			 VG_HOST_OK);
	assert_string_equal(vg_host_kind(h), "vfio");
	assert_int_equal(vg_host_max_hostmem(h), 256u << 20);
	assert_int_equal(vg_host_start(h, msg, sizeof(msg)), VG_HOST_FAILED);
	if (!strstr(msg, "could not open the device through VFIO: no PCI "
			 "function ffff:ff:1f.7"))
		fail_msg("message '%s' does not say what failed", msg);
	assert_null(strchr(msg, '\n'));
	assert_null(vg_host_os(h));
	vg_host_close(h);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *resume_later(void *arg)
{
	struct timespec ts = {0, 100 * 1000000L};
	nanosleep(&ts, NULL);
	assert_int_equal(vg_host_pause(arg, false), VG_OK);
	return NULL;
}

static void test_sim_opens_with_the_driver_up(void **state)
{
	(void)state;
	char msg[256];
	struct vg_host *h = NULL;
	struct vg_host_request rq = {.device = "sim,max_hostmem=64M,xres=640,"
					       "yres=480",
				     .heads = 2};
	assert_int_equal(vg_host_open(&rq, &h, msg, sizeof(msg)), VG_HOST_OK);
	assert_string_equal(vg_host_kind(h), "sim");
	assert_int_equal(vg_host_max_hostmem(h), 64u << 20);
	struct vg_gpu *gpu = vg_host_gpu(h);
	assert_non_null(gpu);
	assert_non_null(vg_host_os(h));
	/* A second start is refused, not a second device. */
	assert_int_equal(vg_host_start(h, msg, sizeof(msg)), VG_HOST_FAILED);

	struct vg_gpu_info info;
	vg_gpu_get_info(gpu, &info);
	assert_int_equal(info.num_scanouts, 2);
	/* The driver got the device's 64 MiB as its limit (not 256 MiB). */
	assert_int_equal(vg_gpu_check_mode(gpu, 0, 4096, 4097), VG_E_RANGE);
	assert_int_equal(vg_gpu_check_mode(gpu, 0, 4096, 4096), VG_OK);
	assert_int_equal(vg_gpu_set_mode(gpu, 0, 640, 480), VG_OK);
	struct vg_fb *fb = vg_gpu_head_fb(gpu, 0);
	for (uint32_t i = 0; i < 640 * 480; i++)
		vg_fb_pixels(fb)[i] = i * 2654435761u & 0xffffff;
	assert_int_equal(vg_gpu_present(gpu, fb, NULL, 0), VG_OK);
	uint32_t *px = NULL, w = 0, hh = 0;
	assert_int_equal(vg_host_screendump(h, 0, &px, &w, &hh), VG_OK);
	assert_int_equal(w, 640);
	assert_int_equal(hh, 480);
	assert_memory_equal(px, vg_fb_pixels(fb), 640 * 480 * 4);
	free(px);

	struct vg_host_counters c;
	vg_host_counters(h, &c);
	assert_true(c.has_driver);
	assert_int_equal(c.driver.live_resources, 1);
	assert_true(c.device_has & VG_HOST_DEV_HOLDS);
	assert_true(c.device_has & VG_HOST_DEV_COMMANDS);
	assert_int_equal(c.device.live_resources, 1);
	assert_true(c.device.commands >= c.driver.commands);
	assert_true(c.device.resets >= 1); /* bring-up */
	assert_string_equal(c.device_name, "device model");

	/* Hibernate through the host: the picture comes back. */
	assert_int_equal(vg_gpu_set_power(gpu, VG_POWER_D3, VG_POWER_HIBERNATE),
			 VG_OK);
	assert_int_equal(vg_host_power_cycle(h, true), VG_OK);
	assert_int_equal(vg_gpu_set_power(gpu, VG_POWER_D0, VG_POWER_HIBERNATE),
			 VG_OK);
	assert_int_equal(vg_host_screendump(h, 0, &px, &w, &hh), VG_OK);
	assert_memory_equal(px, vg_fb_pixels(fb), 640 * 480 * 4);
	free(px);

	/* A host-side display change reaches the driver. */
	assert_int_equal(vg_host_set_display(h, 1, true, 800, 600), VG_OK);
	bool changed = false;
	for (int i = 0; i < 200 && !changed; i++) {
		changed = vg_gpu_display_changed(gpu);
		if (!changed) {
			struct timespec ts = {0, 5 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	assert_true(changed);

	/* A stalled device holds a present until the host lets it go on;
	 * then the queued work is done.  The shared line calls the ISR with
	 * nothing to find, and nothing is lost. */
	uint64_t t0 = now_ms();
	assert_int_equal(vg_host_pause(h, true), VG_OK);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, resume_later, h), 0);
	for (uint32_t i = 0; i < 640 * 480; i++)
		vg_fb_pixels(fb)[i] = ~i & 0xffffff;
	assert_int_equal(vg_gpu_present(gpu, fb, NULL, 0), VG_OK);
	assert_true(now_ms() - t0 >= 90);
	pthread_join(t, NULL);
	for (int i = 0; i < 5; i++)
		assert_int_equal(vg_host_share_irq(h), VG_OK);
	assert_int_equal(vg_gpu_present(gpu, fb, NULL, 0), VG_OK);
	assert_int_equal(vg_host_screendump(h, 0, &px, &w, &hh), VG_OK);
	assert_memory_equal(px, vg_fb_pixels(fb), 640 * 480 * 4);
	free(px);
	vg_host_close(h);
	vg_host_close(NULL);
}

static void test_no_driver_leaves_the_device_to_the_caller(void **state)
{
	(void)state;
	char msg[256];
	struct vg_host *h = NULL;
	struct vg_host_request rq = {.device = "sim", .no_driver = true};
	assert_int_equal(vg_host_open(&rq, &h, msg, sizeof(msg)), VG_HOST_OK);
	assert_null(vg_host_gpu(h));
	struct vg_host_counters c;
	vg_host_counters(h, &c);
	assert_false(c.has_driver);
	assert_true(c.device_has & VG_HOST_DEV_DMA);
	uint64_t base = c.device.dma_bytes_in_use;
	struct vg_gpu *gpu = NULL;
	assert_int_equal(vg_gpu_create(vg_host_os(h), NULL, &gpu), VG_OK);
	vg_host_counters(h, &c);
	assert_true(c.device.dma_bytes_in_use > base);
	vg_gpu_destroy(gpu);
	vg_host_counters(h, &c);
	assert_int_equal(c.device.dma_bytes_in_use, base);
	vg_host_close(h);
}

static void test_size_strings(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(vg_host_size_str(1, b, sizeof(b)), "1 byte");
	assert_string_equal(vg_host_size_str(4095, b, sizeof(b)), "4095 bytes");
	assert_string_equal(vg_host_size_str(1024, b, sizeof(b)), "1 KiB");
	assert_string_equal(vg_host_size_str(300u << 20, b, sizeof(b)),
			    "300 MiB");
	assert_string_equal(vg_host_size_str(3ull << 29, b, sizeof(b)),
			    "1.5 GiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_specs_are_refused_with_one_line),
		cmocka_unit_test(test_faults_belong_to_kinds_that_take_them),
		cmocka_unit_test(test_missing_qemu_is_refused_not_failed),
		cmocka_unit_test(test_vfio_specs),
		cmocka_unit_test(test_sim_opens_with_the_driver_up),
		cmocka_unit_test(
			test_no_driver_leaves_the_device_to_the_caller),
		cmocka_unit_test(test_size_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
