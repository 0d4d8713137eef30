/*
 * memo.c — the memo of site:each: a map of 32-byte keys to byte strings
 * that one build leaves to the next, so that an item whose inputs did not
 * change is not done again (leach.c says what a key hashes and what a
 * value holds; this file only keeps them). The search index keeps its
 * documents' folded terms and its gzipped files in it too (index.c).
 *
 * Every key starts from the same base (memo_key): the program and the
 * libraries mapped into it (by stat, as fingerprint.c sees them), the
 * options, site.yaml and data/ as loaded, and the bytes of every plugin
 * file, built-in and site-local. So a change of any of those changes
 * every key. The as-of date is not in it: an item that read site.asof
 * says so in its value (leach.c), so that a new day redoes only those.
 * A site that overrides templates (content/templates/) keeps no memo: a
 * template is handed the whole site and may read any of it, which no key
 * could name.
 *
 * The record is <git dir>/congkhai-memo, beside the history cache (never
 * in the output, never tracked): a magic line, the output it was made
 * for, the base, then the entries (key, length, bytes) and a SHA-256 of
 * all that. It is replaced after each successful build by the entries
 * that build put, so entries no build uses any more go away. It is read
 * with suspicion: one that does not decode, fails its checksum or was made
 * for another output or base is not used, and the build does every item.
 * Neither record is held in memory: the last one is indexed (keys and
 * offsets) and a value read when asked for; the next one is written as
 * entries come, in the parent (a worker's entries come to it through its
 * report, memo_child and memo_taken).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include <nettle/sha2.h>
#include "congkhai.h"
#include "confine.h"
#include "fingerprint.h"
#include "history.h"
#include "memo.h"

#define MEMO_MAGIC  "congkhai-memo 3\n"
#define MEMO_MAX    (1024u << 20)        /* a record larger than this is not read */
#define FILE_MAX    (64u << 20)          /* a plugin file larger than this: no memo */

/* An entry of the last build's record: where its value is in the file. */
struct ent { unsigned char key[MEMO_KEY]; uint64_t off, len; };

struct memo {
	uint8_t base[SHA256_DIGEST_SIZE];
	char *path;                      /* the record */
	char *out;                       /* the output, resolved */
	int fd;                          /* the last build's record, or -1 */
	struct ent *ents;                /* its entries, by slot_of (open addressing) */
	size_t nslot;                    /* a power of two; 0: no record */
	char *val;                       /* the value memo_get read last */
	size_t valcap;
	char *tmp;                       /* the record being written (NULL in a worker) */
	int tmp_fd;
	int failed;                      /* a write failed: no record is saved */
	struct sha256_ctx sum;           /* of what was written to tmp */
	struct buf fresh;                /* entries put, not yet written (all of them in a worker) */
};

#define FLUSH_AT  (1u << 20)         /* bytes of entries kept before they are written */

void
memo_key_add(struct sha256_ctx *h, const void *p, size_t n)
{
	uint64_t len = n;
	sha256_update(h, sizeof len, (const uint8_t *)&len);
	sha256_update(h, n, p);
}

void
memo_key_str(struct sha256_ctx *h, const char *s)
{
	memo_key_add(h, s ? s : "\xff", s ? strlen(s) : 1);
}

/* The regular files under sub of a source, in path order: their paths
 * and bytes (through the site's source, --rev reads blobs); with
 * none_wanted, -1 when there is any. */
