# congkhai — build, test, demo, bench, install.
#
#   make            build build/congkhai (release)
#   make demo       build the sample portal from content/ into site/
#   make test       build everything under ASan + UBSan (and a TSan build of
#                   the threaded load) and run all tests
#   make bench      benchmarks (bench/README.md)
#   make fuzz       libFuzzer on every target, FUZZ_TIME seconds each (tests/fuzz/)
#   make install    PREFIX=/usr/local: binary, built-in plugins, man pages
#   make deps       install what building, testing and benchmarking need
#
# BUILD may be set to keep several build trees apart (BUILD=build/x).
#
# The entry targets (all, demo, test, bench, unit) first install what is
# missing (.ci/deps, which says what it installs) and then compile in a
# sub-make, so pkg-config is read only once the libraries are there.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
PKGS      = lua5.4 libgit2 libcmark-gfm sqlite3 yaml-0.1 libutf8proc nettle zlib libmicrohttpd jansson libqrencode liblz4
VERSION   = 0.1.0

# The release binary also links jemalloc, which takes over malloc for the
# whole process (Lua's heap, SQLite, libgit2): a 10,000-page build is ~20 %
# faster than with glibc's malloc (bench/README.md). The sanitizer builds
# keep their own allocator.
MALLOC_PKG = jemalloc

HAVE_PC    := $(shell command -v pkg-config >/dev/null 2>&1 && pkg-config --exists $(PKGS) $(MALLOC_PKG) 2>/dev/null && echo y)
PKG_CFLAGS := $(if $(HAVE_PC),$(shell pkg-config --cflags $(PKGS)))
PKG_LIBS   := $(if $(HAVE_PC),$(shell pkg-config --libs $(PKGS)))
MALLOC_LIBS := $(if $(HAVE_PC),$(shell pkg-config --libs $(MALLOC_PKG)))
JOBS      ?= $(shell nproc 2>/dev/null || echo 1)
SUBMAKE    = $(MAKE) --no-print-directory $(if $(findstring j,$(MAKEFLAGS)),,-j$(JOBS))

WARN     = -Wall -Wextra -Werror -Wno-unused-parameter
BASEFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(PKG_CFLAGS) -DCONGKHAI_VERSION='"$(VERSION)"' \
            -DCONGKHAI_DATADIR='"$(PREFIX)/share/congkhai"'
CFLAGS  ?= -O2 -g
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSANFLAGS = -O1 -g -fsanitize=thread -fno-omit-frame-pointer
LDLIBS   = $(PKG_LIBS) -lm -lpthread

CORE_SRC  = $(filter-out core/main.c,$(wildcard core/*.c))
CORE_HDR  = $(wildcard core/*.h)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)

REL_OBJ   = $(CORE_SRC:core/%.c=$(BUILD)/obj/%.o)
ASAN_OBJ  = $(CORE_SRC:core/%.c=$(BUILD)/asan/obj/%.o)
TSAN_OBJ  = $(CORE_SRC:core/%.c=$(BUILD)/tsan/obj/%.o)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/asan/tests/%)

.PHONY: all deps demo test unit golden bench install clean

all:
	@sh .ci/deps build
	@$(SUBMAKE) $(BUILD)/congkhai

# Installs only what is missing; quick when everything is there.
deps:
	@sh .ci/deps bench

$(BUILD)/obj/%.o: core/%.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/congkhai: $(REL_OBJ) $(BUILD)/obj/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) $(MALLOC_LIBS)

$(BUILD)/asan/obj/%.o: core/%.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(SANFLAGS) -c $< -o $@

$(BUILD)/asan/congkhai: $(ASAN_OBJ) $(BUILD)/asan/obj/main.o
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

# ThreadSanitizer: the parallel load (-j) and the index threads, run by tests/e2e/tsan.sh
$(BUILD)/tsan/obj/%.o: core/%.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(TSANFLAGS) -c $< -o $@

$(BUILD)/tsan/congkhai: $(TSAN_OBJ) $(BUILD)/tsan/obj/main.o
	$(CC) $(TSANFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/tests/%: tests/unit/%.c $(ASAN_OBJ) $(CORE_HDR) tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(BASEFLAGS) $(SANFLAGS) -Icore -o $@ $< $(ASAN_OBJ) $(LDLIBS) -lcmocka

demo: all
	./$(BUILD)/congkhai build -C content -o site
	@echo
	@echo "The portal is in site/. To read it in a browser, with a preview that follows your edits:"
	@echo "    ./$(BUILD)/congkhai serve    # then open http://127.0.0.1:8000/"

unit:
	@sh .ci/deps test
	@$(SUBMAKE) $(UNIT_BIN)

test:
	@sh .ci/deps test
	@$(SUBMAKE) $(BUILD)/asan/congkhai $(UNIT_BIN) $(REPLAY_BIN) $(BUILD)/tsan/congkhai $(BUILD)/congkhai
	@BUILD=$(BUILD) CONGKHAI=$(CURDIR)/$(BUILD)/asan/congkhai sh tests/run

# Rewrite tests/golden/mini from the current outputs (read the diff before committing it).
golden:
	@sh .ci/deps build
	@$(SUBMAKE) $(BUILD)/asan/congkhai
	@GOLDEN_UPDATE=1 ONLY=golden BUILD=$(BUILD) CONGKHAI=$(CURDIR)/$(BUILD)/asan/congkhai sh tests/run

bench:
	@sh .ci/deps bench
	@$(SUBMAKE) $(BUILD)/congkhai
	@BUILD=$(BUILD) sh bench/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/congkhai/plugins $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/congkhai $(DESTDIR)$(PREFIX)/bin/congkhai
	cp -R plugins/. $(DESTDIR)$(PREFIX)/share/congkhai/plugins/
	install -m 644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf $(BUILD)
include tests/fuzz/fuzz.mk
