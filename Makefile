# The two commands a newcomer needs: `make demo` and `make check`.
# Both install the Debian packages they need when run as root.
BUILD      ?= build
TSAN_BUILD ?= build-tsan
REL_BUILD  ?= build-release
MESON_SETUP = meson setup --wipe

.PHONY: all deps build check demo bench format format-check clean

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

check: build $(TSAN_BUILD)/build.ninja format-check
	ninja -C $(TSAN_BUILD)
	python3 scripts/run-tests.py $(BUILD) $(TSAN_BUILD):concurrency

demo: build
	./$(BUILD)/viogpu demo

bench: deps $(REL_BUILD)/build.ninja
	ninja -C $(REL_BUILD)
	./$(REL_BUILD)/bench/bench-present

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@out=$$(for f in $$(git ls-files '*.c' '*.h'); do \
		clang-format --dry-run -Werror "$$f" >/dev/null 2>&1 || echo "$$f"; done); \
	if [ -n "$$out" ]; then echo "not clang-formatted (run make format):"; echo "$$out"; exit 1; fi

clean:
	rm -rf $(BUILD) $(TSAN_BUILD) $(REL_BUILD)
