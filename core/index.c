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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <utf8proc.h>
#include "lhost.h"
#include "index.h"

enum { F_CODE, F_TITLE, F_FIELD, F_AGENCY, F_BODY, NFIELDS };
static const double weights[NFIELDS] = { W_CODE, W_TITLE, W_FIELD, W_AGENCY, W_BODY };

struct doc {
	char *kind, *url, *title, *code, *field, *agency, *levels, *online, *state, *fee, *time;
	char *summary, *text, *published, *updated, *status, *effective;
	char *history;           /* JSON array of entries, or NULL */
	char *f[NFIELDS];        /* folded term streams, space-separated */
};

struct collector { struct site *site; struct doc *docs; size_t n; };

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

/* ------------------------------------------------------------- add */

static void doc_free(struct doc *d);

/* t[k] as text, with raw access: no metamethod of the page runs here. */
static char *
opt_string(lua_State *L, int t, const char *k)
{
	t = lua_absindex(L, t);
	lua_pushstring(L, k);
	lua_rawget(L, t);
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
		d.state = opt_string(L, 2, "state");
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

/* Fold and split every document's fields, on the build's -j threads. */
struct tpool { struct collector *c; size_t next; pthread_mutex_t lock; };

static void *
stream_worker(void *arg)
{
	struct tpool *tp = arg;
	for (;;) {
		pthread_mutex_lock(&tp->lock);
		size_t i = tp->next++;
		pthread_mutex_unlock(&tp->lock);
		if (i >= tp->c->n)
			return NULL;
		struct doc *d = &tp->c->docs[i];
		if (d->f[F_BODY])
			continue;
		d->f[F_CODE] = term_stream(d->code);
		d->f[F_TITLE] = term_stream(d->title);
		d->f[F_FIELD] = term_stream(d->field);
		d->f[F_AGENCY] = term_stream(d->agency);
		d->f[F_BODY] = term_stream(d->text);
	}
}

static void
prepare_streams(struct collector *c)
{
	struct tpool tp = { c, 0, PTHREAD_MUTEX_INITIALIZER };
	int nt = c->site && c->site->jobs > 1 ? c->site->jobs : 1;
	pthread_t t[64];
	int started = 0;
	for (int i = 1; i < nt && i < 64; i++)
		if (pthread_create(&t[i], NULL, stream_worker, &tp) == 0)
			started = i;
	stream_worker(&tp);
	for (int i = 1; i <= started; i++)
		pthread_join(t[i], NULL);
}

static void
doc_free(struct doc *d)
{
	char **all[] = { &d->kind, &d->url, &d->title, &d->code, &d->field, &d->agency, &d->levels,
		&d->online, &d->state, &d->fee, &d->time, &d->summary, &d->text, &d->published,
		&d->updated, &d->status, &d->effective, &d->history };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		free(*all[i]);
	for (int f = 0; f < NFIELDS; f++)
		free(d->f[f]);
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
	" effective TEXT);"
	"CREATE TABLE history(page_id INTEGER REFERENCES pages(id), seq INTEGER, date TEXT, time TEXT,"
	" note TEXT, commit_id TEXT, changes TEXT, PRIMARY KEY(page_id, seq));"
	"CREATE VIRTUAL TABLE fts USING fts5(code, title, field, agency, body, content = '', detail = column,"
	" tokenize = \"unicode61 remove_diacritics 0 tokenchars '.'\");";

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* The history rows of one page from its entries' JSON, through SQLite's json. */
static const char history_sql[] =
	"INSERT INTO history SELECT ?1, key, json_extract(value, '$.date'), json_extract(value, '$.time'),"
	" json_extract(value, '$.note'), json_extract(value, '$.commit'), json_extract(value, '$.changes')"
	" FROM json_each(?2)";

/* Write the SQLite index at path; NULL or the error (malloc'd). Touches no
 * Lua state, so it can run on its own thread. */
static char *
write_sqlite(struct collector *c, const char *path)
{
	sqlite3 *db;
	int rc = sqlite3_open(path, &db);
	sqlite3_stmt *pg = NULL, *pr = NULL, *ft = NULL, *hi = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, schema, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN; INSERT INTO meta VALUES('schema', '1'), ('folding',"
		    " 'NFC, lower case, marks removed, đ->d; terms split as congkhai does');", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO pages VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", -1, &pg, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO procedures VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", -1, &pr, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO fts(rowid, code, title, field, agency, body) VALUES(?1,?2,?3,?4,?5,?6)", -1, &ft, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, history_sql, -1, &hi, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < c->n; i++) {
		struct doc *d = &c->docs[i];
		sqlite3_int64 id = (sqlite3_int64)i + 1;
		sqlite3_reset(pg);
		sqlite3_bind_int64(pg, 1, id);
		const char *vals[] = { d->kind, d->url, d->title, d->code, d->summary, d->state,
			d->published, d->updated, d->text };
		for (int k = 0; k < 9; k++)
			bind_opt(pg, k + 2, vals[k]);
		rc = sqlite3_step(pg) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		if (rc == SQLITE_OK && d->code && strcmp(d->kind, "procedure") == 0) {
			sqlite3_reset(pr);
			sqlite3_bind_int64(pr, 1, id);
			const char *pv[] = { d->code, d->field, d->levels, d->agency, d->online, d->fee,
				d->time, d->status, d->effective };
			for (int k = 0; k < 9; k++)
				bind_opt(pr, k + 2, pv[k]);
			rc = sqlite3_step(pr) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		}
		if (rc == SQLITE_OK) {
			sqlite3_reset(ft);
			sqlite3_bind_int64(ft, 1, id);
			for (int f = 0; f < NFIELDS; f++)
				sqlite3_bind_text(ft, f + 2, d->f[f], -1, SQLITE_STATIC);
			rc = sqlite3_step(ft) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		}
		if (rc == SQLITE_OK && d->history) {
			sqlite3_reset(hi);
			sqlite3_bind_int64(hi, 1, id);
			sqlite3_bind_text(hi, 2, d->history, -1, SQLITE_STATIC);
			rc = sqlite3_step(hi) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		}
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL);
	char *msg = rc == SQLITE_OK ? NULL : xstrdup(sqlite3_errmsg(db));
	sqlite3_finalize(pg);
	sqlite3_finalize(pr);
	sqlite3_finalize(ft);
	sqlite3_finalize(hi);
	sqlite3_close(db);
	return msg;
}

struct sqlite_job { struct collector *c; char *path; char *err; };

static void *
sqlite_thread(void *arg)
{
	struct sqlite_job *j = arg;
	j->err = write_sqlite(j->c, j->path);
	return NULL;
}

/* ------------------------------------------------------------ shards */

struct posting { unsigned doc; double w; };
struct term { char *t; size_t n, cap; struct posting *p; };
struct termtab { struct term *v; size_t cap, n; };

/* 32-bit FNV-1a over the term's bytes: search.js computes the same. */
static unsigned
fnv32(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct term *
term_slot(struct termtab *tt, const char *t, size_t n)
{
	if ((tt->n + 1) * 2 > tt->cap) {
		struct termtab old = *tt;
		tt->cap = tt->cap ? tt->cap * 2 : 4096;
		tt->v = xcalloc(tt->cap, sizeof *tt->v);
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].t) {
				size_t j = fnv32(old.v[i].t, strlen(old.v[i].t)) & (tt->cap - 1);
				while (tt->v[j].t)
					j = (j + 1) & (tt->cap - 1);
				tt->v[j] = old.v[i];
			}
		free(old.v);
	}
	size_t j = fnv32(t, n) & (tt->cap - 1);
	while (tt->v[j].t && !(strlen(tt->v[j].t) == n && memcmp(tt->v[j].t, t, n) == 0))
		j = (j + 1) & (tt->cap - 1);
	if (!tt->v[j].t) {
		tt->v[j].t = xstrndup(t, n);
		tt->n++;
	}
	return &tt->v[j];
}

struct adding { struct termtab *tt; unsigned doc; double w; size_t count; };

static void
add_posting(const char *t, size_t n, void *arg)
{
	struct adding *a = arg;
	struct term *tm = term_slot(a->tt, t, n);
	if (tm->n && tm->p[tm->n - 1].doc == a->doc)
		tm->p[tm->n - 1].w += a->w;
	else {
		if (tm->n == tm->cap)
			tm->p = xrealloc(tm->p, (tm->cap = tm->cap ? tm->cap * 2 : 4) * sizeof *tm->p);
		tm->p[tm->n++] = (struct posting){ a->doc, a->w };
	}
	a->count++;
}

static int
cmp_term_ptr(const void *a, const void *b)
{
	return strcmp((*(struct term *const *)a)->t, (*(struct term *const *)b)->t);
}

static void
base36(struct buf *b, unsigned long v)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	while (n)
		buf_putc(b, tmp[--n]);
}

