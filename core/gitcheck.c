/*
 * gitcheck.c — is a repository's object store safe to hand to libgit2?
 *
 * libgit2 1.5 (Debian 12) spins forever inflating a truncated loose object.
 * Before history.c or gitsource.c read any object, every loose object under
 * objects/??/ is inflated here with zlib and checked: a complete stream, a
 * "type size" header, and exactly size bytes after it. Loose objects are
 * few (git packs them past a few thousand), so this costs milliseconds.
 * Each pack's trailing checksum must also match the one its .idx records,
 * which catches a truncated pack (libgit2 would fail on it with a leak and
 * a misleading "no commits"). Damage inside a pack is left to libgit2,
 * which reports it as errors. Owns nothing beyond the call.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "congkhai.h"
#include "history.h"

/* Whether the loose object in fd inflates to a well-formed object. */
static int
loose_ok(int fd)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return 0;
	unsigned char in[16384], out[16384], head[64];
	size_t hlen = 0, total = 0;
	int rc = Z_OK, ended = 0;
	ssize_t n;
	while (!ended && (n = read(fd, in, sizeof in)) > 0) {
		z.next_in = in;
		z.avail_in = (uInt)n;
		while (z.avail_in > 0 && !ended) {
			z.next_out = out;
			z.avail_out = sizeof out;
			rc = inflate(&z, Z_NO_FLUSH);
			if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
				goto done;
			size_t got = sizeof out - z.avail_out;
			for (size_t i = 0; i < got && hlen < sizeof head && (hlen == 0 || head[hlen - 1]); i++)
				head[hlen++] = out[i];
			total += got;
			ended = rc == Z_STREAM_END;
			if (rc == Z_BUF_ERROR && got == 0)
				break;          /* needs more input */
		}
	}
done:
	inflateEnd(&z);
	if (!ended || hlen == 0 || head[hlen - 1] != '\0')
		return 0;
	char *sp = memchr(head, ' ', hlen);
	if (!sp)
		return 0;
	static const char *const types[] = { "blob", "tree", "commit", "tag" };
	int typed = 0;
	for (size_t i = 0; i < 4; i++)
		typed |= (size_t)(sp - (char *)head) == strlen(types[i]) &&
		    memcmp(head, types[i], strlen(types[i])) == 0;
	char *end;
	unsigned long long size = strtoull(sp + 1, &end, 10);
	return typed && end == (char *)head + hlen - 1 && size == total - hlen;
}

/* Whether pack NAME.pack ends with the checksum NAME.idx records for it. */
static int
pack_ok(int dfd, const char *idx)
{
	char pack[300];
	snprintf(pack, sizeof pack, "%.*s.pack", (int)(strlen(idx) - 4), idx);
	unsigned char a[20], b[20];
	int fi = openat(dfd, idx, O_RDONLY | O_CLOEXEC), fp = openat(dfd, pack, O_RDONLY | O_CLOEXEC);
	off_t ei = fi >= 0 ? lseek(fi, 0, SEEK_END) : -1, ep = fp >= 0 ? lseek(fp, 0, SEEK_END) : -1;
	int ok = ei >= 40 && ep >= 32 && pread(fi, a, 20, ei - 40) == 20 && pread(fp, b, 20, ep - 20) == 20 &&
	    memcmp(a, b, 20) == 0;
	if (fi >= 0)
		close(fi);
	if (fp >= 0)
		close(fp);
	return ok;
}

int
gitcheck_objects(const char *gitdir, char **bad)
{
	*bad = NULL;
	char *ppath = xasprintf("%sobjects/pack", gitdir);
	DIR *pd = opendir(ppath);
	struct dirent *pe;
	while (pd && !*bad && (pe = readdir(pd)) != NULL) {
		size_t n = strlen(pe->d_name);
		if (n > 4 && n < 250 && strcmp(pe->d_name + n - 4, ".idx") == 0 && !pack_ok(dirfd(pd), pe->d_name))
			*bad = xasprintf("pack/%.*s.pack", (int)(n - 4), pe->d_name);
	}
	if (pd)
		closedir(pd);
	free(ppath);
	for (int i = 0; i < 256 && !*bad; i++) {
		char *dpath = xasprintf("%sobjects/%02x", gitdir, i);
		DIR *d = opendir(dpath);
		struct dirent *e;
		while (d && !*bad && (e = readdir(d)) != NULL) {
			if (strlen(e->d_name) != 38 || strspn(e->d_name, "0123456789abcdef") != 38)
				continue;
			int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || !loose_ok(fd))
				*bad = xasprintf("%02x%s", i, e->d_name);
			if (fd >= 0)
				close(fd);
		}
		if (d)
			closedir(d);
		free(dpath);
	}
	return *bad ? -1 : 0;
}
