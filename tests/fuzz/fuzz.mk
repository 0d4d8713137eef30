# tests/fuzz/fuzz.mk — fuzzing, included by the Makefile.
#
#   make fuzz [FUZZ_TIME=60]   libFuzzer (clang, ASan + UBSan) on every target
#                              for FUZZ_TIME seconds each, from a copy of the
#                              seed corpus; crashes land in build/fuzz/crashes/
#   make fuzz-regress          the same libFuzzer binaries run once over every
#                              file of tests/fuzz/corpus/ and regress/
#   make test                  also replays tests/fuzz/corpus/ and regress/
#                              through the same targets (gcc, ASan + UBSan)
#   make tsan                  the ThreadSanitizer build, build/tsan/congkhai,
#                              and tests/e2e/tsan.sh with it (make test runs
#                              that too)
#
# A target is tests/fuzz/fuzz_NAME.c; see tests/fuzz/README.md.

FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(filter-out tests/fuzz/fuzz_util.c,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TIME   ?= 60
FUZZ_CC     ?= clang
FUZZ_FLAGS   = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJ     = $(CORE_SRC:core/%.c=$(BUILD)/fuzz/obj/%.o)
FUZZ_BIN     = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
REPLAY_BIN   = $(FUZZ_TARGETS:%=$(BUILD)/asan/tests/replay_%)
FUZZ_SUPPORT = tests/fuzz/fuzz_util.c tests/fuzz/fuzz.h
FUZZ_DEFS    = -Icore -Itests/fuzz -DFUZZ_ROOT='"$(CURDIR)"'

.PHONY: fuzz fuzz-bins fuzz-regress tsan
.SECONDARY: $(FUZZ_OBJ)

$(BUILD)/fuzz/obj/%.o: core/%.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASEFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SUPPORT) $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASEFLAGS) $(FUZZ_FLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer -o $@ $< tests/fuzz/fuzz_util.c $(FUZZ_OBJ) $(LDLIBS)

$(BUILD)/asan/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c $(FUZZ_SUPPORT) $(ASAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(SANFLAGS) $(FUZZ_DEFS) -o $@ $< tests/fuzz/driver.c tests/fuzz/fuzz_util.c $(ASAN_OBJ) $(LDLIBS)

fuzz-bins: $(FUZZ_BIN)

fuzz:
	@sh .ci/deps fuzz
	@$(SUBMAKE) fuzz-bins
	@BUILD=$(BUILD) sh tests/fuzz/run $(FUZZ_TIME) $(FUZZ_TARGETS)

fuzz-regress:
	@sh .ci/deps fuzz
	@$(SUBMAKE) fuzz-bins
	@BUILD=$(BUILD) sh tests/fuzz/replay $(FUZZ_TARGETS)

tsan:
	@sh .ci/deps test
	@$(SUBMAKE) $(BUILD)/tsan/congkhai
	@BUILD=$(BUILD) CONGKHAI_ROOT=$(CURDIR) sh tests/e2e/tsan.sh > $(BUILD)/tsan/tsan.tap; \
	  st=$$?; cat $(BUILD)/tsan/tsan.tap; [ $$st -eq 0 ] && ! grep -q '^not ok' $(BUILD)/tsan/tsan.tap
