/*
 * driver.c — a main() for the fuzz targets without libFuzzer: runs the
 * target once on every file named on the command line (or in the folders
 * named), so `make test` replays the seed corpora and every crash kept in
 * tests/fuzz/regress/ under ASan + UBSan. Prints one line per input.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 1 << 16, n = 0, r;
	unsigned char *buf = malloc(cap);
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0)
		if ((n += r) == cap)
			buf = realloc(buf, cap *= 2);
	fclose(f);
	if (!buf)
		return -1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	int ran = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			ran += run_file(argv[i]) == 0;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0;
		while (d && (e = readdir(d)) != NULL)
			if (e->d_name[0] != '.' && strcmp(e->d_name, "README") != 0) {
				names = realloc(names, (n + 1) * sizeof *names);
				names[n++] = strdup(e->d_name);
			}
		if (d)
			closedir(d);
		if (n)
			qsort(names, n, sizeof *names, cmp);
		for (size_t k = 0; k < n; k++) {
			char path[1024];
			snprintf(path, sizeof path, "%s/%s", argv[i], names[k]);
			ran += run_file(path) == 0;
			free(names[k]);
		}
		free(names);
	}
	printf("%d inputs ran\n", ran);
	return 0;
}
