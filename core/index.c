/*
 * index.c — the searchable index (SPEC §6), the core API the `search`
 * plugin writes it through:
 *
 *   local ix = congkhai.index()      -- a collector
 *   ix:add(page)                     -- a page table, or an item of site.deleted
 *   ix:write("index.sqlite", "tim-kiem/i")
 *        -- the SQLite index and the static files the browser reads, both
 *           inside the output (either may be nil), written concurrently
 *
 * Both outputs use one folding (fold.c) and one tokenizer (index_terms):
 * the text is folded, split into terms, and the FTS5 table and the shards
 * store those terms, so the browser script, `congkhai search` and a plain
 * `sqlite3` agree. The collector owns copies of everything it was given;
 * Lua's garbage collector frees it.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <utf8proc.h>
#include <zlib.h>
#include <lz4.h>
#include <nettle/sha2.h>
#include "lhost.h"
#include "index.h"
#include "memo.h"
#include "pack.h"
#include "pool.h"
#include "rank.h"
#include "vocab.h"

enum { F_CODE, F_TITLE, F_FIELD, F_AGENCY, F_BODY, NFIELDS };   /* rank.h's fields */

struct doc {
	char *kind, *url, *title, *code, *field, *agency, *levels, *online, *state, *fee, *time;
	char *summary, *text, *published, *updated, *status, *effective;
	char *unverified;        /* facts not yet verified, "; "-joined, or NULL */
	size_t tlen;             /* title length in terms, RANK_LEAD left out (rank.h) */
	char *history;           /* JSON array of entries, or NULL */
	char *f[NFIELDS];        /* folded term streams, space-separated; the body's
	                            only while it is made (prepare_streams) */
	char *z;                 /* all five packed (streams_pack), the body read
	                            from it (doc_body): ~40 % of its bytes */
	size_t zlen;
	const struct page *page; /* when text is NULL: the site's page, whose text
	                            doc_text makes when needed (not copied: memory) */
};

/* d's body text: d->text, or its page's made into *own (the caller frees
 * *own); NULL when it has none. */
static const char *
doc_text(const struct doc *d, char **own)
{
	*own = NULL;
	if (d->text || !d->page)
		return d->text;
	return *own = page_text(d->page, NULL);
}

/* d's body stream, read from its pack (the streams, below). */
static const char *doc_body(const struct doc *d, char **raw);

struct synonym;
struct collector {
	struct site *site;
	struct doc *docs;
	size_t n;
	char *lengths;           /* after sorting: runs of title lengths, JSON (rank.h) */
	char *syllables;         /* after the keys: rank_split()'s vocabulary (rank.h) */
	struct synonym *syn;     /* sorted by the official phrase's first term */
	size_t nsyn;
};

/* ------------------------------------------------------------ terms */

void
index_terms(const char *s, void (*fn)(const char *t, size_t n, void *arg), void *arg)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *start = NULL;
	while (1) {
		utf8proc_int32_t cp = 0;
		utf8proc_ssize_t k;
		int word = 0;
		if (*p && *p < 0x80) {          /* ASCII: no table lookup; a '.'
						 * between two digits stays: 1.001193 */
			k = 1;
			cp = *p;
			word = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
			if (cp == '.' && start && p > (const unsigned char *)s && p[-1] >= '0' && p[-1] <= '9' &&
			    p[1] >= '0' && p[1] <= '9')
				word = 1;
		} else if ((k = *p ? utf8proc_iterate(p, -1, &cp) : 0) > 0) {
			utf8proc_category_t cat = utf8proc_category(cp);
			word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			    (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
			    (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME);
		}
		if (word && !start)
			start = p;
		if (!word && start) {
			fn((const char *)start, (size_t)(p - start), arg);
			start = NULL;
		}
		if (k <= 0)
			break;
		p += k;
	}
}

static void
append_term(const char *t, size_t n, void *arg)
{
	struct buf *b = arg;
	if (b->len)
		buf_putc(b, ' ');
	buf_add(b, t, n);
}

/* Folded terms of s, joined by single spaces. */
static char *
term_stream(const char *s)
{
	char *f = text_fold(s ? s : "");
	struct buf b = {0};
	index_terms(f, append_term, &b);
	free(f);
	return buf_steal(&b);
}

/* ------------------------------------------------------------ keys */

/* The ranking's keys of every document (rank.h): each key's postings,
 * weighted term frequencies first, then encoded once for both outputs. */
struct kposting { unsigned doc; float tfw; unsigned char flags; };
struct key {
	char *k;                 /* kind digit, then the key */
	size_t klen;             /* of k */
	unsigned hash;           /* fnv32 of k */
	size_t n, cap;
	struct kposting *p;
	char *enc;               /* rank_encode()d postings */
	unsigned chunk;
	size_t line;             /* bytes of its line in a term chunk, about */
	size_t split;            /* a pair: its first term's length (the least seen); 0: none */
	size_t uf;               /* group_keys(): 1 + its place among the title words; 0: none */
};
struct keytab { struct key *v; size_t cap, n; };

/* 32-bit FNV-1a over bytes. */
static unsigned
fnv32(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct key *
key_slot(struct keytab *tt, const char *t, size_t n)
{
	if ((tt->n + 1) * 2 > tt->cap) {
		struct keytab old = *tt;
		tt->cap = tt->cap ? tt->cap * 2 : 4096;
		tt->v = xcalloc(tt->cap, sizeof *tt->v);
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].k) {
				size_t j = old.v[i].hash & (tt->cap - 1);
				while (tt->v[j].k)
					j = (j + 1) & (tt->cap - 1);
				tt->v[j] = old.v[i];
			}
		free(old.v);
	}
	unsigned h = fnv32(t, n);
	size_t j = h & (tt->cap - 1);
	while (tt->v[j].k && !(tt->v[j].hash == h && tt->v[j].klen == n && memcmp(tt->v[j].k, t, n) == 0))
		j = (j + 1) & (tt->cap - 1);
	if (!tt->v[j].k) {
		tt->v[j].k = xstrndup(t, n);
		tt->v[j].klen = n;
		tt->v[j].hash = h;
		tt->n++;
	}
	return &tt->v[j];
}

static void
key_add(struct keytab *tt, int kind, const char *a, const char *b, unsigned doc, float w, unsigned flags)
{
	char tmp[512];
	size_t na = strlen(a), nb = b ? strlen(b) : 0, n = 1 + na + nb;
	if (n >= sizeof tmp)
		return;                  /* a key this long is no word */
	tmp[0] = (char)('0' + kind);
	memcpy(tmp + 1, a, na);
	memcpy(tmp + 1 + na, b ? b : "", nb);
	tmp[n] = '\0';
	struct key *k = key_slot(tt, tmp, n);
	if (b && (!k->split || na < k->split))
		k->split = na;
	if (k->n && k->p[k->n - 1].doc == doc) {
		k->p[k->n - 1].tfw += w;
		k->p[k->n - 1].flags |= (unsigned char)flags;
		return;
	}
	if (k->n == k->cap)
		k->p = xrealloc(k->p, (k->cap = k->cap ? k->cap * 2 : 4) * sizeof *k->p);
	k->p[k->n++] = (struct kposting){ doc, w, (unsigned char)flags };
}

/* A field's terms, rank_norm()'d, as an array: v[i] points into one
 * block of NUL-terminated terms (a), so that a document's thousands of
 * terms are not as many allocations; off holds their places while a grows. */
struct terms { char **v; size_t *off; size_t n, cap; struct buf a; };

static void
terms_push(const char *t, size_t n, void *arg)
{
	struct terms *x = arg;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		x->v = xrealloc(x->v, x->cap * sizeof *x->v);
		x->off = xrealloc(x->off, x->cap * sizeof *x->off);
	}
	x->off[x->n++] = x->a.len;
	buf_add(&x->a, t, n);
	buf_putc(&x->a, '\0');
}

/* x's terms placed in its block and rank_norm()'d, once pushed. */
static void
terms_done(struct terms *x)
{
	for (size_t i = 0; i < x->n; i++) {
		x->v[i] = x->a.s + x->off[i];
		rank_norm(x->v[i]);
	}
}

/* x made the terms of s (NULL: none), reusing what x holds. */
static void
terms_of(struct terms *x, const char *s)
{
	x->n = 0;
	x->a.len = 0;
	index_terms(s ? s : "", terms_push, x);
	terms_done(x);
}

/* The same for a stream (term_stream's: its terms joined by single
 * spaces), whose terms index_terms would find again as they stand: cut
 * at the spaces, not read again character by character. */
static void
stream_terms(struct terms *x, const char *s)
{
	x->n = 0;
	x->a.len = 0;
	for (const char *p = s ? s : ""; *p; ) {
		size_t n = strcspn(p, " ");
		if (n)
			terms_push(p, n, x);
		p += n + (p[n] == ' ');
	}
	terms_done(x);
}

static void
terms_free(struct terms *x)
{
	free(x->v);
	free(x->off);
	buf_free(&x->a);
	memset(x, 0, sizeof *x);
}

/* Colloquial names (data/tu-dong-nghia.yaml): where the official phrase
 * stands, the colloquial one counts as written there too. */
