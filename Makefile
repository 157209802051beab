SHELL := /bin/bash

# The two commands a newcomer needs: `make demo` and `make check`.
# Both install the Debian packages they need when run as root.
BUILD      ?= build
TSAN_BUILD ?= build-tsan
REL_BUILD  ?= build-release
FUZZ_BUILD ?= build-fuzz
WIN_BUILD  ?= build-win
# make check fuzzes this long; `make fuzz FUZZ_SECONDS=3600` for a long run.
FUZZ_SECONDS ?= 30
FUZZ_CORPUS ?= $(FUZZ_BUILD)/corpus
MESON_SETUP = meson setup --wipe

.PHONY: all deps build check demo demo-server bench bench-hdr bench-strategies fuzz format \
	format-check clean mutants windows windows-check deb

all: build

deps:
	@scripts/ensure-deps.sh

# The TSan build uses clang: gcc 12 refuses atomic fences under TSan.
# The default build: debug-optimized, ASan + UBSan, warnings are errors.
$(BUILD)/build.ninja: | deps
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(TSAN_BUILD)/build.ninja: | deps
	CC=clang meson setup $(TSAN_BUILD) -Db_sanitize=thread

$(REL_BUILD)/build.ninja: | deps
	meson setup $(REL_BUILD) --buildtype=release -Db_sanitize=none

$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true

check: build $(TSAN_BUILD)/build.ninja $(REL_BUILD)/build.ninja format-check fuzz windows
	ninja -C $(TSAN_BUILD)
	ninja -C $(REL_BUILD)
	python3 scripts/run-tests.py $(BUILD) $(TSAN_BUILD):concurrency $(WIN_BUILD):windows \
		$(REL_BUILD):install

# The Windows lane: cross-built with Debian's mingw-w64 (no sanitizers,
# warnings are errors); its tests run under Wine (scripts/wine-run.sh, a
# headless private prefix in $(WIN_BUILD)/wineprefix).  The exe_wrapper
# needs an absolute path, so it goes in a second machine file here.
$(WIN_BUILD)/build.ninja: | deps
	mkdir -p $(WIN_BUILD)
	printf "[binaries]\nexe_wrapper = ['%s/scripts/wine-run.sh']\n" \
		"$(CURDIR)" > $(WIN_BUILD)/wine.txt
	meson setup $(WIN_BUILD) --cross-file cross/x86_64-w64-mingw32.txt \
		--cross-file $(WIN_BUILD)/wine.txt -Db_sanitize=none

windows: deps $(WIN_BUILD)/build.ninja
	ninja -C $(WIN_BUILD)

# The Windows tests alone (the PNG comparison needs the Linux build).
windows-check: build windows
	python3 scripts/run-tests.py $(WIN_BUILD):windows

# The Windows installer, from the Windows build, with wixl (Debian's
# msitools): the tools (the default feature) and the resolution service
# (an optional feature, off by default).  Its test under Wine's msiexec is
# in the 'windows' suite (make check, make windows-check).
MSI_VERSION := $(shell sed -n "s/^  version : '\(.*\)',$$/\1/p" meson.build)
.PHONY: msi
msi: windows
	scripts/make-msi.sh $(WIN_BUILD)/viogpu-$(MSI_VERSION).msi $(MSI_VERSION) \
		$(WIN_BUILD)/win/cli/viogpu.exe \
		$(WIN_BUILD)/win/service/viogpu-service.exe README.md
	@ls -l $(WIN_BUILD)/viogpu-$(MSI_VERSION).msi

# libFuzzer over everything the device writes (ASan + UBSan, clang), over
# the EDID decoder (seeded with tests/data/edid, which it never writes
# to), and over the display server's request decoder.
fuzz: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) tests/fuzz_device tests/fuzz_edid tests/fuzz_proto \
		tests/fuzz_png tests/fuzz_png_standalone
	mkdir -p $(FUZZ_CORPUS) $(FUZZ_CORPUS)-edid $(FUZZ_CORPUS)-proto $(FUZZ_CORPUS)-png $(FUZZ_CORPUS)-png-seeds
	./$(FUZZ_BUILD)/tests/fuzz_device $(FUZZ_CORPUS) -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 2>&1 | grep -E '^(stat::number_of_executed_units|==|SUMMARY)|ERROR|DONE'; \
		test $${PIPESTATUS[0]} -eq 0
	./$(FUZZ_BUILD)/tests/fuzz_edid $(FUZZ_CORPUS)-edid tests/data/edid \
		-max_total_time=$(FUZZ_SECONDS) -max_len=2048 \
		-print_final_stats=1 2>&1 | grep -E '^(stat::number_of_executed_units|==|SUMMARY)|ERROR|DONE'; \
		test $${PIPESTATUS[0]} -eq 0
	./$(FUZZ_BUILD)/tests/fuzz_proto $(FUZZ_CORPUS)-proto \
		-max_total_time=$(FUZZ_SECONDS) -max_len=$$((512 + 64 + 3)) \
		-print_final_stats=1 2>&1 | grep -E '^(stat::number_of_executed_units|==|SUMMARY)|ERROR|DONE'; \
		test $${PIPESTATUS[0]} -eq 0
	./$(FUZZ_BUILD)/tests/fuzz_png_standalone --write-seeds $(FUZZ_CORPUS)-png-seeds >/dev/null
	./$(FUZZ_BUILD)/tests/fuzz_png $(FUZZ_CORPUS)-png $(FUZZ_CORPUS)-png-seeds \
		-max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=4096 -malloc_limit_mb=4096 \
		-print_final_stats=1 2>&1 | grep -E '^(stat::number_of_executed_units|==|SUMMARY)|ERROR|DONE'; \
		test $${PIPESTATUS[0]} -eq 0

