/*
 * memo.c — the memo of site:each: a map of 32-byte keys to byte strings
 * that one build leaves to the next, so that an item whose inputs did not
 * change is not done again (leach.c says what a key hashes and what a
 * value holds; this file only keeps them).
 *
 * Every key starts from the same base (memo_key): the program and the
 * libraries mapped into it (by stat, as fingerprint.c sees them), the
 * options and as-of date, site.yaml and data/ as loaded, and the bytes of
 * every plugin file, built-in and site-local. So a change of any of
 * those changes every key. A site that overrides templates
 * (content/templates/) keeps no memo: a template is handed the whole site
 * and may read any of it, which no key could name.
 *
 * The record is <git dir>/congkhai-memo, beside the history cache (never
 * in the output, never tracked): a magic line, the output it was made
 * for, then the entries (key, length, bytes) and a SHA-256 of all that.
 * It is replaced after each successful build by the entries that build
 * put, so entries no build uses any more go away. It is read with
 * suspicion: one that does not decode, fails its checksum or was made for
 * another output is not used, and the build does every item.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2.h>
#include <nettle/sha2.h>
#include "congkhai.h"
#include "confine.h"
#include "fingerprint.h"
#include "history.h"
#include "memo.h"

#define MEMO_MAGIC  "congkhai-memo 1\n"
#define MEMO_MAX    (1024u << 20)        /* a record larger than this is not read */
#define FILE_MAX    (64u << 20)          /* a plugin file larger than this: no memo */

struct memo {
	uint8_t base[SHA256_DIGEST_SIZE];
	char *path;                      /* the record */
	char *out;                       /* the output, resolved */
	char *old;                       /* the last build's record, read */
	size_t old_len;
	size_t *slot;                    /* offsets into old of its entries (+1; 0 empty) */
	size_t nslot;                    /* a power of two */
	struct buf fresh;                /* entries put: key, u64 length, bytes */
};

static void
put(struct sha256_ctx *h, const void *p, size_t n)
{
	uint64_t len = n;
	sha256_update(h, sizeof len, (const uint8_t *)&len);
	sha256_update(h, n, p);
}

static void
put_str(struct sha256_ctx *h, const char *s)
{
	put(h, s ? s : "\xff", s ? strlen(s) : 1);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir, in path order: its path below the top
 * and its bytes. -1 on anything unreadable or too large. */
static int
put_dir(struct sha256_ctx *h, const char *dir, const char *rel, int depth)
{
	if (depth > 32)
		return -1;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap)
			names = xrealloc(names, (cap = cap ? 2 * cap : 16) * sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *r = xasprintf("%s%s%s", rel, *rel ? "/" : "", names[i]);
		struct stat st;
		if (rc == 0 && stat(path, &st) != 0)
			rc = -1;
		else if (rc == 0 && S_ISDIR(st.st_mode))
			rc = put_dir(h, path, r, depth + 1);
		else if (rc == 0 && S_ISREG(st.st_mode)) {
			char *data = NULL;
			size_t len = 0;
			if (confine_read_path(dir, names[i], FILE_MAX, &data, &len) != 0)
				rc = -1;
			else {
				put_str(h, r);
				put(h, data, len);
			}
			free(data);
		}
		free(path);
		free(r);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Files of the content tree under sub, through the site's source (so
 * --rev reads blobs); with none_wanted, -1 when there is any. */
static int
put_source(struct sha256_ctx *h, struct site *s, const char *sub, int none_wanted)
{
	struct source_file *f = NULL;
	size_t n = 0;
	struct diag quiet = { 0 };
	quiet.quiet = 1;
	struct buf sink = {0};
	quiet.capture = &sink;
	int rc = source_list(s->src, sub, &f, &n, &quiet) == 0 && !quiet.errors ? 0 : -1;
	if (rc == 0 && none_wanted && n)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *data = NULL;
		size_t len = 0;
		if (f[i].size > FILE_MAX || source_read(s->src, f[i].path, &data, &len) != 0)
			rc = -1;
		else {
			put_str(h, f[i].path);
			put(h, data, len);
		}
		free(data);
	}
	source_files_free(f, n);
	buf_free(&sink);
	return rc;
}

