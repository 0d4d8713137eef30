/* output.c's removal of a tree (output_remove, what a build does to the
 * site it replaced): files, a FIFO, links to folders and files outside
 * that must not be followed, empty folders, and a folder deeper than the
 * removal keeps open; in a temporary directory. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"

#define DEEP 45                /* folders, past output.c's RM_DEPTH */

static char dir[64];

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void
test_remove(void **st)
{
	(void)st;
	snprintf(dir, sizeof dir, "/tmp/congkhai-output-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char keep[128], tree[128], path[4096];
	snprintf(keep, sizeof keep, "%s/keep", dir);
	snprintf(tree, sizeof tree, "%s/tree", dir);
	assert_int_equal(mkdir(keep, 0755), 0);
	snprintf(path, sizeof path, "%s/kept.txt", keep);
	put(path, "kept");
	assert_int_equal(mkdir(tree, 0755), 0);
	snprintf(path, sizeof path, "%s/a.html", tree);
	put(path, "a");
	snprintf(path, sizeof path, "%s/empty", tree);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/fifo", tree);
	assert_int_equal(mkfifo(path, 0644), 0);
	snprintf(path, sizeof path, "%s/to-keep", tree);
	assert_int_equal(symlink(keep, path), 0);
	/* tree/d/d/.../d, each with a file and, at the bottom, a link */
	size_t n = (size_t)snprintf(path, sizeof path, "%s", tree);
	for (int i = 0; i < DEEP; i++) {
		n += (size_t)snprintf(path + n, sizeof path - n, "/d");
		assert_int_equal(mkdir(path, 0755), 0);
		char file[4200];
		snprintf(file, sizeof file, "%s/index.html", path);
		put(file, "x");
	}
	char deep_link[4200];
	snprintf(deep_link, sizeof deep_link, "%s/to-keep", path);
	assert_int_equal(symlink(keep, deep_link), 0);

	output_remove(tree);
	assert_false(exists(tree));
	snprintf(path, sizeof path, "%s/kept.txt", keep);
	assert_true(exists(path));           /* no link was followed */

	output_remove(tree);                 /* nothing there: nothing done */
	unlink(path);
	rmdir(keep);
	assert_int_equal(rmdir(dir), 0);     /* nothing else was left */
}

int
main(void)
{
	const struct CMUnitTest t[] = { cmocka_unit_test(test_remove) };
	return cmocka_run_group_tests(t, NULL, NULL);
}