struct synonym { struct terms from, to; };    /* from: official, to: colloquial */

static int
synonym_cmp(const void *a, const void *b)
{
	return strcmp(((const struct synonym *)a)->from.v[0], ((const struct synonym *)b)->from.v[0]);
}

/* The keys of one run of terms (a field, or a colloquial phrase): its
 * words, and its pairs unless it is the body (rank.h). */
static void
run_keys(struct keytab *tt, const struct terms *t, size_t from, size_t to, unsigned doc, float w, unsigned flags,
    int pairs)
{
	for (size_t i = from; i < to; i++) {
		key_add(tt, RANK_WORD, t->v[i], NULL, doc, w, flags);
		if (i + 1 < to && pairs)
			key_add(tt, RANK_PAIR, t->v[i], t->v[i + 1], doc, w, flags);
	}
}

static void
synonym_keys(struct keytab *tt, const struct synonym *syn, size_t nsyn, const struct terms *t, unsigned doc,
    float w, unsigned flags, int pairs)
{
	for (size_t i = 0; i < t->n && nsyn; i++) {
		size_t lo = 0, hi = nsyn;
		while (lo < hi) {               /* the first synonym starting with t->v[i] */
			size_t mid = (lo + hi) / 2;
			if (strcmp(syn[mid].from.v[0], t->v[i]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < nsyn && strcmp(syn[lo].from.v[0], t->v[i]) == 0; lo++) {
			const struct synonym *s = &syn[lo];
			size_t k = 1;
			while (k < s->from.n && i + k < t->n && strcmp(s->from.v[k], t->v[i + k]) == 0)
				k++;
			if (k == s->from.n)
				run_keys(tt, &s->to, 0, s->to.n, doc, w, flags, pairs);
		}
	}
}

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = *(struct key *const *)a, *y = *(struct key *const *)b;
	int c = strcmp(x->k + 1, y->k + 1);
	return c ? c : x->k[0] - y->k[0];
}

/* Whether a chunk that starts at key first may end before key k: never
 * between a key's kinds, nor between a word and its pairs (a query's
 * word and the pair it starts are then one fetch). */
static int
chunk_may_end(const struct key *prev, const struct key *k, const char *first)
{
	if (strcmp(prev->k + 1, k->k + 1) == 0)
		return 0;
	if (k->split) {
		char *word = xstrndup(k->k + 1, k->split);
		int inside = strcmp(word, first) >= 0;     /* the pair's word is in this chunk */
		free(word);
		return !inside;
	}
	return 1;
}

/* Every document's keys, their BM25F levels, encoded; sorted into *out
 * (the keys' array, malloc'd) and grouped into chunks (chunk_may_end()
 * says where they may end). SPEC §6 allows a first query 5 requests and
 * 60 KB: a tiny site's keys make one chunk of at most CHUNK_MAX bytes, a
 * small site's RANK_FILES chunks of at most that, so that a query of
 * many words still fetches at most that many; a larger site's are cut
 * every CHUNK_BYTES, so that the few chunks of a query stay small (and
 * a query whose keys lie in more than RANK_FILES files reads the
 * RANK_FILES the planner of rank.c keeps).
 * Returns the count. */
#define CHUNK_BYTES 24000         /* bytes of lines; about 7 KB gzipped */
#define CHUNK_MAX 48000           /* about 15 KB gzipped */
static size_t
build_keys(struct collector *c, struct keytab *tt, struct key ***out, unsigned *nchunks)
{
	static const float w[RANK_NFIELDS] = RANK_WEIGHTS;
	double *len = xcalloc(c->n + 1, sizeof *len), avg = 0;
	struct terms t = {0};
	for (size_t i = 0; i < c->n; i++) {
		struct doc *d = &c->docs[i];
		unsigned late = strcmp(d->state, "in-force") != 0 ? RANK_F_LATE : 0;
		char *raw = NULL;
		for (int f = 0; f < NFIELDS; f++) {
			stream_terms(&t, f == F_BODY ? doc_body(d, &raw) : d->f[f]);
			unsigned flags = late | (f == F_CODE ? RANK_F_CODE : 0) | (f == F_TITLE ? RANK_F_TITLE : 0);
			run_keys(tt, &t, 0, t.n, (unsigned)i, w[f], flags, f != F_BODY);
			synonym_keys(tt, c->syn, c->nsyn, &t, (unsigned)i, w[f], flags, f != F_BODY);
			len[i] += (double)t.n;
		}
		free(raw);
		avg += len[i];
	}
	terms_free(&t);
	avg = c->n ? avg / (double)c->n : 1;
	struct key **keys = xcalloc(tt->n + 1, sizeof *keys);
	size_t nk = 0;
	for (size_t i = 0; i < tt->cap; i++)
		if (tt->v[i].k)
			keys[nk++] = &tt->v[i];
	qsort(keys, nk, sizeof *keys, key_cmp);
	const double N = (double)c->n;
	struct rank_posting *rp = NULL;
	size_t rcap = 0, bytes = 0;
	unsigned chunk = 0;
	const char *first = nk ? keys[0]->k + 1 : "";
	double *prior = xcalloc(c->n + 1, sizeof *prior);
	for (size_t i = 0; i < c->n; i++)
		prior[i] = c->docs[i].kind && strcmp(c->docs[i].kind, "procedure") == 0 ? 1 : RANK_OTHER;
	for (size_t i = 0; i < nk; i++) {
		struct key *k = keys[i];
		double df = (double)k->n, idf = log(1 + (N - df + 0.5) / (df + 0.5));
		if (k->n > rcap)
			rp = xrealloc(rp, (rcap = k->n) * sizeof *rp);
		for (size_t j = 0; j < k->n; j++) {
			struct kposting *p = &k->p[j];
			double tf = p->tfw, norm = RANK_K1 * (1 - RANK_B + RANK_B * len[p->doc] / (avg > 0 ? avg : 1));
			long level = lround(prior[p->doc] * idf * tf * (RANK_K1 + 1) / (tf + norm) * RANK_SCALE);
			rp[j] = (struct rank_posting){ p->doc, level < 1 ? 1 : level > 65535 ? 65535 : (unsigned)level,
				p->flags };
		}
		k->enc = rank_encode(rp, k->n, (unsigned)c->n);
		k->line = strlen(k->k) + strlen(k->enc) + 12;   /* about its line in write_static() */
		bytes += k->line;
	}
	size_t target = bytes <= CHUNK_MAX ? bytes + 1 : bytes / RANK_FILES < CHUNK_MAX ? bytes / RANK_FILES + 1
	    : CHUNK_BYTES;
	bytes = 0;
	for (size_t i = 0; i < nk; i++) {
		struct key *k = keys[i];
		if (bytes >= target && chunk_may_end(keys[i - 1], k, first)) {
			chunk++;
			bytes = 0;
			first = k->k + 1;
		}
		k->chunk = chunk;
		bytes += k->line;
	}
	free(rp);
	free(len);
	free(prior);
	*out = keys;
	*nchunks = nk ? chunk + 1 : 0;
	return nk;
}

/* ------------------------------------------------------------ groups */

/* A site whose keys fill many chunks would make a query of many words
 * fetch one chunk per word. The words of titles are therefore also
 * written together, as a citizen types them: a group chunk holds, for
 * a few title words (its members), the lines of
 *   - each member, of every kind ("khai", and "khai" typed as a pair);
 *   - each pair of two members ("khaisinh"), when the index has it;
 *   - the completions of two members: every pair in the chunk where
 *     their join sorts that begins with it ("ket" "ho": "kethon"),
 * copied from the chunks in byte order, which still hold everything.
 * A query whose words all stand in one group is then one fetch, its
 * unfinished last word included; the browser chooses the fewest files
 * that hold a query's keys (search.js, source()), and reads the same
 * lines as index.sqlite holds, so both rank alike.
 *
 * Groups overlap: a word stands in as many as need it. They are made
 * from the titles (and the colloquial names of data/tu-dong-nghia.yaml,
 * first), the most common set of title words first: a title's words
 * join the group they add the fewest bytes to while it stays under
 * GROUP_BYTES of lines, else start a group of their own. GROUP_LIST
 * bounds the members' names in meta.json (inlined in /tim-kiem/):
 * titles past it stay ungrouped and are read in byte order. */
#define GROUP_BYTES 40000         /* about 12 KB gzipped */
#define GROUP_LIST 24000
#define GROUP_MEMBERS 256         /* a group's completions are looked up per two members */
#define GROUP_DF 2                /* titles a word is in, at least */

static size_t
title_df(const struct key *k)
{
	size_t n = 0;
	for (size_t i = 0; i < k->n; i++)
		n += (k->p[i].flags & RANK_F_TITLE) != 0;
	return n;
}

/* rank_split()'s vocabulary (rank.h): the title words that may be
 * syllables, in most titles first (ties in byte order), space-separated. */
struct syl { const struct key *k; size_t df; };

static int
syl_cmp(const void *a, const void *b)
{
	const struct syl *x = a, *y = b;
	return x->df != y->df ? (x->df < y->df ? 1 : -1) : strcmp(x->k->k + 1, y->k->k + 1);
}

static char *
syllables(struct key **keys, size_t nk)
{
	struct syl *v = xcalloc(nk + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < nk; i++) {
		size_t df;
		if (keys[i]->k[0] - '0' == RANK_WORD && rank_syllable(keys[i]->k + 1) && (df = title_df(keys[i])))
			v[n++] = (struct syl){ keys[i], df };
	}
	qsort(v, n, sizeof *v, syl_cmp);
	struct buf b = {0};
	for (size_t i = 0; i < n && i < RANK_SYLLABLES; i++)
		buf_printf(&b, "%s%s", i ? " " : "", v[i].k->k + 1);
	free(v);
	return b.s ? buf_steal(&b) : xstrdup("");
}

struct group { struct key **v; size_t n; char *words; };   /* lines in key order; members, spaced */
struct groups { struct group *v; size_t n; };

/* The key kind+a+b, or NULL. */
static struct key *
key_find(const struct keytab *tt, int kind, const char *a, const char *b)
{
	char tmp[512];
	int n = snprintf(tmp, sizeof tmp, "%d%s%s", kind, a, b ? b : "");
	if (n < 0 || (size_t)n >= sizeof tmp || !tt->cap)
		return NULL;
	size_t j = fnv32(tmp, (size_t)n) & (tt->cap - 1);
	for (; tt->v[j].k; j = (j + 1) & (tt->cap - 1))
		if (strcmp(tt->v[j].k, tmp) == 0)
			return &tt->v[j];
	return NULL;
}

/* A title word: its key, the bytes of its lines, and the pairs it
 * starts (out) and ends (in), with the other word's number. */
struct adj { size_t w; struct key *p; };
struct gword {
	struct key *k;
	size_t line, nout, nin, ngroups;
	struct adj *out, *in;
	size_t *groups;          /* the groups that hold it */
};

struct grouping {
	struct gword *w;
	size_t nw;
	unsigned char **mem;     /* per group, a bitmap of its members */
	size_t **members, *nmem, *bytes;
	size_t ng, list;         /* groups; bytes of their names in meta.json */
	unsigned *mark;          /* per word: the set being placed */
	unsigned *seen;          /* per group: the set being placed */
};

static int
has(const struct grouping *x, size_t g, size_t w)
{
	return x->mem[g][w / 8] >> (w % 8) & 1;
}

/* Calls fn(x, a, b, p) for each way pair key p is title word a followed
 * by title word b (most pairs have one; "khaisinh" could be "kha" +
 * "isinh" too), the title words being keys with uf set. */
static void
pair_words(const struct keytab *tt, struct key *p, void (*fn)(struct grouping *, size_t, size_t, struct key *),
    struct grouping *x)
{
	size_t len = strlen(p->k + 1);
	char *t = xstrdup(p->k + 1);
	for (size_t cut = 1; cut < len; cut++) {
		char c = t[cut];
		t[cut] = '\0';
		struct key *a = key_find(tt, RANK_WORD, t, NULL), *b;
		t[cut] = c;
		if (a && a->uf && (b = key_find(tt, RANK_WORD, t + cut, NULL)) && b->uf)
			fn(x, a->uf - 1, b->uf - 1, p);
	}
	free(t);
}

static void
add_adj(struct grouping *x, size_t a, size_t b, struct key *p)
{
	struct gword *wa = &x->w[a], *wb = &x->w[b];
	wa->out = xrealloc(wa->out, (wa->nout + 1) * sizeof *wa->out);
	wa->out[wa->nout++] = (struct adj){ b, p };
	wb->in = xrealloc(wb->in, (wb->nin + 1) * sizeof *wb->in);
	wb->in[wb->nin++] = (struct adj){ a, p };
}

/* The bytes that words s (n of them, marked with x->mark == m) add to
 * group g (SIZE_MAX: to an empty group): their lines and their pairs
 * with members and with each other (a pair of two of them counted
 * once, from its first word). */
static size_t
set_bytes(const struct grouping *x, size_t g, const size_t *s, size_t n, unsigned m)
{
	size_t add = 0;
	for (size_t i = 0; i < n; i++) {
		const struct gword *w = &x->w[s[i]];
		if (g != SIZE_MAX && has(x, g, s[i]))
			continue;
		add += w->line;
		for (size_t j = 0; j < w->nout; j++) {
			size_t o = w->out[j].w;
			if ((g != SIZE_MAX && has(x, g, o)) || x->mark[o] == m)
				add += w->out[j].p->line;
		}
		for (size_t j = 0; g != SIZE_MAX && j < w->nin; j++)
			if (has(x, g, w->in[j].w))
				add += w->in[j].p->line;
	}
	return add;
}

/* The bytes word w adds to group g: its lines, and its pairs with the
 * members and with itself. */
static size_t
word_bytes(const struct grouping *x, size_t g, size_t w)
{
	const struct gword *gw = &x->w[w];
	size_t add = gw->line;
	for (size_t j = 0; j < gw->nout; j++)
		if (gw->out[j].w == w || has(x, g, gw->out[j].w))
			add += gw->out[j].p->line;
	for (size_t j = 0; j < gw->nin; j++)
		if (gw->in[j].w != w && has(x, g, gw->in[j].w))
			add += gw->in[j].p->line;
	return add;
}

static void
group_put(struct grouping *x, size_t g, size_t w)
{
	if (has(x, g, w))
		return;
	x->mem[g][w / 8] |= (unsigned char)(1u << (w % 8));
	x->members[g] = xrealloc(x->members[g], (x->nmem[g] + 1) * sizeof **x->members);
	x->members[g][x->nmem[g]++] = w;
	struct gword *gw = &x->w[w];
	gw->groups = xrealloc(gw->groups, (gw->ngroups + 1) * sizeof *gw->groups);
	gw->groups[gw->ngroups++] = g;
	x->list += strlen(gw->k->k + 1) + 1;
}

static size_t
group_new(struct grouping *x)
{
	size_t g = x->ng++;
	x->mem = xrealloc(x->mem, x->ng * sizeof *x->mem);
	x->mem[g] = xcalloc(x->nw / 8 + 1, 1);
	x->members = xrealloc(x->members, x->ng * sizeof *x->members);
	x->members[g] = NULL;
	x->nmem = xrealloc(x->nmem, x->ng * sizeof *x->nmem);
	x->bytes = xrealloc(x->bytes, x->ng * sizeof *x->bytes);
	x->nmem[g] = x->bytes[g] = 0;
	x->seen = xrealloc(x->seen, x->ng * sizeof *x->seen);
	x->seen[g] = 0;
	return g;
}

/* Places the words of one title (s, n of them; set number m). The group
 * is chosen by the lines of the words it lacks (cheap: the pairs, which
 * may be many, are counted for the chosen group alone), so that the work
 * stays bounded by the titles placed, however many groups hold a word. */
static void
group_place(struct grouping *x, const size_t *s, size_t n, unsigned m)
{
	size_t best = SIZE_MAX, add = SIZE_MAX, whole = 0, names = 0;
	if (x->list >= GROUP_LIST)
		return;
	for (size_t i = 0; i < n; i++) {
		x->mark[s[i]] = m;
		whole += x->w[s[i]].line;
		names += strlen(x->w[s[i]].k->k + 1) + 1;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < x->w[s[i]].ngroups; j++) {
			size_t g = x->w[s[i]].groups[j], a = 0;
			if (x->seen[g] == m)
				continue;
			x->seen[g] = m;
			for (size_t k = 0; k < n; k++)
				if (!has(x, g, s[k]))
					a += x->w[s[k]].line;
			if (a == 0)
				return;               /* one group holds them all */
			if (x->bytes[g] + a <= GROUP_BYTES && x->nmem[g] < GROUP_MEMBERS && a < add)
				best = g, add = a;
		}
	if (x->list + names > GROUP_LIST)
		return;
	if (best != SIZE_MAX && add < whole) {    /* whole, pairs counted: else a group of their own */
		add = set_bytes(x, best, s, n, m);
		if (x->bytes[best] + add > GROUP_BYTES || add >= set_bytes(x, SIZE_MAX, s, n, m))
			best = SIZE_MAX;
	} else
		best = SIZE_MAX;
	if (best == SIZE_MAX)
		best = group_new(x);
	for (size_t i = 0; i < n && x->nmem[best] < GROUP_MEMBERS; i++) {   /* one by one: a long title may not fit whole */
		if (has(x, best, s[i]))
			continue;
		size_t a = word_bytes(x, best, s[i]);
		if (x->bytes[best] + a > GROUP_BYTES && x->nmem[best])
			continue;
		x->bytes[best] += a;
		group_put(x, best, s[i]);
	}
}

/* A title's words as numbers among the title words: sorted, each once. */
struct tset { size_t *w, n, weight; };

static int
size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static int
tset_cmp(const void *a, const void *b)
{
	const struct tset *x = a, *y = b;
	for (size_t i = 0; i < x->n && i < y->n; i++)
		if (x->w[i] != y->w[i])
			return x->w[i] < y->w[i] ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* The most common first, then the longest (a title that holds another's
 * words first), then in order. */
static int
tset_order(const void *a, const void *b)
{
	const struct tset *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return tset_cmp(a, b);
}

/* The title words among terms t, as a set of weight w (0 if fewer than 2). */
static struct tset
tset_of(const struct keytab *tt, const struct terms *t, size_t w)
{
	struct tset s = { xcalloc(t->n + 1, sizeof *s.w), 0, w };
	for (size_t j = 0; j < t->n; j++) {
		struct key *k = key_find(tt, RANK_WORD, t->v[j], NULL);
		if (k && k->uf)
			s.w[s.n++] = k->uf - 1;
	}
	qsort(s.w, s.n, sizeof *s.w, size_cmp);
	size_t u = 0;
	for (size_t j = 0; j < s.n; j++)
		if (!u || s.w[j] != s.w[u - 1])
			s.w[u++] = s.w[j];
	s.n = u;
	if (s.n < 2) {
		free(s.w);
		s = (struct tset){0};
	}
	return s;
}

/* The sets to place: each document's title, and each colloquial name
 * (data/tu-dong-nghia.yaml: what citizens type, placed first). */
static struct tset *
title_sets(const struct collector *c, const struct keytab *tt, size_t *count)
{
	struct tset *v = xcalloc(c->n + c->nsyn + 1, sizeof *v);
	size_t n = 0;
	struct terms t = {0};
	for (size_t i = 0; i < c->n; i++) {
		stream_terms(&t, c->docs[i].f[F_TITLE]);
		if ((v[n] = tset_of(tt, &t, 1)).n)
			n++;
	}
	terms_free(&t);
	for (size_t i = 0; i < c->nsyn; i++)
		if ((v[n] = tset_of(tt, &c->syn[i].to, c->n + 1)).n)
			n++;
	qsort(v, n, sizeof *v, tset_cmp);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u && tset_cmp(&v[i], &v[u - 1]) == 0) {
			v[u - 1].weight += v[i].weight;
			free(v[i].w);
		} else
			v[u++] = v[i];
	qsort(v, u, sizeof *v, tset_order);
	*count = u;
	return v;
}

/* The first of keys (sorted, nk) not before string s (any kind). */
static size_t
key_lower(struct key **keys, size_t nk, const char *s)
{
	size_t lo = 0, hi = nk;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(keys[mid]->k + 1, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The chunk string s sorts into, as search.js's chunkOf(): the last whose
 * first key is not after s; i is key_lower(keys, nk, s). */
static unsigned
chunk_of(struct key **keys, size_t nk, size_t i, const char *s)
{
	if (i < nk && strcmp(keys[i]->k + 1, s) == 0)
		return keys[i]->chunk;
	return i ? keys[i - 1]->chunk : 0;
}

static void
group_line(struct group *g, struct key *k, size_t *cap)
{
	if (g->n == *cap)
		g->v = xrealloc(g->v, (*cap = *cap ? *cap * 2 : 64) * sizeof *g->v);
	g->v[g->n++] = k;
}

/* Group g's lines, in key order, each once. */
static struct group
group_lines(const struct grouping *x, const struct keytab *tt, struct key **keys, size_t nk, size_t g)
{
	struct group out = {0};
	size_t cap = 0, *m = x->members[g], n = x->nmem[g];
	struct buf names = {0};
	qsort(m, n, sizeof *m, size_cmp);            /* the title words are in key order */
	for (size_t i = 0; i < n; i++) {
		const struct gword *a = &x->w[m[i]];
		struct key *k;
		buf_printf(&names, "%s%s", i ? " " : "", a->k->k + 1);
		group_line(&out, a->k, &cap);
		if ((k = key_find(tt, RANK_PAIR, a->k->k + 1, NULL)))
			group_line(&out, k, &cap);
		for (size_t j = 0; j < n; j++) {        /* the completions of a and m[j] */
			char *p = xasprintf("%s%s", a->k->k + 1, x->w[m[j]].k->k + 1);
			size_t len = strlen(p);
			size_t at = key_lower(keys, nk, p);
			unsigned c = chunk_of(keys, nk, at, p);
			for (; at < nk && strncmp(keys[at]->k + 1, p, len) == 0; at++)
				if (keys[at]->k[0] == '0' + RANK_PAIR && keys[at]->chunk == c)
					group_line(&out, keys[at], &cap);
			free(p);
		}
	}
	qsort(out.v, out.n, sizeof *out.v, key_cmp);
	size_t u = 0;                       /* x+y may also be x'+y' */
	for (size_t j = 0; j < out.n; j++)
		if (!u || out.v[j] != out.v[u - 1])
			out.v[u++] = out.v[j];
	out.n = u;
	out.words = buf_steal(&names);
	return out;
}

/* The groups of the keys (sorted, nk of them) of tt, from the titles of c. */
static void
group_keys(const struct collector *c, struct keytab *tt, struct key **keys, size_t nk, struct groups *out)
{
	struct grouping x = {0};
	x.w = xcalloc(nk + 1, sizeof *x.w);
	for (size_t i = 0; i < nk; i++)          /* the title words, in key order */
		if (keys[i]->k[0] == '0' + RANK_WORD && title_df(keys[i]) >= GROUP_DF) {
			struct key *k = key_find(tt, RANK_PAIR, keys[i]->k + 1, NULL);
			x.w[x.nw] = (struct gword){ .k = keys[i], .line = keys[i]->line + (k ? k->line : 0) };
			keys[i]->uf = ++x.nw;
		}
	for (size_t i = 0; i < nk; i++)
		if (keys[i]->k[0] == '0' + RANK_PAIR)
			pair_words(tt, keys[i], add_adj, &x);
	x.mark = xcalloc(x.nw + 1, sizeof *x.mark);
	size_t ns;
	struct tset *sets = title_sets(c, tt, &ns);
	for (size_t i = 0; i < ns; i++)
		group_place(&x, sets[i].w, sets[i].n, (unsigned)i + 1);
	memset(out, 0, sizeof *out);
	out->v = xcalloc(x.ng + 1, sizeof *out->v);
	for (size_t g = 0; g < x.ng; g++)
		if (x.nmem[g] >= 2)
			out->v[out->n++] = group_lines(&x, tt, keys, nk, g);
	for (size_t i = 0; i < ns; i++)
		free(sets[i].w);
	free(sets);
	for (size_t g = 0; g < x.ng; g++) {
		free(x.mem[g]);
		free(x.members[g]);
	}
	for (size_t i = 0; i < x.nw; i++) {
		x.w[i].k->uf = 0;
		free(x.w[i].out);
		free(x.w[i].in);
		free(x.w[i].groups);
	}
	free(x.mem);
	free(x.members);
	free(x.nmem);
	free(x.bytes);
	free(x.seen);
	free(x.mark);
	free(x.w);
}

static void
groups_free(struct groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].v);
		free(g->v[i].words);
	}
	free(g->v);
	memset(g, 0, sizeof *g);
}

