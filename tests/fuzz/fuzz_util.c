/*
 * fuzz_util.c — the scratch directory and file writing of fuzz.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"

static char tmp[64];

static void
cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", tmp);
}

const char *
fuzz_tmpdir(void)
{
	if (!tmp[0]) {
		snprintf(tmp, sizeof tmp, "/tmp/congkhai-fuzz-XXXXXX");
		if (!mkdtemp(tmp))
			abort();
		atexit(cleanup);
	}
	return tmp;
}

void
fuzz_write(const char *dir, const char *rel, const void *data, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *p = path + 1; (p = strchr(p, '/')) != NULL; p++) {     /* mkdir -p */
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (len && fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}