static void
write_file(lua_State *L, struct site *s, const char *dir, const char *name, const char *data, size_t len)
{
	char *rel = xasprintf("%s/%s", dir, name), *err;
	int rc = s ? output_write(s, rel, data, len, &err) : (err = xstrdup("no output is being built"), -1);
	free(rel);
	if (rc != 0) {
		lua_pushfstring(L, "index:write_shards: %s", err);
		free(err);
		lua_error(L);
	}
}

/* A JSON string of s (NULL as ""). */
static void
json_text(struct buf *b, const char *s)
{
	json_escape(b, s ? s : "", s ? strlen(s) : 0);
}

static int
state_rank(const char *s)
{
	return s && strcmp(s, "in-force") != 0;   /* 1: after those in force */
}

/* A first part of the text for result snippets: whole words, ~360 bytes. */
static char *
excerpt(const char *t)
{
	size_t n = t ? strlen(t) : 0, cut = n < 360 ? n : 360;
	while (cut < n && cut < 420 && t[cut] != ' ')
		cut++;
	while (cut > 0 && cut < n && ((unsigned char)t[cut] & 0xC0) == 0x80)
		cut--;
	return xstrndup(t ? t : "", cut);
}

static int
cmp_df(const void *a, const void *b)
{
	const struct term *x = *(struct term *const *)a, *y = *(struct term *const *)b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->t, y->t);
}