static void
keys_free(struct keytab *tt, struct key **keys)
{
	for (size_t i = 0; i < tt->cap; i++)
		if (tt->v[i].k) {
			free(tt->v[i].k);
			free(tt->v[i].p);
			free(tt->v[i].enc);
		}
	free(tt->v);
	free(keys);
}

/* ------------------------------------------------------------- add */

static void doc_free(struct doc *d);

/* t[k] as text, with raw access (a page's lazy fields included, see
 * lapi_rawfield): no plugin's metamethod runs here. */
static char *
opt_string(lua_State *L, int t, const char *k)
{
	lapi_rawfield(L, t, k);
	char *r = NULL;
	if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
		r = xstrdup(lua_tostring(L, -1));
	else if (lua_istable(L, -1)) {         /* a list: joined */
		struct buf b = {0};
		for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
			lua_rawgeti(L, -1, i);
			if (lua_isstring(L, -1))
				buf_printf(&b, "%s%s", b.len ? "; " : "", lua_tostring(L, -1));
			lua_pop(L, 1);
		}
		r = b.len ? buf_steal(&b) : NULL;
		buf_free(&b);
	}
	lua_pop(L, 1);
	return r;
}

static struct collector *
check_collector(lua_State *L)
{
	return luaL_checkudata(L, 1, "congkhai.index");
}

