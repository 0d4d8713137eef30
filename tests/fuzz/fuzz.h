/*
 * fuzz.h — what the fuzz targets share: the libFuzzer entry points and a
 * scratch directory made once per process. Each target is one file,
 * fuzz_<name>.c; built with clang's libFuzzer by `make fuzz`, and with
 * driver.c (a plain main that replays files) under ASan by `make test`.
 */
#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A directory of this process's own, removed at exit. */
const char *fuzz_tmpdir(void);
/* Write data to dir/rel (parents made). */
void fuzz_write(const char *dir, const char *rel, const void *data, size_t len);

#endif
