/*
 * rank.c — the ranking definition of rank.h: key normalisation, the
 * postings codec, and the evaluation of a query over a rank_source.
 * plugins/search/search.js is a line-by-line port of rank_decode() and
 * rank_query(); tests/browser/rank.test.mjs proves the two agree.
 * Owns nothing beyond a call: every result is malloc'd for the caller.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "rank.h"

#define RANK_MAX_TERMS 16      /* words of a query beyond these are ignored */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
rank_norm(char *t)
{
	size_t n = strlen(t);
	if (n < 2 || t[n - 1] != 'y')
		return;
	for (size_t i = 0; i + 1 < n; i++)
		if (!strchr("bcdfghjklmnpqrstvwxz", t[i]))
			return;
	t[n - 1] = 'i';
}

/* ------------------------------------------------------------ words typed without spaces */

int
rank_syllable(const char *w)
{
	size_t n = strlen(w);
	if (n == 0 || n > RANK_SYLLABLE_MAX || (n == 1 && !strchr("aeiouy", w[0])))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (w[i] < 'a' || w[i] > 'z')
			return 0;
	return 1;
}

/* The vocabulary of rank_split() (rank.h; not vocab.h's, the content's
 * keys and values), as the words of one string in order. */
struct sylls { const char **w; size_t *len, n; };

static void
sylls_parse(struct sylls *v, const char *s)
{
	memset(v, 0, sizeof *v);
	for (const char *p = s ? s : ""; *p; ) {
		size_t len = strcspn(p, " ");
		if (len) {
			v->w = xrealloc(v->w, (v->n + 1) * sizeof *v->w);
			v->len = xrealloc(v->len, (v->n + 1) * sizeof *v->len);
			v->w[v->n] = p;
			v->len[v->n++] = len;
		}
		p += len + (p[len] == ' ');
	}
}

/* The place of the word p (n letters), or -1; with start, of the first
 * longer word that starts with it. */
static long
sylls_find(const struct sylls *v, const char *p, size_t n, int start)
{
	for (size_t i = 0; i < v->n; i++)
		if ((start ? v->len[i] > n : v->len[i] == n) && memcmp(v->w[i], p, n) == 0)
			return (long)i;
	return -1;
}

/* The cut of t (see rank.h) in end[] (the end of each piece), or 0 when
 * t is not split; last: t is the query's last term. */
static size_t
split_term(const struct sylls *v, const char *t, int last, size_t *end)
{
	size_t L = strlen(t);
	if (L < 2 || L > RANK_SPLIT_MAX || v->n == 0)
		return 0;
	for (size_t i = 0; i < L; i++)
		if (t[i] < 'a' || t[i] > 'z')
			return 0;
	if (sylls_find(v, t, L, 0) >= 0 || (last && sylls_find(v, t, L, 1) >= 0))
		return 0;
	long pieces[RANK_SPLIT_MAX + 1], cost[RANK_SPLIT_MAX + 1];
	size_t from[RANK_SPLIT_MAX + 1];
	pieces[0] = cost[0] = 0;
	for (size_t j = 1; j <= L; j++) {
		pieces[j] = -1;
		for (size_t k = 1; k <= RANK_SYLLABLE_MAX && k <= j; k++) {
			size_t i = j - k;
			if (pieces[i] < 0)
				continue;
			char p[RANK_SYLLABLE_MAX + 1];
			memcpy(p, t + i, k);
			p[k] = '\0';
			rank_norm(p);
			long c = sylls_find(v, p, k, 0);
			if (c < 0 && last && j == L && k >= RANK_PREFIX_MIN && (c = sylls_find(v, p, k, 1)) >= 0)
				c += (long)v->n;
			if (c < 0)
				continue;
			long np = pieces[i] + 1, nc = cost[i] + c;
			if (pieces[j] < 0 || np < pieces[j] || (np == pieces[j] && nc < cost[j])) {
				pieces[j] = np;
				cost[j] = nc;
				from[j] = i;
			}
		}
	}
	if (pieces[L] < 2)
		return 0;
	size_t np = (size_t)pieces[L];
	for (size_t j = L, k = np; k > 0; j = from[j])
		end[--k] = j;
	return np;
}