/* The JSON of history entries, through congkhai.json. */
static char *
history_json(lua_State *L, int page)
{
	lua_pushliteral(L, "history");
	lua_rawget(L, page);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		return NULL;
	}
	lua_pushliteral(L, "entries");
	lua_rawget(L, -2);
	char *r = lapi_json(L, -1);
	lua_pop(L, r ? 2 : 3);                 /* on failure the message too */
	return r;
}

/* ix:add(page): the document is filled in a local and appended at the
 * end, and only raw access reads the page, so nothing can re-enter. */
static int
ix_add(lua_State *L)
{
	struct collector *c = check_collector(L);
	luaL_checktype(L, 2, LUA_TTABLE);
	struct doc d = {0};
	lua_pushliteral(L, "meta");
	lua_rawget(L, 2);
	int has_meta = lua_istable(L, -1), meta = lua_gettop(L);
	d.url = opt_string(L, 2, "url");
	d.title = opt_string(L, 2, "title");
	if (has_meta) {                        /* a page */
		d.kind = opt_string(L, 2, "kind");
		d.code = opt_string(L, meta, "code");
		d.field = opt_string(L, meta, "field");
		d.agency = opt_string(L, meta, "agency");
		d.levels = opt_string(L, meta, "level");
		d.online = opt_string(L, meta, "online");
		d.fee = opt_string(L, meta, "fee");
		d.time = opt_string(L, meta, "processing_time");
		d.summary = opt_string(L, meta, "summary");
		d.status = opt_string(L, meta, "status");
		d.effective = opt_string(L, meta, "effective");
		d.unverified = opt_string(L, meta, "unverified");
		d.state = opt_string(L, 2, "state");
		lua_pushliteral(L, "text");
		int own = lua_rawget(L, 2) != LUA_TNIL;   /* a plugin's text, not the page's */
		lua_pop(L, 1);
		if (own || (d.page = lapi_page(L, 2)) == NULL)
			d.text = opt_string(L, 2, "text");
	} else {                               /* an item of site.deleted */
		d.kind = xstrdup("procedure");
		d.code = opt_string(L, 2, "code");
		d.state = xstrdup("deleted");
		d.text = opt_string(L, 2, "note");
	}
	lua_pop(L, 1);
	if (!d.state)
		d.state = xstrdup("in-force");
	lua_pushliteral(L, "history");
	lua_rawget(L, 2);
	if (lua_istable(L, -1)) {
		int h = lua_gettop(L);
		d.published = opt_string(L, h, "published");
		d.updated = opt_string(L, h, "updated");
	}
	lua_pop(L, 1);
	d.history = history_json(L, 2);
	if (!d.url || !d.title) {
		doc_free(&d);
		return luaL_error(L, "index:add: a page needs url and title");
	}
	c->docs = xrealloc(c->docs, (c->n + 1) * sizeof *c->docs);
	c->docs[c->n++] = d;
	return 0;
}