/* Prefix lists for the unfinished last word: for each prefix of 2 and 3
 * bytes, the PREFIX_KEEP most frequent terms that begin with it. A word
 * typed in full is also looked up exactly, so capping loses nothing but
 * rare completions of very short prefixes. terms is sorted. */
#define PREFIX_KEEP 64
static void
write_prefixes(lua_State *L, struct site *s, const char *dir, struct term **terms, size_t nt)
{
	struct term **group = xcalloc(nt + 1, sizeof *group);
	for (size_t len = 2; len <= 3; len++) {
		for (size_t i = 0; i < nt;) {
			if (strlen(terms[i]->t) < len) {
				i++;
				continue;
			}
			size_t j = i, ng = 0;
			while (j < nt && strncmp(terms[j]->t, terms[i]->t, len) == 0) {
				if (strlen(terms[j]->t) >= len)
					group[ng++] = terms[j];
				j++;
			}
			qsort(group, ng, sizeof *group, cmp_df);
			struct buf o = {0}, name = {0};
			for (size_t a = 0; a < ng && a < PREFIX_KEEP; a++)
				buf_printf(&o, "%s\t%zu\n", group[a]->t, group[a]->n);
			buf_puts(&name, "p/");
			for (size_t k = 0; k < len; k++)
				buf_printf(&name, "%02x", (unsigned char)terms[i]->t[k]);
			buf_puts(&name, ".txt");
			write_file(L, s, dir, name.s, o.s ? o.s : "", o.len);
			buf_free(&o);
			buf_free(&name);
			i = j;
		}
	}
	free(group);
}