size_t
rank_split(const char *vocab, char **q, size_t n, char ***out)
{
	struct sylls v;
	sylls_parse(&v, vocab);
	char **r = NULL;
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		size_t end[RANK_SPLIT_MAX], np = split_term(&v, q[i], i + 1 == n, end);
		r = xrealloc(r, (nr + (np ? np : 1)) * sizeof *r);
		if (!np)
			r[nr++] = xstrdup(q[i]);
		for (size_t k = 0, at = 0; k < np; at = end[k++]) {
			r[nr] = xstrndup(q[i] + at, end[k] - at);
			rank_norm(r[nr++]);
		}
	}
	free(v.w);
	free(v.len);
	*out = r;
	return nr;
}

/* ------------------------------------------------------------ codec */

static void
varint(struct buf *b, unsigned long v)
{
	while (v >= 32) {
		buf_putc(b, b64[32 + (v & 31)]);
		v >>= 5;
	}
	buf_putc(b, b64[v]);
}

static int
b64_value(int c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

/* Read a varint at *s; -1 when malformed. */
static long
read_varint(const char **s)
{
	unsigned long v = 0;
	for (int shift = 0; shift < 35; shift += 5) {
		int d = b64_value((unsigned char)**s);
		if (d < 0)
			return -1;
		(*s)++;
		v |= (unsigned long)(d & 31) << shift;
		if (!(d & 32))
			return (long)v;
	}
	return -1;
}

static size_t
varint_len(unsigned long v)
{
	size_t n = 1;
	while (v >= 32) {
		v >>= 5;
		n++;
	}
	return n;
}

static int
by_level(const void *a, const void *b)
{
	const struct rank_posting *x = a, *y = b;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	return (x->doc > y->doc) - (x->doc < y->doc);
}

static int
by_doc(const void *a, const void *b)
{
	const struct rank_posting *x = a, *y = b;
	return (x->doc > y->doc) - (x->doc < y->doc);
}

char *
rank_encode(const struct rank_posting *p, size_t n, unsigned ndocs)
{
	struct rank_posting *s = xcalloc(n + 1, sizeof *s);
	if (n)
		memcpy(s, p, n * sizeof *s);
	qsort(s, n, sizeof *s, by_level);
	size_t head = n < RANK_HEAD ? n : RANK_HEAD;
	qsort(s, head, sizeof *s, by_doc);
	qsort(s + head, n - head, sizeof *s, by_doc);
	struct buf b = {0};
	unsigned prev = 0;
	for (size_t i = 0; i < head; i++) {
		varint(&b, s[i].doc - prev);
		varint(&b, (unsigned long)s[i].level * 8 + s[i].flags);
		prev = s[i].doc;
	}
	for (unsigned f = 0; f < 8; f++) {
		unsigned level = 0;
		size_t count = 0, list = 1;
		prev = 0;
		for (size_t i = head; i < n; i++)
			if (s[i].flags == f) {
				if (s[i].level > level)
					level = s[i].level;
				list += varint_len(s[i].doc - prev);
				prev = s[i].doc;
				count++;
			}
		if (!count)
			continue;
		buf_printf(&b, "|%u,%u,", f, level);
		prev = 0;
		if (list <= 1 + (ndocs + 5) / 6) {
			buf_putc(&b, 'l');
			for (size_t i = head; i < n; i++)
				if (s[i].flags == f) {
					varint(&b, s[i].doc - prev);
					prev = s[i].doc;
				}
		} else {
			unsigned char *bits = xcalloc((ndocs + 5) / 6 + 1, 1);
			for (size_t i = head; i < n; i++)
				if (s[i].flags == f && s[i].doc < ndocs)
					bits[s[i].doc / 6] |= (unsigned char)(1u << (s[i].doc % 6));
			buf_putc(&b, 'b');
			for (size_t i = 0; i < (ndocs + 5) / 6; i++)
				buf_putc(&b, b64[bits[i]]);
			free(bits);
		}
	}
	free(s);
	if (!b.s)
		buf_puts(&b, "");
	return buf_steal(&b);
}

static void
push(struct rank_posting **v, size_t *n, size_t *cap, unsigned doc, unsigned level, unsigned flags)
{
	if (*n == *cap)
		*v = xrealloc(*v, (*cap = *cap ? *cap * 2 : 16) * sizeof **v);
	(*v)[(*n)++] = (struct rank_posting){ doc, level, flags };
}

long
rank_decode(const char *s, unsigned ndocs, struct rank_posting **out)
{
	struct rank_posting *v = NULL;
	size_t n = 0, cap = 0;
	unsigned long doc = 0;
	*out = NULL;
	while (*s && *s != '|') {
		long d = read_varint(&s), val = d < 0 ? -1 : read_varint(&s);
		if (val < 0 || (doc += (unsigned long)d) >= ndocs)
			goto bad;
		push(&v, &n, &cap, (unsigned)doc, (unsigned)(val / 8), (unsigned)(val % 8));
	}
	while (*s == '|') {
		char *e;
		unsigned long f = strtoul(s + 1, &e, 10), level;
		if (e == s + 1 || *e != ',' || f > 7)
			goto bad;
		s = e + 1;
		level = strtoul(s, &e, 10);
		if (e == s || *e != ',')
			goto bad;
		s = e + 1;
		if (*s == 'l') {
			s++;
			doc = 0;
			while (*s && *s != '|') {
				long d = read_varint(&s);
				if (d < 0 || (doc += (unsigned long)d) >= ndocs)
					goto bad;
				push(&v, &n, &cap, (unsigned)doc, (unsigned)level, (unsigned)f);
			}
		} else if (*s == 'b') {
			s++;
			for (unsigned long i = 0; *s && *s != '|'; i++, s++) {
				int c = b64_value((unsigned char)*s);
				if (c < 0)
					goto bad;
				for (unsigned k = 0; k < 6; k++)
					if (c & (1 << k)) {
						if (i * 6 + k >= ndocs)
							goto bad;
						push(&v, &n, &cap, (unsigned)(i * 6 + k), (unsigned)level, (unsigned)f);
					}
			}
		} else
			goto bad;
	}
	if (*s)
		goto bad;
	if (n)
		qsort(v, n, sizeof *v, by_doc);
	for (size_t i = 1; i < n; i++)
		if (v[i].doc == v[i - 1].doc)
			goto bad;              /* a document twice */
	*out = v;
	return (long)n;
bad:
	free(v);
	return -1;
}

/* ------------------------------------------------------------ files */

/* The planner: which keys a query reads when the static index's files
 * bound it (RANK_FILES). plugins/search/search.js's source() is its
 * line-by-line port. A look is a key the evaluation reads, of a kind
 * (RANK_WORD, RANK_PAIR, or 0: the completions of a prefix), and the
 * files that hold it: the chunk it sorts into, then the groups that
 * hold its words. The files read are, greedily, the one that holds the
 * most looks still missing (ties: the lower number), or the chunks in
 * byte order when they are no more; past RANK_FILES, the first
 * RANK_FILES of the greedy choice, and the looks none of them holds are
 * dropped: their keys have no postings, for this query. */
struct look { int kind; char *key; unsigned *files; size_t nfiles; int kept; };
struct plan { struct look *v; size_t n; char **read; int *readkind; size_t nread; };
struct gfiles { unsigned *v; size_t n; };  /* a term's group files, ascending */

/* Add the look (kind, key), held by its chunk and by the groups of the
 * terms g (ng of them: 0, 1, or a pair) that hold them all. */
static void
look_add(struct plan *p, const struct rank_source *src, int kind, const char *key, const struct gfiles *g,
    size_t ng)
{
	struct look *l;
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	l = &p->v[p->n++];
	*l = (struct look){ kind, xstrdup(key), NULL, 0, 0 };
	l->files = xcalloc((ng ? g[0].n : 0) + 1, sizeof *l->files);
	l->files[l->nfiles++] = src->chunk(src->arg, key);
	for (size_t i = 0; ng && i < g[0].n; i++) {   /* the groups of the first that hold the second too */
		int in = ng < 2;
		for (size_t j = 0; !in && j < g[1].n; j++)
			in = g[1].v[j] == g[0].v[i];
		if (in)
			l->files[l->nfiles++] = g[0].v[i];
	}
}

static int
file_cmp(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

static int
look_holds(const struct look *l, const unsigned *files, size_t n)
{
	for (size_t i = 0; i < l->nfiles; i++)
		for (size_t j = 0; j < n; j++)
			if (l->files[i] == files[j])
				return 1;
	return 0;
}

/* Plan the query q (n terms, as rank_query trimmed them) over src. */
static void
plan_make(struct plan *p, const struct rank_source *src, char **q, size_t n, int prefix)
{
	struct gfiles *g = xcalloc(n + 1, sizeof *g);   /* each term's, looked up once */
	for (size_t i = 0; i < n; i++)
		g[i].n = src->groups(src->arg, q[i], &g[i].v);
	for (size_t i = 0; i < n; i++) {
		look_add(p, src, RANK_WORD, q[i], &g[i], 1);
		look_add(p, src, RANK_PAIR, q[i], &g[i], 1);
		if (i + 1 < n) {
			char *pair = xasprintf("%s%s", q[i], q[i + 1]);
			look_add(p, src, RANK_PAIR, pair, &g[i], 2);
			free(pair);
		}
	}
	if (prefix && n == 1)
		look_add(p, src, 0, q[0], NULL, 0);
	else if (prefix) {
		char *pair = xasprintf("%s%s", q[n - 2], q[n - 1]);
		look_add(p, src, 0, pair, &g[n - 2], 2);
		free(pair);
	}
	for (size_t i = 0; i < n; i++)
		free(g[i].v);
	free(g);
	size_t nall = 0, nneed = 0, nplain = 0;
	for (size_t i = 0; i < p->n; i++)
		nall += p->v[i].nfiles;
	unsigned *all = xcalloc(nall + 1, sizeof *all), *need = xcalloc(p->n + 1, sizeof *need),
	    *plain = xcalloc(p->n + 1, sizeof *plain);
	int *left = xcalloc(p->n + 1, sizeof *left);
	for (size_t i = 0; i < p->n; i++) {
		left[i] = 1;
		unsigned f = p->v[i].files[0];
		size_t j = 0;
		while (j < nplain && plain[j] != f)
			j++;
		if (j == nplain)
			plain[nplain++] = f;
	}
	for (;;) {                 /* greedily, the file that holds most of the looks still missing */
		size_t m = 0;
		for (size_t i = 0; i < p->n; i++)
			if (left[i])
				for (size_t j = 0; j < p->v[i].nfiles; j++)
					all[m++] = p->v[i].files[j];
		if (m == 0)
			break;
		qsort(all, m, sizeof *all, file_cmp);
		unsigned best = all[0];
		size_t run = 0, most = 0;
		for (size_t j = 0; j < m; j++) {
			run = j > 0 && all[j] == all[j - 1] ? run + 1 : 1;
			if (run > most) {
				most = run;
				best = all[j];
			}
		}
		need[nneed++] = best;
		for (size_t i = 0; i < p->n; i++)
			if (left[i] && look_holds(&p->v[i], &best, 1))
				left[i] = 0;
	}
	const unsigned *read = nneed >= nplain ? plain : need;
	size_t nr = nneed >= nplain ? nplain : nneed;
	if (nr > RANK_FILES) {
		read = need;
		nr = RANK_FILES;
	}
	for (size_t i = 0; i < p->n; i++)
		p->v[i].kept = look_holds(&p->v[i], read, nr);
	free(all);
	free(need);
	free(plain);
	free(left);
}

/* Whether the evaluation reads (key, kind): a look kept, or a key a kept
 * completion gave (read from the completion's file). */
static int
plan_reads(const struct plan *p, const char *key, int kind)
{
	if (!p)
		return 1;
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == kind && p->v[i].kept && strcmp(p->v[i].key, key) == 0)
			return 1;
	for (size_t i = 0; i < p->nread; i++)
		if (p->readkind[i] == kind && strcmp(p->read[i], key) == 0)
			return 1;
	return 0;
}

static void
plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].files);
	}
	for (size_t i = 0; i < p->nread; i++)
		free(p->read[i]);
	free(p->v);
	free(p->read);
	free(p->readkind);
}