/* ------------------------------------------------------------ streams */

/* A document's term streams are folded and split on every build, on the
 * build's -j threads, unless the build keeps a memo (memo.h) and the last
 * one made them from the same fields: they are kept there LZ4-compressed,
 * under a key of what they are made of (for a page's body, the SHA-256
 * its pack keeps and where its text stands in it, as page_text reads it).
 * The build holds them so too, and both outputs unpack a body when they
 * come to it: held whole, 10,000 bodies were ~75 MiB of the build's peak. */
struct streams { struct collector *c; unsigned char (*key)[MEMO_KEY]; char *made; };

static void
streams_key(const struct memo *m, const struct doc *d, unsigned char key[MEMO_KEY])
{
	struct sha256_ctx h;
	memo_key(m, &h);
	memo_key_str(&h, "index.c streams");
	const char *fields[] = { d->code, d->title, d->field, d->agency };
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		memo_key_str(&h, fields[i]);
	const struct page *p = d->text ? NULL : d->page;
	memo_key_str(&h, p ? "page" : d->text);
	if (p) {
		uint64_t size = p->rendered ? p->rendered->size : UINT64_MAX, n = p->nsections;
		memo_key_add(&h, &size, sizeof size);
		if (p->rendered)                  /* none: the size says so */
			memo_key_add(&h, p->rendered->sum, sizeof p->rendered->sum);
		memo_key_add(&h, &p->intro_text, sizeof p->intro_text);
		memo_key_add(&h, &n, sizeof n);
		for (size_t i = 0; i < p->nsections; i++) {
			memo_key_str(&h, p->sections[i].title);
			memo_key_add(&h, &p->sections[i].text, sizeof p->sections[i].text);
		}
	}
	sha256_digest(&h, MEMO_KEY, key);
}

/* The streams of d as a memo value: the five, each ending in a NUL, one
 * after the other, LZ4-compressed after their size (4 bytes). */
static char *
streams_pack(const struct doc *d, int *len)
{
	size_t n = 0;
	for (int f = 0; f < NFIELDS; f++)
		n += strlen(d->f[f]) + 1;
	char *raw = xmalloc(n), *at = raw;
	for (int f = 0; f < NFIELDS; f++) {
		size_t k = strlen(d->f[f]) + 1;
		memcpy(at, d->f[f], k);
		at += k;
	}
	*len = 0;
	char *out = NULL;
	if (n <= LZ4_MAX_INPUT_SIZE) {
		int bound = LZ4_compressBound((int)n);
		out = xmalloc((size_t)bound + 4);
		uint32_t size = (uint32_t)n;
		memcpy(out, &size, 4);
		int z = LZ4_compress_default(raw, out + 4, (int)n, bound);
		*len = z > 0 ? z + 4 : 0;
	}
	free(raw);
	if (!*len) {
		free(out);
		return NULL;
	}
	return xrealloc(out, (size_t)*len);     /* held until the memo takes it */
}

/* The five streams of the packed value v[0..n) (streams_pack's), as
 * pointers into *raw, which the caller frees; -1 (*raw NULL) when it does
 * not decode to five NUL-ended strings. */
static int
streams_split(const char *v, size_t n, char **raw, const char *f[NFIELDS])
{
	uint32_t size;
	*raw = NULL;
	if (n < 4 || n - 4 > INT32_MAX)
		return -1;
	memcpy(&size, v, 4);
	if (size == 0 || size > LZ4_MAX_INPUT_SIZE)
		return -1;
	char *r = xmalloc(size);
	int got = LZ4_decompress_safe(v + 4, r, (int)(n - 4), (int)size);
	const char *at = r, *end = r + (got > 0 ? got : 0);
	int k = 0;
	for (; got == (int)size && k < NFIELDS; k++) {
		const char *nul = memchr(at, '\0', (size_t)(end - at));
		if (!nul)
			break;
		f[k] = at;
		at = nul + 1;
	}
	if (k != NFIELDS || at != end) {
		free(r);
		return -1;
	}
	*raw = r;
	return 0;
}

/* d's body stream, from its pack: it points into *raw, which the caller
 * frees. Reentrant: both outputs read it, each on its own thread. */
static const char *
doc_body(const struct doc *d, char **raw)
{
	const char *f[NFIELDS];
	if (streams_split(d->z, d->zlen, raw, f) != 0)
		abort();                 /* made and checked by prepare_streams */
	return f[F_BODY];
}

/* d's streams from the packed value v[0..n): the four short ones copied,
 * v kept as its pack (d owns v); -1 (and nothing set) when it does not
 * decode. */
static int
streams_take(struct doc *d, char *v, size_t n)
{
	char *raw;
	const char *f[NFIELDS];
	if (streams_split(v, n, &raw, f) != 0)
		return -1;
	for (int k = 0; k < NFIELDS; k++)
		if (k != F_BODY)
			d->f[k] = xstrdup(f[k]);
	free(raw);
	d->z = v;
	d->zlen = n;
	return 0;
}

/* Fold and split a document's fields and pack them (one kept from the
 * last build already has them); the body stream is then read from the
 * pack alone. */
static void
stream_one(size_t i, void *arg)
{
	struct streams *st = arg;
	struct doc *d = &st->c->docs[i];
	if (d->z)
		return;
	d->f[F_CODE] = term_stream(d->code);
	d->f[F_TITLE] = term_stream(d->title);
	d->f[F_FIELD] = term_stream(d->field);
	d->f[F_AGENCY] = term_stream(d->agency);
	char *own;
	d->f[F_BODY] = term_stream(doc_text(d, &own));
	free(own);
	int len;
	d->z = streams_pack(d, &len);
	d->zlen = (size_t)len;
	if (!d->z)
		abort();                 /* over 2 GB: the page sizes forbid it (MAX_FILE_SIZE) */
	free(d->f[F_BODY]);
	d->f[F_BODY] = NULL;
	st->made[i] = 1;
}

/* Every document's streams: from the memo, then made on the -j threads;
 * the memo gets them all again for the next build. The memo is used by
 * this thread alone. */
static void
prepare_streams(struct collector *c)
{
	struct memo *m = c->site ? c->site->memo : NULL;
	struct streams st = { c, NULL, xcalloc(c->n + 1, 1) };
	if (m && c->n) {
		st.key = xcalloc(c->n, sizeof *st.key);
		for (size_t i = 0; i < c->n; i++) {
			struct doc *d = &c->docs[i];
			size_t n;
			const char *v;
			if (d->z)
				continue;
			streams_key(m, d, st.key[i]);
			if ((v = memo_get(m, st.key[i], &n)) != NULL) {
				char *own = xmalloc(n + 1);
				memcpy(own, v, n);
				if (streams_take(d, own, n) == 0)
					memo_put(m, st.key[i], v, n);
				else
					free(own);
			}
		}
	}
	pool_run(c->site ? c->site->jobs : 1, c->n, stream_one, &st);
	for (size_t i = 0; st.key && i < c->n; i++)
		if (st.made[i])
			memo_put(m, st.key[i], c->docs[i].z, c->docs[i].zlen);
	free(st.key);
	free(st.made);
}

static void
doc_free(struct doc *d)
{
	char **all[] = { &d->kind, &d->url, &d->title, &d->code, &d->field, &d->agency, &d->levels,
		&d->online, &d->state, &d->fee, &d->time, &d->summary, &d->text, &d->published,
		&d->updated, &d->status, &d->effective, &d->history, &d->unverified };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(*all[i]);
	for (int f = 0; f < NFIELDS; f++)
		free(d->f[f]);
	free(d->z);
}

