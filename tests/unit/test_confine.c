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
	snprintf(path, sizeof path, "%s/root/sub/fifo", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
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
	assert_int_equal(confine_read(rootfd, "sub/fifo", 100, &data, &len), -1);      /* no wait */
	/* folders: links are not followed without `follow` */
	int fd = confine_open(rootfd, "sub/up", O_RDONLY | O_DIRECTORY, 0);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, ELOOP);
	fd = confine_open(rootfd, "sub/up", O_RDONLY | O_DIRECTORY, 1);   /* the root itself */
	assert_true(fd >= 0);
	close(fd);
}

/* confine_open itself, through openat2 or by hand: every refusal, with its
 * errno, and the links that are allowed. */
static void
opens(int (*op)(int, const char *, int, int))
{
	static const struct { const char *rel; int flags, follow, err; } no[] = {
		{ "/etc/passwd", O_RDONLY, 1, EACCES },          /* absolute */
		{ "../secret.txt", O_RDONLY, 1, EACCES },        /* .. */
		{ "sub/../../secret.txt", O_RDONLY, 1, EACCES },
		{ "sub//a.txt", O_RDONLY, 1, EACCES },           /* empty component */
		{ ".git/config", O_RDONLY, 1, EACCES },          /* .git, any case */
		{ ".GIT/config", O_RDONLY, 1, EACCES },
		{ ".git", O_RDONLY | O_DIRECTORY, 0, EACCES },
		{ "sub/out.txt", O_RDONLY, 1, EXDEV },           /* relative link leaving the root */
		{ "sub/abs.txt", O_RDONLY, 1, EXDEV },           /* absolute link */
		{ "sub/git.txt", O_RDONLY, 1, EXDEV },           /* link inside, into .git */
		{ "sub/in.txt", O_RDONLY, 0, ELOOP },            /* links refused without follow */
		{ "sub/up", O_RDONLY | O_DIRECTORY, 0, ELOOP },
		{ "sub/up/sub/a.txt", O_RDONLY, 0, ELOOP },      /* ... in the middle too */
		{ "sub/none.txt", O_RDONLY, 1, ENOENT },
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		errno = 0;
		int fd = op(rootfd, no[i].rel, no[i].flags, no[i].follow);
		if (fd >= 0)
			close(fd);
		if (fd >= 0 || errno != no[i].err)
			fail_msg("%s: fd %d, errno %d, wanted %d", no[i].rel, fd, errno, no[i].err);
	}
	static const struct { const char *rel; int flags, follow; } yes[] = {
		{ "sub/a.txt", O_RDONLY, 0 },
		{ "sub/in.txt", O_RDONLY, 1 },                   /* a link that stays inside */
		{ "sub/up/sub/in.txt", O_RDONLY, 1 },            /* through a folder link inside */
		{ "sub", O_RDONLY | O_DIRECTORY, 0 },
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		int fd = op(rootfd, yes[i].rel, yes[i].flags, yes[i].follow);
		if (fd < 0)
			fail_msg("%s: errno %d", yes[i].rel, errno);
		char c = 0;
		if (!(yes[i].flags & O_DIRECTORY))
			assert_int_equal(read(fd, &c, 1), 1), assert_int_equal(c, 'a');
		close(fd);
	}
}

static void
test_open(void **st)
{
	opens(confine_open);
}

static void
test_open_compat(void **st)
{
	opens(confine_open_compat);
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_paths), cmocka_unit_test(test_reads),
		cmocka_unit_test(test_open), cmocka_unit_test(test_open_compat),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