/* ------------------------------------------------------------ query */

struct eval {
	unsigned ndocs;
	long *total, *best;
	uint32_t *mask, *tmask, *pmask, *round;
	unsigned char *code, *late, *seen;
	unsigned *touched, *rlist;
	size_t ntouched, nr;
	uint32_t r;
	struct plan *plan;       /* NULL: every key is read */
};

static void
round_begin(struct eval *e)
{
	e->r++;
	e->nr = 0;
}

static void
round_end(struct eval *e)
{
	for (size_t i = 0; i < e->nr; i++)
		e->total[e->rlist[i]] += e->best[e->rlist[i]];
}

/* Postings of (key, kind) count, with weight w, for the words in bits;
 * pbit is the query pair this key stands for (0: none); code marks a
 * match of the code field as the query's code. */
static void
apply(struct eval *e, const struct rank_source *src, const char *key, int kind, long w, uint32_t bits,
    uint32_t pbit, int code)
{
	char *s = plan_reads(e->plan, key, kind) ? src->postings(src->arg, key, kind) : NULL;
	struct rank_posting *p;
	long n = s ? rank_decode(s, e->ndocs, &p) : -1;
	free(s);
	for (long i = 0; i < n; i++) {
		unsigned d = p[i].doc;
		if (!e->seen[d]) {
			e->seen[d] = 1;
			e->touched[e->ntouched++] = d;
		}
		if (e->round[d] != e->r) {
			e->round[d] = e->r;
			e->best[d] = 0;
			e->rlist[e->nr++] = d;
		}
		if (w * (long)p[i].level > e->best[d])
			e->best[d] = w * (long)p[i].level;
		e->mask[d] |= bits;
		if (p[i].flags & RANK_F_TITLE) {
			e->tmask[d] |= bits;
			e->pmask[d] |= pbit;
		}
		if (p[i].flags & RANK_F_LATE)
			e->late[d] = 1;
		if (code && (p[i].flags & RANK_F_CODE))
			e->code[d] = 1;
	}
	if (n > 0)
		free(p);
}