# Plants each bug of tests/mutants in a scratch copy of the tree and runs
# the fast suites against it (minutes; not part of check).  Fails below
# MUTANTS_THRESHOLD percent killed.
MUTANTS_THRESHOLD ?= 90
mutants: deps
	python3 scripts/mutants.py --threshold $(MUTANTS_THRESHOLD)

demo: build
	./$(BUILD)/viogpu demo

# The display server on the device model: viogpud, a scripted
# `viogpu draw`, and the device's own picture saved as demo-server.png
# when the daemon exits (SIGTERM).
DEMO_SOCK ?= $(BUILD)/demo-server.sock
demo-server: build
	@./$(BUILD)/viogpud --device sim --socket $(DEMO_SOCK) \
		--screendump-on-exit demo-server.png & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 200); do [ -S $(DEMO_SOCK) ] && break; sleep 0.05; done; \
	printf '%s\n' 'clear 0x101830' 'fill 40 40 300 200 0x2060c0' \
		'rect 40 40 300 200 0xffffff' 'line 40 40 339 239 0xffd000' \
		'line 339 40 40 239 0xffd000' 'pixel 190 140 0xff0000' 'swap' | \
		./$(BUILD)/viogpu draw --socket $(DEMO_SOCK) && \
	kill $$pid && wait $$pid && echo "wrote demo-server.png"

# The same daemon and drawing, then the viewer on head 0 (needs a
# display); closing the window stops the daemon, which saves
# demo-view.png (the device's picture, with what the mouse drew).
.PHONY: demo-view
demo-view: build
	@./$(BUILD)/viogpud --device sim --socket $(DEMO_SOCK) \
		--screendump-on-exit demo-view.png & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 200); do [ -S $(DEMO_SOCK) ] && break; sleep 0.05; done; \
	printf '%s\n' 'clear 0x101830' 'fill 40 40 300 200 0x2060c0' \
		'rect 40 40 300 200 0xffffff' 'swap' | \
		./$(BUILD)/viogpu draw --socket $(DEMO_SOCK) && \
	./$(BUILD)/viogpu-view --socket $(DEMO_SOCK); \
	kill $$pid && wait $$pid && echo "wrote demo-view.png"

bench: deps $(REL_BUILD)/build.ninja
	ninja -C $(REL_BUILD)
	./$(REL_BUILD)/bench/bench-present

# The same damage presented per rectangle, as one bounding box and as
# full frames, on QEMU.
bench-strategies: deps $(REL_BUILD)/build.ninja
	ninja -C $(REL_BUILD) bench/bench-present-strategies
	./$(REL_BUILD)/bench/bench-present-strategies

# viogpud's costs on the device model (BENCH_DEVICE=qemu for QEMU): lines
# as DRAW_LINE, DRAW_PIXEL and shared memory; SWAP_BUFFERS next to the
# core's present; round trips.
BENCH_DEVICE ?= sim
.PHONY: bench-server
bench-server: deps $(REL_BUILD)/build.ninja
	ninja -C $(REL_BUILD) bench/bench-server viogpud
	./$(REL_BUILD)/bench/bench-server --device $(BENCH_DEVICE)

# The HDR converter, one core, full 4K and 8K frames, next to memcpy and
# FFmpeg's CPU path (ffmpeg is looked for at run time, not installed).
bench-hdr: deps $(REL_BUILD)/build.ninja
	ninja -C $(REL_BUILD) bench/bench-hdr
	./$(REL_BUILD)/bench/bench-hdr

# The Debian packages, built from a copy of this tree (scripts/make-deb.sh),
# left in $(DEB_OUT)/ with the .changes; lintian must report no error and
# no warning.
DEB_OUT ?= build-deb
deb: deps
	scripts/make-deb.sh $(DEB_OUT)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@out=$$(for f in $$(git ls-files '*.c' '*.h'); do \
		clang-format --dry-run -Werror "$$f" >/dev/null 2>&1 || echo "$$f"; done); \
	if [ -n "$$out" ]; then echo "not clang-formatted (run make format):"; echo "$$out"; exit 1; fi

clean:
	rm -rf $(BUILD) $(TSAN_BUILD) $(REL_BUILD) $(FUZZ_BUILD) build-mutants \
		$(WIN_BUILD)

# The guest lane alone (README "The guest lane"): Debian's kernel boots
# under TCG and the driver runs inside it through VFIO.
.PHONY: guest
guest: build
	scripts/guest-build.sh
	ninja -C $(BUILD) tests/guest/guest_check
	python3 tests/guest/run_guest.py --guest-dir build-guest \
		--check $(BUILD)/tests/guest/guest_check

# bench/guest (README "The guest lane"): the kernel's virtio-gpu DRM
# driver and ours on the same device in one TCG guest boot; the JSON is
# also left in build-guest/bench-guest.json.  BENCH_GUEST_ARGS: the
# program's arguments with colons for spaces.
BENCH_GUEST_ARGS ?= --rounds:5:--seconds-per-round:0.5
.PHONY: bench-guest
bench-guest: deps
	scripts/guest-build.sh
	python3 tests/guest/run_guest.py --guest-dir build-guest --boot bench \
		--bench-args="$(BENCH_GUEST_ARGS)" --deadline 900 \
		--json-out build-guest/bench-guest.json \
		--log build-guest/bench-serial.log
	cat build-guest/bench-guest.json