static int
put_source(struct sha256_ctx *h, struct source *src, const char *sub, int none_wanted)
{
	struct source_file *f = NULL;
	size_t n = 0;
	struct diag quiet = { 0 };
	quiet.quiet = 1;
	struct buf sink = {0};
	quiet.capture = &sink;
	int rc = source_list(src, sub, &f, &n, &quiet) == 0 && !quiet.errors ? 0 : -1;
	if (rc == 0 && none_wanted && n)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *data = NULL;
		size_t len = 0;
		if (f[i].size > FILE_MAX || source_read(src, f[i].path, &data, &len) != 0)
			rc = -1;
		else {
			memo_key_str(h, f[i].path);
			memo_key_add(h, data, len);
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
	memo_key_str(&h, MEMO_MAGIC CONGKHAI_VERSION);
	if (fp_program(&h) != 0)
		return -1;
	memo_key_str(&h, s->base_url);
	memo_key_str(&h, s->drafts ? "drafts" : "");
	struct buf j = {0};
	val_json(&j, s->config);
	buf_putc(&j, '\n');
	if (s->data)
		val_json(&j, s->data);
	memo_key_add(&h, j.s ? j.s : "", j.len);
	buf_free(&j);
	char *builtin = plugins_builtin_dir();     /* read as a source rooted at its parent */
	int rc = -1;
	if (builtin) {
		char *a = xstrdup(builtin), *b = xstrdup(builtin);
		struct source *src = source_open_fs(dirname(a));
		rc = put_source(&h, src, basename(b), 0);
		source_close(src);
		free(a);
		free(b);
	}
	free(builtin);
	if (rc == 0)
		rc = put_source(&h, s->src, "plugins", 0);
	if (rc == 0)
		rc = put_source(&h, s->src, "templates", 1);
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

/* Whether bytes[0..len) are whole entries; their count in *n. */
static int
entries_ok(const char *p, size_t len, size_t *n)
{
	*n = 0;
	for (const char *end = p + len; p < end; (*n)++) {
		if ((size_t)(end - p) < MEMO_KEY + 8 || get_u64(p + MEMO_KEY) > (uint64_t)(end - p) - MEMO_KEY - 8)
			return 0;
		p += MEMO_KEY + 8 + get_u64(p + MEMO_KEY);
	}
	return 1;
}

/* Check and index the record r[0..len) of the file; -1 when it is not
 * to be used. */
static int
index_old(struct memo *m, const char *r, size_t len)
{
	const char *p = r, *end = r + len;
	size_t hl = strlen(MEMO_MAGIC), ol = strlen(m->out) + 1, n;
	if (len < hl + ol + SHA256_DIGEST_SIZE * 2 || memcmp(p, MEMO_MAGIC, hl) != 0)
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
	if (!entries_ok(p, (size_t)(end - p), &n))
		return -1;
	for (m->nslot = 16; m->nslot < 2 * n; m->nslot *= 2)
		;
	m->ents = xcalloc(m->nslot, sizeof *m->ents);
	for (const char *q = p; q < end; q += MEMO_KEY + 8 + get_u64(q + MEMO_KEY)) {
		size_t k = slot_of(m, (const unsigned char *)q);
		while (m->ents[k].off)
			k = (k + 1) & (m->nslot - 1);
		memcpy(m->ents[k].key, q, MEMO_KEY);
		m->ents[k].off = (uint64_t)(q - r) + MEMO_KEY + 8;     /* never 0: the header is before */
		m->ents[k].len = get_u64(q + MEMO_KEY);
	}
	return 0;
}

static void
read_old(struct memo *m)
{
	m->fd = open(m->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	void *map = MAP_FAILED;
	if (m->fd >= 0 && fstat(m->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= MEMO_MAX)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, m->fd, 0);
	if (map != MAP_FAILED) {
		if (index_old(m, map, (size_t)st.st_size) != 0) {
			free(m->ents);
			m->ents = NULL;
			m->nslot = 0;
		}
		munmap(map, (size_t)st.st_size);     /* values are read when asked for */
	}
	if (!m->nslot && m->fd >= 0) {
		close(m->fd);
		m->fd = -1;
	}
}

/* Write p[0..n) to the record being written; a failure is kept. */
static void
write_all(struct memo *m, const char *p, size_t n)
{
	if (!m->failed && write_full(m->tmp_fd, p, n) != 0)
		m->failed = 1;
}

/* Write p[0..n) to the record being written, and sum it. */
static void
write_summed(struct memo *m, const char *p, size_t n)
{
	write_all(m, p, n);
	if (n)
		sha256_update(&m->sum, n, (const uint8_t *)p);
}

/* Write what fresh holds to the record being written. */
static void
flush(struct memo *m)
{
	write_summed(m, m->fresh.s, m->fresh.len);
	m->fresh.len = 0;
}

static void
start_new(struct memo *m)
{
	m->tmp = xasprintf("%s.tmp-%ld", m->path, (long)getpid());
	m->tmp_fd = open(m->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	m->failed = m->tmp_fd < 0;
	sha256_init(&m->sum);
	buf_puts(&m->fresh, MEMO_MAGIC);
	buf_add(&m->fresh, m->out, strlen(m->out) + 1);
	buf_add(&m->fresh, (const char *)m->base, sizeof m->base);
}

char *
memo_home(const struct site *s)
{
	git_repository *repo = NULL;
	char *prefix = NULL, *home = NULL;
	char *content = realpath(s->content_dir, NULL);
	char *out = output_resolve(s->out_dir);
	git_libgit2_init();
	if (content && out && !output_under(content, out) && s->src &&
	    history_open_repo(s->content_real ? s->content_real : content, &repo, &prefix) == 0)
		home = xstrdup(git_repository_path(repo));
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(prefix);
	free(content);
	free(out);
	return home;
}

struct memo *
memo_open(struct site *s, const char *home)
{
	struct memo *m = NULL;
	if (home) {
		m = xcalloc(1, sizeof *m);
		m->fd = m->tmp_fd = -1;
		m->path = xasprintf("%scongkhai-memo", home);
		m->out = output_resolve(s->out_dir);
		if (!m->out || make_base(m, s) != 0) {
			memo_free(m);
			m = NULL;
		}
	}
	if (m) {
		read_old(m);
		start_new(m);
	}
	return m;
}

void
memo_key(const struct memo *m, struct sha256_ctx *h)
{
	sha256_init(h);
	sha256_update(h, sizeof m->base, m->base);
}

const char *
memo_get(struct memo *m, const unsigned char key[MEMO_KEY], size_t *len)
{
	if (!m || !m->nslot)
		return NULL;
	for (size_t k = slot_of(m, key); m->ents[k].off; k = (k + 1) & (m->nslot - 1)) {
		const struct ent *e = &m->ents[k];
		if (memcmp(e->key, key, MEMO_KEY) != 0)
			continue;
		if (e->len + 1 > m->valcap)
			m->val = xrealloc(m->val, m->valcap = (size_t)e->len + 1);
		size_t got = 0;
		while (got < e->len) {
			ssize_t r = pread(m->fd, m->val + got, (size_t)e->len - got, (off_t)(e->off + got));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return NULL;
			got += (size_t)r;
		}
		*len = (size_t)e->len;
		return m->val;
	}
	return NULL;
}

/* Entries were added to fresh: in the parent, written once there are enough. */
static void
added(struct memo *m)
{
	if (m->tmp && m->fresh.len >= FLUSH_AT)
		flush(m);
}

void
memo_put(struct memo *m, const unsigned char key[MEMO_KEY], const char *val, size_t len)
{
	uint64_t n = len;
	buf_add(&m->fresh, (const char *)key, MEMO_KEY);
	buf_add(&m->fresh, (const char *)&n, sizeof n);
	buf_add(&m->fresh, val, len);
	added(m);
}

void
memo_child(struct memo *m)
{
	free(m->tmp);                  /* the parent's: it writes it, and removes it */
	m->tmp = NULL;
	m->tmp_fd = -1;
	m->fresh = (struct buf){0};    /* the parent's copy stays the parent's */
}

const char *
memo_taken(const struct memo *m, size_t *len)
{
	*len = m->fresh.len;
	return m->fresh.s ? m->fresh.s : "";
}

int
memo_absorb(struct memo *m, const char *bytes, size_t len)
{
	size_t n;
	if (!entries_ok(bytes, len, &n))
		return -1;
	flush(m);                      /* written as they come, not copied: a worker's */
	write_summed(m, bytes, len);   /* share of a full build's memo is ~25 MB */
	return 0;
}

void
memo_save(struct memo *m)
{
	if (!m || !m->tmp)
		return;
	flush(m);
	uint8_t sum[SHA256_DIGEST_SIZE];
	sha256_digest(&m->sum, sizeof sum, sum);
	write_all(m, (const char *)sum, sizeof sum);                 /* the sum, not summed */
	if (close(m->tmp_fd) != 0)
		m->failed = 1;
	m->tmp_fd = -1;
	if (!m->failed && rename(m->tmp, m->path) == 0) {
		free(m->tmp);
		m->tmp = NULL;
	}
}

void
memo_free(struct memo *m)
{
	if (!m)
		return;
	if (m->tmp_fd >= 0)
		close(m->tmp_fd);
	if (m->tmp)
		unlink(m->tmp);            /* not saved: the last record stays */
	if (m->fd >= 0)
		close(m->fd);
	free(m->tmp);
	free(m->path);
	free(m->out);
	free(m->ents);
	free(m->val);
	buf_free(&m->fresh);
	free(m);
}