static void
synonyms_free(struct collector *c)
{
	for (size_t i = 0; i < c->nsyn; i++) {
		terms_free(&c->syn[i].from);
		terms_free(&c->syn[i].to);
	}
	free(c->syn);
	c->syn = NULL;
	c->nsyn = 0;
}

static int
ix_gc(lua_State *L)
{
	struct collector *c = luaL_checkudata(L, 1, "congkhai.index");
	for (size_t i = 0; i < c->n; i++)
		doc_free(&c->docs[i]);
	free(c->docs);
	c->docs = NULL;
	c->n = 0;
	free(c->lengths);
	c->lengths = NULL;
	free(c->syllables);
	c->syllables = NULL;
	synonyms_free(c);
	return 0;
}

/* A file inside the output being built; its parent folders made. */
static char *
output_path(lua_State *L, struct site *s, const char *rel)
{
	char *err;
	if (!s || !s->out_tmp)
		luaL_error(L, "index: no output is being built");
	if (output_write(s, rel, "", 0, &err) != 0) {
		lua_pushfstring(L, "index: %s", err);
		free(err);
		lua_error(L);
	}
	char *journal = xasprintf("%s-journal", rel);  /* SQLite would roll an earlier one back */
	output_forget(s, journal);
	free(journal);
	return xasprintf("%s/%s", s->out_tmp, rel);
}

/* ------------------------------------------------------------ sqlite */

static const char schema[] =
	"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE pages(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, url TEXT NOT NULL UNIQUE,"
	" title TEXT NOT NULL, code TEXT, summary TEXT, state TEXT, published TEXT, updated TEXT, text TEXT);"
	"CREATE TABLE procedures(page_id INTEGER PRIMARY KEY REFERENCES pages(id), code TEXT UNIQUE,"
	" field TEXT, level TEXT, agency TEXT, online TEXT, fee TEXT, processing_time TEXT, status TEXT,"
	" effective TEXT, unverified TEXT);"
	"CREATE TABLE history(page_id INTEGER REFERENCES pages(id), seq INTEGER, date TEXT, time TEXT,"
	" note TEXT, commit_id TEXT, changes TEXT, PRIMARY KEY(page_id, seq));"
	"CREATE VIRTUAL TABLE fts USING fts5(code, title, field, agency, body, content = '',"
	" tokenize = \"unicode61 remove_diacritics 0 tokenchars '.'\");"
	"CREATE TABLE keys(key TEXT NOT NULL, kind INTEGER NOT NULL, chunk INTEGER NOT NULL, df INTEGER NOT NULL,"
	" postings TEXT NOT NULL, PRIMARY KEY(key, kind)) WITHOUT ROWID;"
	"CREATE INDEX keys_chunk ON keys(chunk, kind, key);"
	"CREATE TABLE groups(word TEXT NOT NULL, file INTEGER NOT NULL, PRIMARY KEY(word, file)) WITHOUT ROWID;";

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* The history rows of one page: its entries' JSON read through SQLite's
 * json (history_sql), each row then inserted on its own (history_row). One
 * INSERT ... SELECT would be a statement that may write many rows, which
 * opens a savepoint, and a savepoint makes FTS5 write out the terms it
 * holds: a segment per page, most of the index's time. */
static const char history_sql[] =
	"SELECT key, json_extract(value, '$.date'), json_extract(value, '$.time'),"
	" json_extract(value, '$.note'), json_extract(value, '$.commit'), json_extract(value, '$.changes')"
	" FROM json_each(?1)";
static const char history_row[] = "INSERT INTO history VALUES(?1,?2,?3,?4,?5,?6,?7)";

struct keyset { struct key **v; size_t n; unsigned nchunks; struct groups groups; };

/* What the SQLite thread is handed: the documents at once, the keys when
 * the thread making them has (keys_ready), so that the documents are
 * written while the keys are made. */
struct sqlite_job {
	struct collector *c;
	char *path, *err;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	const struct keyset *keys;   /* NULL until made */
};

static void
keys_ready(struct sqlite_job *j, const struct keyset *ks)
{
	pthread_mutex_lock(&j->lock);
	j->keys = ks;
	pthread_cond_signal(&j->ready);
	pthread_mutex_unlock(&j->lock);
}

static const struct keyset *
keys_wait(struct sqlite_job *j)
{
	pthread_mutex_lock(&j->lock);
	while (!j->keys)
		pthread_cond_wait(&j->ready, &j->lock);
	pthread_mutex_unlock(&j->lock);
	return j->keys;
}

/* Write the SQLite index at j->path: the documents, then the keys once
 * made; NULL or the error (malloc'd). Touches no Lua state, so it can run
 * on its own thread. */
static char *
write_sqlite(struct sqlite_job *j)
{
	struct collector *c = j->c;
	const char *path = j->path;
	sqlite3 *db;
	int rc = sqlite3_open(path, &db);
	sqlite3_stmt *pg = NULL, *pr = NULL, *ft = NULL, *hi = NULL, *hr = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN; INSERT INTO meta VALUES('schema', '4'), ('folding',"
		    " 'NFC, lower case, marks removed, đ->d; terms split as congkhai does');", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		struct buf r = {0};
		rank_json(&r);
		char *sql = sqlite3_mprintf("INSERT INTO meta VALUES('rank', %Q), ('documents', '%lld'), ('lengths', %Q)",
		    r.s, (long long)c->n, c->lengths ? c->lengths : "[]");
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		sqlite3_free(sql);
		buf_free(&r);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO pages VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", -1, &pg, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO procedures VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", -1, &pr, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO fts(rowid, code, title, field, agency, body) VALUES(?1,?2,?3,?4,?5,?6)", -1, &ft, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, history_sql, -1, &hi, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, history_row, -1, &hr, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < c->n; i++) {
		struct doc *d = &c->docs[i];
		sqlite3_int64 id = (sqlite3_int64)i + 1;
		sqlite3_reset(pg);
		sqlite3_bind_int64(pg, 1, id);
		char *own;
		const char *vals[] = { d->kind, d->url, d->title, d->code, d->summary, d->state,
			d->published, d->updated, doc_text(d, &own) };
		for (int k = 0; k < 9; k++)
			bind_opt(pg, k + 2, vals[k]);
		rc = sqlite3_step(pg) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		free(own);
		if (rc == SQLITE_OK && d->code && strcmp(d->kind, "procedure") == 0) {
			sqlite3_reset(pr);
			sqlite3_bind_int64(pr, 1, id);
			const char *pv[] = { d->code, d->field, d->levels, d->agency, d->online, d->fee,
				d->time, d->status, d->effective, d->unverified };
			for (int k = 0; k < 10; k++)
				bind_opt(pr, k + 2, pv[k]);
			rc = sqlite3_step(pr) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		}
		if (rc == SQLITE_OK) {
			sqlite3_reset(ft);
			sqlite3_bind_int64(ft, 1, id);
			char *raw;
			for (int f = 0; f < NFIELDS; f++)
				sqlite3_bind_text(ft, f + 2, f == F_BODY ? doc_body(d, &raw) : d->f[f], -1,
				    SQLITE_STATIC);
			rc = sqlite3_step(ft) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
			free(raw);
		}
		if (rc == SQLITE_OK && d->history) {
			sqlite3_reset(hi);
			sqlite3_bind_text(hi, 1, d->history, -1, SQLITE_STATIC);
			int step;
			while (rc == SQLITE_OK && (step = sqlite3_step(hi)) == SQLITE_ROW) {
				sqlite3_reset(hr);
				sqlite3_bind_int64(hr, 1, id);
				for (int k = 0; k < 6; k++)
					sqlite3_bind_value(hr, k + 2, sqlite3_column_value(hi, k));
				rc = sqlite3_step(hr) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
			}
			if (rc == SQLITE_OK && step != SQLITE_DONE)
				rc = SQLITE_ERROR;
		}
	}
	const struct keyset *ks = keys_wait(j);
	if (rc == SQLITE_OK) {     /* made with the keys: rank_split()'s vocabulary */
		char *sql = sqlite3_mprintf("INSERT INTO meta VALUES('syllables', %Q)", c->syllables);
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		sqlite3_free(sql);
	}
	sqlite3_stmt *ky = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO keys VALUES(?1,?2,?3,?4,?5)", -1, &ky, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < ks->n; i++) {
		struct key *k = ks->v[i];
		sqlite3_reset(ky);
		sqlite3_bind_text(ky, 1, k->k + 1, -1, SQLITE_STATIC);
		sqlite3_bind_int(ky, 2, k->k[0] - '0');
		sqlite3_bind_int64(ky, 3, k->chunk);
		sqlite3_bind_int64(ky, 4, (sqlite3_int64)k->n);
		sqlite3_bind_text(ky, 5, k->enc, -1, SQLITE_STATIC);
		rc = sqlite3_step(ky) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(ky);
	ky = NULL;
	if (rc == SQLITE_OK)       /* a group's file is numbered after the chunks, as in meta.json */
		rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO groups VALUES(?1,?2)", -1, &ky, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < ks->groups.n; i++)
		for (const char *w = ks->groups.v[i].words; rc == SQLITE_OK && *w; ) {
			size_t len = strcspn(w, " ");
			sqlite3_reset(ky);
			sqlite3_bind_text(ky, 1, w, (int)len, SQLITE_STATIC);
			sqlite3_bind_int64(ky, 2, (sqlite3_int64)(ks->nchunks + i));
			rc = sqlite3_step(ky) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
			w += len + (w[len] == ' ');
		}
	sqlite3_finalize(ky);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL);
	char *msg = rc == SQLITE_OK ? NULL : xstrdup(sqlite3_errmsg(db));
	sqlite3_finalize(pg);
	sqlite3_finalize(pr);
	sqlite3_finalize(ft);
	sqlite3_finalize(hi);
	sqlite3_finalize(hr);
	sqlite3_close(db);
	return msg;
}