static void
apply_completions(struct eval *e, const struct rank_source *src, const char *prefix, int kind, long w,
    uint32_t bits, uint32_t pbit)
{
	char *keys[RANK_COMPLETE];
	size_t n = plan_reads(e->plan, prefix, 0) ? src->complete(src->arg, prefix, kind, keys) : 0;
	struct plan *p = e->plan;
	for (size_t i = 0; i < n && i < RANK_COMPLETE; i++) {
		if (p) {               /* read from the completion's file, now */
			p->read = xrealloc(p->read, (p->nread + 1) * sizeof *p->read);
			p->readkind = xrealloc(p->readkind, (p->nread + 1) * sizeof *p->readkind);
			p->readkind[p->nread] = kind;
			p->read[p->nread++] = xstrdup(keys[i]);
		}
		apply(e, src, keys[i], kind, w, bits, pbit, 0);
		free(keys[i]);
	}
}

size_t
rank_lead(char **q, size_t n)
{
	const char *p = RANK_LEAD;
	size_t i = 0;
	while (*p && i < n) {
		size_t len = strcspn(p, " ");
		if (strlen(q[i]) != len || strncmp(q[i], p, len) != 0)
			return 0;
		i++;
		p += len + (p[len] == ' ');
	}
	return *p ? 0 : i;
}