static void
write_shards(lua_State *L, struct collector *c, const char *dir)
{
	struct site *s = c->site;
	struct termtab tt = {0};
	double *len = xcalloc(c->n + 1, sizeof *len), avg = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct adding a = { &tt, (unsigned)i, 0, 0 };
		for (int f = 0; f < NFIELDS; f++) {
			a.w = weights[f];
			index_terms(c->docs[i].f[f], add_posting, &a);
		}
		len[i] = (double)a.count;
		avg += len[i];
	}
	avg = c->n ? avg / (double)c->n : 1;
	/* terms in a stable order, each bucket's file, each prefix's list */
	struct term **terms = xcalloc(tt.n + 1, sizeof *terms);
	size_t nt = 0, total = 0;
	for (size_t i = 0; i < tt.cap; i++)
		if (tt.v[i].t) {
			terms[nt++] = &tt.v[i];
			total += tt.v[i].n * 6 + strlen(tt.v[i].t);
		}
	qsort(terms, nt, sizeof *terms, cmp_term_ptr);
	unsigned buckets = 16;
	while (buckets < 4096 && total / buckets > 12000)
		buckets *= 2;
	struct buf *bk = xcalloc(buckets, sizeof *bk);
	const double k1 = 1.2, b = 0.75, N = (double)c->n;
	for (size_t i = 0; i < nt; i++) {
		struct term *tm = terms[i];
		double df = (double)tm->n, idf = log(1 + (N - df + 0.5) / (df + 0.5));
		struct buf *o = &bk[fnv32(tm->t, strlen(tm->t)) & (buckets - 1)];
		buf_printf(o, "%s\t", tm->t);
		unsigned prev = 0;
		for (size_t k = 0; k < tm->n; k++) {
			struct posting *p = &tm->p[k];
			double s = idf * (p->w * (k1 + 1)) / (p->w + k1 * (1 - b + b * len[p->doc] / avg));
			unsigned long q = (unsigned long)lround(s * 100);
			if (q < 1)
				q = 1;
			/* score * 2 + 1 when the document is not in force: it ranks after */
			q = q * 2 + (unsigned long)state_rank(c->docs[p->doc].state);
			if (k)
				buf_putc(o, ';');
			base36(o, p->doc - prev);
			buf_putc(o, ',');
			base36(o, q);
			prev = p->doc;
		}
		buf_putc(o, '\n');
	}
	for (unsigned i = 0; i < buckets; i++) {
		char name[32];
		snprintf(name, sizeof name, "t/%03x.txt", i);
		write_file(L, s, dir, name, bk[i].s ? bk[i].s : "", bk[i].len);
		buf_free(&bk[i]);
	}
	free(bk);
	write_prefixes(L, s, dir, terms, nt);
	/* one small fragment per document, and the facets for filters */
	struct buf facets = {0}, fields = {0};
	char **fnames = NULL;
	size_t nf = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct doc *d = &c->docs[i];
		struct buf o = {0};
		char *x = excerpt(d->summary ? d->summary : d->text);
		buf_puts(&o, "{\"t\":");
		json_text(&o, d->title);
		buf_puts(&o, ",\"u\":");
		json_text(&o, d->url);
		buf_puts(&o, ",\"k\":");
		json_text(&o, d->kind);
		buf_puts(&o, ",\"s\":");
		json_text(&o, d->state);
		if (d->code) {
			buf_puts(&o, ",\"c\":");
			json_text(&o, d->code);
			buf_puts(&o, ",\"f\":");
			json_text(&o, d->field);
			buf_puts(&o, ",\"l\":");
			json_text(&o, d->levels);
			buf_puts(&o, ",\"o\":");
			json_text(&o, d->online);
		}
		buf_puts(&o, ",\"x\":");
		json_text(&o, x);
		buf_puts(&o, "}");
		free(x);
		char name[32];
		snprintf(name, sizeof name, "d/%zu.json", i);
		write_file(L, s, dir, name, o.s, o.len);
		buf_free(&o);
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
		int on = !d->online ? 0 : !strcmp(d->online, "toàn trình") ? 1 : !strcmp(d->online, "một phần") ? 2 : 3;
		buf_printf(&facets, "%zu,%d,%d\n", fi, lv, on);
	}
	write_file(L, s, dir, "f.txt", facets.s ? facets.s : "", facets.len);
	buf_free(&facets);
	buf_printf(&fields, "{\"v\":1,\"n\":%zu,\"b\":%u,\"fields\":[", c->n, buckets);
	for (size_t i = 0; i < nf; i++) {
		if (i)
			buf_putc(&fields, ',');
		json_text(&fields, fnames[i]);
	}
	buf_puts(&fields, "]}\n");
	write_file(L, s, dir, "meta.json", fields.s, fields.len);
	buf_free(&fields);
	free(fnames);
	for (size_t i = 0; i < tt.cap; i++)
		if (tt.v[i].t) {
			free(tt.v[i].t);
			free(tt.v[i].p);
		}
	free(tt.v);
	free(terms);
	free(len);
}

static int
shards_protected(lua_State *L)
{
	write_shards(L, lua_touserdata(L, 1), lua_tostring(L, 2));
	return 0;
}

/* ix:write(sqlite_relpath, shards_dir): either may be nil. The SQLite file
 * is written on a thread of its own while this one writes the shards. */
static int
ix_write(lua_State *L)
{
	struct collector *c = check_collector(L);
	const char *db = luaL_optstring(L, 2, NULL), *dir = luaL_optstring(L, 3, NULL);
	prepare_streams(c);
	struct sqlite_job job = { c, db ? output_path(L, c->site, db) : NULL, NULL };
	pthread_t t;
	int threaded = job.path && pthread_create(&t, NULL, sqlite_thread, &job) == 0;
	if (job.path && !threaded)
		sqlite_thread(&job);
	if (dir) {
		/* a Lua error here must not leave the thread running */
		lua_pushcfunction(L, shards_protected);
		lua_pushlightuserdata(L, c);
		lua_pushstring(L, dir);
		int rc = lua_pcall(L, 2, 0, 0);
		if (threaded)
			pthread_join(t, NULL);
		threaded = 0;
		if (rc != LUA_OK) {
			free(job.path);
			free(job.err);
			return lua_error(L);
		}
	}
	if (threaded)
		pthread_join(t, NULL);
	free(job.path);
	if (job.err) {
		lua_pushfstring(L, "index:write: %s", job.err);
		free(job.err);
		return lua_error(L);
	}
	return 0;
}

static int
ix_new(lua_State *L)
{
	struct collector *c = lua_newuserdatauv(L, sizeof *c, 0);
	memset(c, 0, sizeof *c);
	c->site = lhost_plugin(L)->host->site;
	if (luaL_newmetatable(L, "congkhai.index")) {
		static const luaL_Reg m[] = {
			{ "add", ix_add }, { "write", ix_write }, { "__gc", ix_gc }, { NULL, NULL } };
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