static void *
sqlite_thread(void *arg)
{
	struct sqlite_job *j = arg;
	j->err = write_sqlite(j);
	return NULL;
}

/* ------------------------------------------------------------ static */

static void
write_file(lua_State *L, struct site *s, const char *dir, const char *name, const char *data, size_t len)
{
	char *rel = xasprintf("%s/%s", dir, name), *err;
	int rc = s ? output_write(s, rel, data, len, &err) : (err = xstrdup("no output is being built"), -1);
	free(rel);
	if (rc != 0) {
		lua_pushfstring(L, "index:write: %s", err);
		free(err);
		lua_error(L);
	}
}

/* write_file() of name, and of name.gz: the same bytes gzipped (no name
 * or time in the header, so builds stay byte-identical), which is what
 * the browser fetches when it can inflate them (DecompressionStream).
 * Level 8: on the index's files as small as 9 within 0.3%, in two thirds
 * of the time. An edit changes a few of the files, so the gzipped bytes
 * are kept in the build's memo (memo.h) under a key of the bytes they
 * compress, and a file the last build compressed is not compressed again
 * (the memo's key covers the program and its zlib). */
#define GZ_LEVEL 8

/* The memo's key of the gzipped form of data[0..len). */
static void
gz_key(const struct memo *m, const char *data, size_t len, unsigned char key[MEMO_KEY])
{
	struct sha256_ctx h;
	memo_key(m, &h);
	memo_key_str(&h, "index.c gz");
	memo_key_add(&h, data, len);
	sha256_digest(&h, MEMO_KEY, key);
}