static int
make_base(struct memo *m, struct site *s)
{
	struct sha256_ctx h;
	sha256_init(&h);
	put_str(&h, MEMO_MAGIC CONGKHAI_VERSION);
	if (fp_program(&h) != 0)
		return -1;
	put_str(&h, s->base_url);
	put_str(&h, s->drafts ? "drafts" : "");
	char asof[16];                   /* the day, as plugins see it (site.asof) */
	struct tm tm;
	gmtime_r(&s->asof, &tm);
	strftime(asof, sizeof asof, "%Y-%m-%d", &tm);
	put_str(&h, asof);
	struct buf j = {0};
	val_json(&j, s->config);
	buf_putc(&j, '\n');
	if (s->data)
		val_json(&j, s->data);
	put(&h, j.s ? j.s : "", j.len);
	buf_free(&j);
	char *builtin = plugins_builtin_dir();
	int rc = builtin ? put_dir(&h, builtin, "", 0) : -1;
	free(builtin);
	if (rc == 0)
		rc = put_source(&h, s, "plugins", 0);
	if (rc == 0)
		rc = put_source(&h, s, "templates", 1);
	sha256_digest(&h, sizeof m->base, m->base);
	return rc;
}

/* ------------------------------------------------------------ the record */

static uint64_t
get_u64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static size_t
slot_of(const struct memo *m, const unsigned char *key)
{
	return (size_t)get_u64((const char *)key) & (m->nslot - 1);
}

/* Check and index the record in m->old; -1 when it is not to be used. */
static int
index_old(struct memo *m)
{
	const char *p = m->old, *end = m->old + m->old_len;
	size_t hl = strlen(MEMO_MAGIC), ol = strlen(m->out) + 1;
	if (m->old_len < hl + ol + SHA256_DIGEST_SIZE * 2 || memcmp(p, MEMO_MAGIC, hl) != 0)
		return -1;
	end -= SHA256_DIGEST_SIZE;
	uint8_t sum[SHA256_DIGEST_SIZE];
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, (size_t)(end - p), (const uint8_t *)p);
	sha256_digest(&h, sizeof sum, sum);
	if (memcmp(sum, end, sizeof sum) != 0)
		return -1;
	p += hl;
	if (memcmp(p, m->out, ol) != 0)
		return -1;
	p += ol;
	if (memcmp(p, m->base, SHA256_DIGEST_SIZE) != 0)
		return -1;                            /* made under other code or options */
	p += SHA256_DIGEST_SIZE;
	size_t n = 0;
	for (const char *q = p; q < end; n++) {
		if ((size_t)(end - q) < MEMO_KEY + 8 || get_u64(q + MEMO_KEY) > (uint64_t)(end - q) - MEMO_KEY - 8)
			return -1;
		q += MEMO_KEY + 8 + get_u64(q + MEMO_KEY);
	}
	for (m->nslot = 16; m->nslot < 2 * n; m->nslot *= 2)
		;
	m->slot = xcalloc(m->nslot, sizeof *m->slot);
	for (const char *q = p; q < end; q += MEMO_KEY + 8 + get_u64(q + MEMO_KEY)) {
		size_t k = slot_of(m, (const unsigned char *)q);
		while (m->slot[k])
			k = (k + 1) & (m->nslot - 1);
		m->slot[k] = (size_t)(q - m->old) + 1;
	}
	return 0;
}