unsigned
rank_title_len(const struct rank_source *src, unsigned doc)
{
	size_t lo = 0, hi = src->nlens;
	while (lo < hi) {                /* the last run starting at or before doc */
		size_t mid = (lo + hi) / 2;
		if (src->lens[2 * mid] <= doc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? src->lens[2 * (lo - 1) + 1] : 0;
}

long
rank_parse_lens(const char *s, unsigned **out)
{
	unsigned *v = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	if (*s++ != '[')
		return -1;
	while (*s == '[') {
		char *e;
		unsigned long d, l;
		if (!isdigit((unsigned char)s[1]) || (d = strtoul(s + 1, &e, 10), *e != ',') ||
		    !isdigit((unsigned char)e[1]) || (l = strtoul(e + 1, &e, 10), *e != ']') ||
		    d > UINT32_MAX || l > UINT32_MAX || (n && d <= v[2 * n - 2]))
			goto bad;
		if (n == cap)
			v = xrealloc(v, (cap = cap ? 2 * cap : 16) * 2 * sizeof *v);
		v[2 * n] = (unsigned)d;
		v[2 * n + 1] = (unsigned)l;
		n++;
		s = e + 1;
		if (*s == ',' && s[1] == '[')
			s++;
	}
	if (strcmp(s, "]") != 0)
		goto bad;
	*out = v;
	return (long)n;
bad:
	free(v);
	return -1;
}

static int
popcount(uint32_t m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

static size_t
chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct rank_hit *x = a, *y = b;
	if (x->code != y->code)
		return x->code - y->code;
	if (x->title != y->title)
		return y->title - x->title;
	if (x->late != y->late)
		return x->late - y->late;
	if (x->title && x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;   /* documents are numbered by title length */
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->doc > y->doc) - (x->doc < y->doc);
}

size_t
rank_query(const struct rank_source *src, char **q, size_t n, struct rank_hit **out)
{
	*out = NULL;
	if (n > RANK_MAX_TERMS)
		n = RANK_MAX_TERMS;
	if (n > 1 && chars(q[n - 1]) < RANK_PREFIX_MIN)
		n--;                           /* a last letter being typed: left out */
	if (n == 0 || src->ndocs == 0)
		return 0;
	int prefix = chars(q[n - 1]) >= RANK_PREFIX_MIN;
	struct eval e = { .ndocs = src->ndocs };
	size_t N = src->ndocs;
	e.total = xcalloc(N, sizeof *e.total);
	e.best = xcalloc(N, sizeof *e.best);
	e.mask = xcalloc(N, sizeof *e.mask);
	e.tmask = xcalloc(N, sizeof *e.tmask);
	e.pmask = xcalloc(N, sizeof *e.pmask);
	e.round = xcalloc(N, sizeof *e.round);
	e.code = xcalloc(N, 1);
	e.late = xcalloc(N, 1);
	e.seen = xcalloc(N, 1);
	e.touched = xcalloc(N, sizeof *e.touched);
	e.rlist = xcalloc(N, sizeof *e.rlist);
	struct plan plan = {0};
	if (src->chunk) {
		plan_make(&plan, src, q, n, prefix);
		e.plan = &plan;
	}
	for (size_t i = 0; i < n; i++) {
		round_begin(&e);
		apply(&e, src, q[i], RANK_WORD, RANK_W_EXACT, 1u << i, 0, n == 1);
		apply(&e, src, q[i], RANK_PAIR, RANK_W_EXACT, 1u << i, 0, 0);
		if (i == n - 1 && prefix && n == 1)
			apply_completions(&e, src, q[i], RANK_WORD, RANK_W_PREFIX, 1u << i, 0);
		round_end(&e);
	}
	for (size_t i = 0; i + 1 < n; i++) {
		char *pair = xasprintf("%s%s", q[i], q[i + 1]);
		uint32_t bits = 3u << i;
		round_begin(&e);
		apply(&e, src, pair, RANK_PAIR, RANK_W_PAIR, bits, 1u << i, 0);
		if (i + 2 == n && prefix)
			apply_completions(&e, src, pair, RANK_PAIR, RANK_W_PAIRPRE, bits, 1u << i);
		round_end(&e);
		free(pair);
	}
	/* Every word must match; when no document has them all, those that
	 * have the most of them are the hits. */
	uint32_t need = (1u << n) - 1, pneed = (1u << (n - 1)) - 1;
	size_t qn = n - rank_lead(q, n);     /* a query "thu tuc ..." is its title without them */
	int most = 0;
	for (size_t i = 0; i < e.ntouched; i++) {
		int c = popcount(e.mask[e.touched[i]] & need);
		if (c > most)
			most = c;
	}
	struct rank_hit *h = xcalloc(e.ntouched + 1, sizeof *h);
	size_t nh = 0;
	for (size_t i = 0; i < e.ntouched; i++) {
		unsigned d = e.touched[i];
		uint32_t m = e.mask[d] & need;
		if (popcount(m) < most)
			continue;
		int title = (e.tmask[d] & m) != m ? 0 : (e.pmask[d] & pneed) != pneed ? 1 :
			rank_title_len(src, d) == qn ? 3 : 2;
		h[nh++] = (struct rank_hit){ d, e.code[d] ? 0 : 1, m == need ? title : 0, e.late[d], e.total[d] };
	}
	qsort(h, nh, sizeof *h, hit_cmp);
	free(e.total);
	free(e.best);
	free(e.mask);
	free(e.tmask);
	free(e.pmask);
	free(e.round);
	free(e.code);
	free(e.late);
	free(e.seen);
	free(e.touched);
	free(e.rlist);
	plan_free(&plan);
	*out = h;
	return nh;
}

void
rank_json(struct buf *b)
{
	static const int w[RANK_NFIELDS] = RANK_WEIGHTS;
	buf_printf(b, "{\"weights\":[%d,%d,%d,%d,%d],\"k1\":%g,\"b\":%g,\"scale\":%d,\"other\":%g,\"head\":%d,"
	    "\"complete\":%d,\"exact\":%d,\"prefix\":%d,\"pair\":%d,\"pairpre\":%d,\"prefixmin\":%d,"
	    "\"maxterms\":%d,\"files\":%d,\"bytes\":%d,\"lead\":\"%s\",\"syllable\":%d,\"splitmax\":%d}",
	    w[0], w[1], w[2], w[3], w[4], RANK_K1, RANK_B, RANK_SCALE, RANK_OTHER, RANK_HEAD,
	    RANK_COMPLETE, RANK_W_EXACT, RANK_W_PREFIX, RANK_W_PAIR, RANK_W_PAIRPRE, RANK_PREFIX_MIN,
	    RANK_MAX_TERMS, RANK_FILES, RANK_BYTES, RANK_LEAD, RANK_SYLLABLE_MAX, RANK_SPLIT_MAX);
}