/* data[0..len) (name's) gzipped: malloc'd, *n bytes; a failure raises. */
static char *
gzip(lua_State *L, const char *name, const char *data, size_t len, size_t *n)
{
	z_stream z = {0};
	if (deflateInit2(&z, GZ_LEVEL, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		luaL_error(L, "index:write: zlib: %s", z.msg ? z.msg : "out of memory");
	uLong cap = deflateBound(&z, (uLong)len);
	unsigned char *out = xmalloc(cap);
	z.next_in = (unsigned char *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*n = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		luaL_error(L, "index:write: zlib could not compress %s", name);
	}
	return (char *)out;
}

static size_t
write_gz(lua_State *L, struct site *s, const char *dir, const char *name, const char *data, size_t len)
{
	write_file(L, s, dir, name, data, len);
	struct memo *m = s ? s->memo : NULL;
	unsigned char key[MEMO_KEY];
	size_t n = 0;
	const char *kept = NULL;
	if (m) {
		gz_key(m, data, len, key);
		kept = memo_get(m, key, &n);
	}
	char *made = kept ? NULL : gzip(L, name, data, len, &n);
	if (m)
		memo_put(m, key, kept ? kept : made, n);
	char *gz = xasprintf("%s.gz", name);
	write_file(L, s, dir, gz, kept ? kept : made, n);
	free(gz);
	free(made);
	return n;
}

/* A JSON string of s (NULL as ""). */
static void
json_text(struct buf *b, const char *s)
{
	json_escape(b, s ? s : "", s ? strlen(s) : 0);
}

/* A first part of the text for result snippets: whole words, ~EXCERPT bytes. */
#define EXCERPT 240
static char *
excerpt(const char *t)
{
	size_t n = t ? strlen(t) : 0, cut = n < EXCERPT ? n : EXCERPT;
	while (cut < n && cut < EXCERPT + 40 && t[cut] != ' ')
		cut++;
	while (cut > 0 && cut < n && ((unsigned char)t[cut] & 0xC0) == 0x80)
		cut--;
	return xstrndup(t ? t : "", cut);
}

/* A document's record in a block, as the result list shows it: title,
 * URL, kind, state, code and field (procedures) and an excerpt (malloc'd JSON). */
static char *
doc_record(const struct doc *d)
{
	struct buf b = {0};
	char *own = NULL;
	char *x = excerpt(d->summary ? d->summary : doc_text(d, &own));
	free(own);
	buf_puts(&b, "{\"t\":");
	json_text(&b, d->title);
	buf_puts(&b, ",\"u\":");
	json_text(&b, d->url);
	buf_puts(&b, ",\"k\":");
	json_text(&b, d->kind);
	buf_puts(&b, ",\"s\":");
	json_text(&b, d->state);
	if (d->code) {
		buf_puts(&b, ",\"c\":");
		json_text(&b, d->code);
		buf_puts(&b, ",\"f\":");
		json_text(&b, d->field);
	}
	buf_puts(&b, ",\"x\":");
	json_text(&b, x);
	buf_putc(&b, '}');
	free(x);
	return buf_steal(&b);
}

/* The browser's files: term chunks, document blocks, facets; and the meta
 * (returned, malloc'd) that says how to find them. A block holds as many
 * documents as make about BLOCK_BYTES (at least BLOCK_MIN), so that the
 * ten results of a small site come from one or two files. */
#define BLOCK_BYTES 320000       /* about 40 KB gzipped */
#define BLOCK_MIN 16
static char *
write_static(lua_State *L, struct collector *c, const char *dir, const struct keyset *ks)
{
	struct key **keys = ks->v;
	size_t nk = ks->n;
	struct site *s = c->site;
	struct buf meta = {0}, chunk = {0}, tsz = {0}, dsz = {0};   /* the files' gzipped bytes */
	char **rec = xcalloc(c->n + 1, sizeof *rec);
	size_t total = 0;
	for (size_t i = 0; i < c->n; i++)
		total += strlen(rec[i] = doc_record(&c->docs[i]));
	size_t block = c->n ? BLOCK_BYTES / (total / c->n + 1) : BLOCK_MIN;
	if (block < BLOCK_MIN)
		block = BLOCK_MIN;
	buf_printf(&meta, "{\"v\":7,\"n\":%zu,\"block\":%zu,\"lengths\":%s,\"rank\":", c->n, block, c->lengths);
	rank_json(&meta);
	buf_puts(&meta, ",\"syllables\":");
	json_text(&meta, c->syllables);
	buf_puts(&meta, ",\"chunks\":[");
	for (size_t i = 0; i < nk; i++) {
		struct key *k = keys[i];
		if (i == 0 || k->chunk != keys[i - 1]->chunk) {
			if (i)
				buf_putc(&meta, ',');
			json_text(&meta, k->k + 1);
		}
		buf_printf(&chunk, "%s\t%c\t%zu\t%s\n", k->k + 1, k->k[0], k->n, k->enc);
		if (i + 1 == nk || keys[i + 1]->chunk != k->chunk) {
			char name[32];
			snprintf(name, sizeof name, "t/%u.txt", k->chunk);
			buf_printf(&tsz, "%s%zu", k->chunk ? "," : "", write_gz(L, s, dir, name, chunk.s, chunk.len));
			buf_free(&chunk);
		}
	}
	buf_puts(&meta, "],\"groups\":[");
	for (size_t i = 0; i < ks->groups.n; i++) {
		const struct group *g = &ks->groups.v[i];
		for (size_t j = 0; j < g->n; j++)
			buf_printf(&chunk, "%s\t%c\t%zu\t%s\n", g->v[j]->k + 1, g->v[j]->k[0], g->v[j]->n, g->v[j]->enc);
		char name[32];
		snprintf(name, sizeof name, "t/%zu.txt", ks->nchunks + i);
		buf_printf(&tsz, "%s%zu", ks->nchunks + i ? "," : "", write_gz(L, s, dir, name, chunk.s, chunk.len));
		buf_free(&chunk);
		if (i)
			buf_putc(&meta, ',');
		json_text(&meta, g->words);
	}
	buf_puts(&meta, "],\"fields\":[");
	struct buf facets = {0}, blk = {0};
	char **fnames = NULL;
	size_t nf = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct doc *d = &c->docs[i];
		buf_puts(&blk, i % block ? ",\n" : "[");
		buf_puts(&blk, rec[i]);
		free(rec[i]);
		if ((i + 1) % block == 0 || i + 1 == c->n) {
			char name[32];
			buf_puts(&blk, "]\n");
			snprintf(name, sizeof name, "d/%zu.json", i / block);
			buf_printf(&dsz, "%s%zu", i / block ? "," : "", write_gz(L, s, dir, name, blk.s, blk.len));
			buf_free(&blk);
		}
		size_t fi = 0;
		if (d->field) {
			while (fi < nf && strcmp(fnames[fi], d->field) != 0)
				fi++;
			if (fi == nf) {
				fnames = xrealloc(fnames, (nf + 1) * sizeof *fnames);
				fnames[nf++] = d->field;
			}
			fi++;
		}
		int lv = 0;
		if (d->levels) {
			lv |= strstr(d->levels, "tỉnh") ? 1 : 0;
			lv |= strstr(d->levels, "huyện") ? 2 : 0;
			lv |= strstr(d->levels, "xã") ? 4 : 0;
		}
		int on = 0;                   /* 1 + the value's place in the vocabulary */
		for (int k = 0; d->online && vocab_online[k]; k++)
			if (!strcmp(d->online, vocab_online[k]))
				on = k + 1;
		buf_printf(&facets, "%zu,%d,%d\n", fi, lv, on);
	}
	free(rec);
	write_gz(L, s, dir, "f.txt", facets.s ? facets.s : "", facets.len);
	buf_free(&facets);
	for (size_t i = 0; i < nf; i++) {
		if (i)
			buf_putc(&meta, ',');
		json_text(&meta, fnames[i]);
	}
	buf_printf(&meta, "],\"sizes\":{\"t\":[%s],\"d\":[%s]}}\n", tsz.s ? tsz.s : "", dsz.s ? dsz.s : "");
	buf_free(&tsz);
	buf_free(&dsz);
	free(fnames);
	write_file(L, s, dir, "meta.json", meta.s, meta.len);
	return buf_steal(&meta);
}

struct static_job { struct collector *c; const char *dir; struct keyset keys; char *meta; };

static int
static_protected(lua_State *L)
{
	struct static_job *j = lua_touserdata(L, 1);
	j->meta = write_static(L, j->c, j->dir, &j->keys);
	return 0;
}

/* Documents in the order both outputs number them: procedures first, then
 * by the title's length in terms (rank.h says why), then by folded title,
 * then URL, so that results of a query also cluster in few blocks of the
 * static index. */
static int
doc_order(const void *a, const void *b)
{
	const struct doc *x = a, *y = b;
	int px = x->kind && strcmp(x->kind, "procedure") == 0, py = y->kind && strcmp(y->kind, "procedure") == 0;
	if (px != py)
		return py - px;
	if (x->tlen != y->tlen)
		return x->tlen < y->tlen ? -1 : 1;
	int c = strcmp(x->f[F_TITLE] ? x->f[F_TITLE] : "", y->f[F_TITLE] ? y->f[F_TITLE] : "");
	return c ? c : strcmp(x->url, y->url);
}

/* The runs of title lengths of the sorted documents, as rank.h stores
 * them: "[[first document,length],...]" (malloc'd). */
static char *
title_runs(const struct collector *c)
{
	struct buf b = {0};
	size_t prev = (size_t)-1;
	buf_putc(&b, '[');
	for (size_t i = 0; i < c->n; i++) {
		size_t len = c->docs[i].tlen;
		if (len != prev)
			buf_printf(&b, "%s[%zu,%zu]", b.len > 1 ? "," : "", i, len);
		prev = len;
	}
	buf_putc(&b, ']');
	return buf_steal(&b);
}

/* ix:write(sqlite_relpath, static_dir): either may be nil; returns the
 * static index's meta.json text (nil without static_dir). The SQLite file
 * is written on a thread of its own while this one makes the keys and
 * writes the static files. */
static int
ix_write(lua_State *L)
{
	struct collector *c = check_collector(L);
	const char *db = luaL_optstring(L, 2, NULL), *dir = luaL_optstring(L, 3, NULL);
	prepare_streams(c);
	struct terms title = {0};
	for (size_t i = 0; i < c->n; i++) {
		stream_terms(&title, c->docs[i].f[F_TITLE]);
		c->docs[i].tlen = title.n - rank_lead(title.v, title.n);
	}
	terms_free(&title);
	if (c->n)
		qsort(c->docs, c->n, sizeof *c->docs, doc_order);
	free(c->lengths);
	c->lengths = title_runs(c);
	struct sqlite_job job = { c, db ? output_path(L, c->site, db) : NULL, NULL,
		PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL };
	pthread_t t;
	int threaded = job.path && pthread_create(&t, NULL, sqlite_thread, &job) == 0;
	struct keytab tt = {0};
	struct keyset ks = {0};              /* nothing below raises before keys_ready */
	ks.n = build_keys(c, &tt, &ks.v, &ks.nchunks);
	if (ks.nchunks > RANK_FILES)
		group_keys(c, &tt, ks.v, ks.n, &ks.groups);
	free(c->syllables);
	c->syllables = syllables(ks.v, ks.n);
	keys_ready(&job, &ks);
	if (job.path && !threaded)
		sqlite_thread(&job);
	struct static_job sj = { c, dir, ks, NULL };
	if (dir) {
		/* a Lua error here must not leave the thread running */
		lua_pushcfunction(L, static_protected);
		lua_pushlightuserdata(L, &sj);
		int rc = lua_pcall(L, 1, 0, 0);
		if (threaded)
			pthread_join(t, NULL);
		threaded = 0;
		if (rc != LUA_OK) {
			free(job.path);
			free(job.err);
			keys_free(&tt, ks.v);
			groups_free(&ks.groups);
			return lua_error(L);
		}
	}
	if (threaded)
		pthread_join(t, NULL);
	free(job.path);
	keys_free(&tt, ks.v);
	groups_free(&ks.groups);
	if (job.err) {
		free(sj.meta);
		lua_pushfstring(L, "index:write: %s", job.err);
		free(job.err);
		return lua_error(L);
	}
	if (sj.meta) {
		lua_pushstring(L, sj.meta);
		free(sj.meta);
	} else
		lua_pushnil(L);
	return 1;
}

/* ix:synonyms(map): colloquial names, each to an official phrase or a
 * list of them (data/tu-dong-nghia.yaml). Returns a list of problems
 * (strings) for the caller to report; entries with problems are skipped. */
static int
ix_synonyms(lua_State *L)
{
	struct collector *c = check_collector(L);
	lua_newtable(L);                       /* problems */
	int problems = lua_gettop(L), np = 0;
	if (lua_isnoneornil(L, 2))
		return 1;
	if (!lua_istable(L, 2)) {
		lua_pushliteral(L, "the file is not a map of colloquial names to official phrases");
		lua_rawseti(L, problems, ++np);
		return 1;
	}
	synonyms_free(c);
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		/* stack: key value */
		if (lua_type(L, -2) != LUA_TSTRING || !(lua_type(L, -1) == LUA_TSTRING || lua_istable(L, -1))) {
			lua_pushfstring(L, "'%s': a colloquial name takes an official phrase or a list of them",
			    lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?");
			lua_rawseti(L, problems, ++np);
			lua_pop(L, 1);
			continue;
		}
		int single = lua_type(L, -1) == LUA_TSTRING;
		lua_Integer n = single ? 1 : (lua_Integer)lua_rawlen(L, -1);
		for (lua_Integer i = 1; i <= n; i++) {
			if (!single)
				lua_rawgeti(L, -1, i);
			else
				lua_pushvalue(L, -1);
			if (lua_type(L, -1) == LUA_TSTRING) {
				struct synonym s = {0};
				char *from = text_fold(lua_tostring(L, -1)), *to = text_fold(lua_tostring(L, -3));
				terms_of(&s.from, from);
				terms_of(&s.to, to);
				free(from);
				free(to);
				if (s.from.n && s.to.n) {
					c->syn = xrealloc(c->syn, (c->nsyn + 1) * sizeof *c->syn);
					c->syn[c->nsyn++] = s;
				} else {
					terms_free(&s.from);
					terms_free(&s.to);
				}
			} else {
				lua_pushfstring(L, "'%s': item %d is not text", lua_tostring(L, -3), (int)i);
				lua_rawseti(L, problems, ++np);
			}
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	if (c->nsyn)
		qsort(c->syn, c->nsyn, sizeof *c->syn, synonym_cmp);
	return 1;
}

static int
ix_new(lua_State *L)
{
	struct collector *c = lua_newuserdatauv(L, sizeof *c, 0);
	memset(c, 0, sizeof *c);
	c->site = lhost_plugin(L)->host->site;
	if (luaL_newmetatable(L, "congkhai.index")) {
		static const luaL_Reg m[] = {
			{ "add", ix_add }, { "write", ix_write }, { "synonyms", ix_synonyms },
			{ "__gc", ix_gc }, { NULL, NULL } };
		luaL_setfuncs(L, m, 0);
		lua_pushvalue(L, -1);
		lua_setfield(L, -2, "__index");
		lua_pushboolean(L, 0);         /* locked: shared by every plugin */
		lua_setfield(L, -2, "__metatable");
	}
	lua_setmetatable(L, -2);
	return 1;
}

void
index_lua_register(lua_State *L, struct plugin *p)
{
	lua_pushlightuserdata(L, p);
	lua_pushcclosure(L, ix_new, 1);
	lua_setfield(L, -2, "index");
}