struct memo *
memo_open(struct site *s)
{
	git_repository *repo = NULL;
	char *prefix = NULL;
	struct memo *m = NULL;
	char *content = realpath(s->content_dir, NULL);
	char *out = output_resolve(s->out_dir);
	git_libgit2_init();
	if (content && out && !output_under(content, out) && s->src &&
	    history_open_repo(s->content_real ? s->content_real : content, &repo, &prefix) == 0) {
		m = xcalloc(1, sizeof *m);
		m->path = xasprintf("%scongkhai-memo", git_repository_path(repo));
		m->out = out;
		out = NULL;
		if (make_base(m, s) != 0) {
			memo_free(m);
			m = NULL;
		}
	}
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(prefix);
	free(content);
	free(out);
	if (!m)
		return NULL;
	int fd = open(m->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= MEMO_MAX) {
		m->old = xmalloc((size_t)st.st_size);
		size_t got = 0;
		while (got < (size_t)st.st_size) {
			ssize_t r = read(fd, m->old + got, (size_t)st.st_size - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		m->old_len = got;
		if (got != (size_t)st.st_size || index_old(m) != 0) {
			free(m->old);
			free(m->slot);
			m->old = NULL;
			m->slot = NULL;
			m->old_len = m->nslot = 0;
		}
	}
	if (fd >= 0)
		close(fd);
	return m;
}

void
memo_key(const struct memo *m, struct sha256_ctx *h)
{
	sha256_init(h);
	sha256_update(h, sizeof m->base, m->base);
}

const char *
memo_get(const struct memo *m, const unsigned char key[MEMO_KEY], size_t *len)
{
	if (!m || !m->slot)
		return NULL;
	for (size_t k = slot_of(m, key); m->slot[k]; k = (k + 1) & (m->nslot - 1)) {
		const char *e = m->old + m->slot[k] - 1;
		if (memcmp(e, key, MEMO_KEY) == 0) {
			*len = (size_t)get_u64(e + MEMO_KEY);
			return e + MEMO_KEY + 8;
		}
	}
	return NULL;
}

void
memo_put(struct memo *m, const unsigned char key[MEMO_KEY], const char *val, size_t len)
{
	uint64_t n = len;
	buf_add(&m->fresh, (const char *)key, MEMO_KEY);
	buf_add(&m->fresh, (const char *)&n, sizeof n);
	buf_add(&m->fresh, val, len);
}

size_t
memo_mark(const struct memo *m)
{
	return m->fresh.len;
}

const char *
memo_since(const struct memo *m, size_t mark, size_t *len)
{
	*len = m->fresh.len - mark;
	return m->fresh.s ? m->fresh.s + mark : "";
}

int
memo_absorb(struct memo *m, const char *bytes, size_t len)
{
	for (const char *q = bytes, *end = bytes + len; q < end; q += MEMO_KEY + 8 + get_u64(q + MEMO_KEY))
		if ((size_t)(end - q) < MEMO_KEY + 8 || get_u64(q + MEMO_KEY) > (uint64_t)(end - q) - MEMO_KEY - 8)
			return -1;
	buf_add(&m->fresh, bytes, len);
	return 0;
}

void
memo_save(struct memo *m)
{
	if (!m)
		return;
	struct buf b = {0};
	buf_puts(&b, MEMO_MAGIC);
	buf_add(&b, m->out, strlen(m->out) + 1);
	buf_add(&b, (const char *)m->base, sizeof m->base);
	buf_add(&b, m->fresh.s ? m->fresh.s : "", m->fresh.len);
	uint8_t sum[SHA256_DIGEST_SIZE];
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, b.len, (const uint8_t *)b.s);
	sha256_digest(&h, sizeof sum, sum);
	buf_add(&b, (const char *)sum, sizeof sum);
	char *tmp = xasprintf("%s.tmp-%ld", m->path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	int ok = fd >= 0;
	for (size_t off = 0; ok && off < b.len;) {
		ssize_t w = write(fd, b.s + off, b.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		off += ok ? (size_t)w : 0;
	}
	if (fd >= 0 && close(fd) != 0)
		ok = 0;
	if (!ok || rename(tmp, m->path) != 0)
		unlink(tmp);
	free(tmp);
	buf_free(&b);
}

void
memo_free(struct memo *m)
{
	if (!m)
		return;
	free(m->path);
	free(m->out);
	free(m->old);
	free(m->slot);
	buf_free(&m->fresh);
	free(m);
}
