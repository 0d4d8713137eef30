/* confine.c: paths refused outright, links that leave the root or pass
 * through .git, links that stay inside; in a temporary directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "confine.h"

static char dir[64];
static int rootfd = -1;

static void
put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
link_at(const char *target, const char *rel)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

static int
setup(void **st)
{
	snprintf(dir, sizeof dir, "/tmp/congkhai-confine-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/root", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/root/.git", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/root/sub", dir);
	mkdir(path, 0755);
	put("secret.txt", "secret");
	put("root/.git/config", "[core]");
	put("root/sub/a.txt", "a");
	link_at("../../secret.txt", "root/sub/out.txt");
	link_at("/etc/passwd", "root/sub/abs.txt");
	link_at("a.txt", "root/sub/in.txt");
	link_at("../.git/config", "root/sub/git.txt");
	link_at("..", "root/sub/up");
	snprintf(path, sizeof path, "%s/root", dir);
	rootfd = open(path, O_PATH | O_DIRECTORY);
	return rootfd < 0;
}

static int
teardown(void **st)
{
	close(rootfd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) != 0;
}

static void
test_paths(void **st)
{
	assert_true(confine_path_ok("static/a.pdf"));
	assert_true(confine_path_ok("a..b/c"));
	assert_true(confine_path_ok(".well-known/x"));
	assert_false(confine_path_ok(""));
	assert_false(confine_path_ok("/etc/passwd"));
	assert_false(confine_path_ok("../x"));
	assert_false(confine_path_ok("a/../../x"));
	assert_false(confine_path_ok("a//b"));
	assert_false(confine_path_ok("a/./b"));
	assert_false(confine_path_ok("a/"));
	assert_false(confine_path_ok(".git/config"));
	assert_false(confine_path_ok("static/.GIT/config"));
	assert_false(confine_path_ok("x/.git"));
}

static void
test_reads(void **st)
{
	char *data;
	size_t len;
	assert_int_equal(confine_read(rootfd, "sub/a.txt", 100, &data, &len), 0);
	assert_string_equal(data, "a");
	free(data);
	assert_int_equal(confine_read(rootfd, "sub/in.txt", 100, &data, &len), 0);   /* a link inside */
	assert_string_equal(data, "a");
	free(data);
	assert_int_equal(confine_read(rootfd, "sub/out.txt", 100, &data, &len), -1);
	assert_int_equal(confine_read(rootfd, "sub/abs.txt", 100, &data, &len), -1);
	assert_int_equal(confine_read(rootfd, "sub/git.txt", 100, &data, &len), -1);
	assert_int_equal(errno, EXDEV);
	assert_int_equal(confine_read(rootfd, ".git/config", 100, &data, &len), -1);
	assert_int_equal(errno, EACCES);
	assert_int_equal(confine_read(rootfd, "sub/../../secret.txt", 100, &data, &len), -1);
	assert_int_equal(confine_read(rootfd, "sub/a.txt", 0, &data, &len), -1);      /* over max */
	assert_int_equal(confine_read(rootfd, "sub", 100, &data, &len), -1);           /* a folder */
	/* folders: links are not followed without `follow` */
	int fd = confine_open(rootfd, "sub/up", O_RDONLY | O_DIRECTORY, 0);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, ELOOP);
	fd = confine_open(rootfd, "sub/up", O_RDONLY | O_DIRECTORY, 1);   /* the root itself */
	assert_true(fd >= 0);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest t[] = { cmocka_unit_test(test_paths), cmocka_unit_test(test_reads) };
	return cmocka_run_group_tests(t, setup, teardown);
}
