/*
 * history.c — the public history of every page, from git alone (SPEC §5).
 *
 * One first-parent revision walk from the built commit, newest first. Each
 * commit is diffed against its first parent, limited to the content path:
 * the two trees are compared entry by entry, subtrees with the same id
 * skipped unread; only a commit that both deletes and adds files (where a
 * rename may hide) goes through libgit2's diff with rename detection. For
 * any other both give the same deltas in the same order. A commit's deltas
 * are cached (hcache.c): a warm walk reads one row per commit, and one new
 * commit costs one diff.
 * Walking backwards, a page is followed through renames to its oldest path;
 * a procedure file deleted in history starts a record of its own (SPEC §4:
 * deleted procedures keep a page).
 *
 * Every version met is then judged published, draft or broken from its
 * front matter alone (cached by blob id). For procedures each significant
 * change also records which front matter fields changed (old → new) and
 * which list items each section gained or lost: only for the entries
 * shown, from the two versions parsed in full (cached by pair of blob ids;
 * the version a diff started from is kept for the next, older entry).
 *
 * Fills page->history and site->deleted as value trees (docs/plugins.md),
 * site->history_info, and site->asof (SPEC §8: SOURCE_DATE_EPOCH, else the
 * built commit's time, never the clock). Owns nothing after returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <git2.h>
#include "congkhai.h"
#include "hcache.h"
#include "history.h"
#include "vocab.h"

/* ------------------------------------------------------------ helpers */

int
history_open_repo(const char *dir, git_repository **repo, char **prefix)
{
	char *real = realpath(dir, NULL);
	if (!real || git_repository_open_ext(repo, real, 0, NULL) != 0) {
		free(real);
		return -1;
	}
	const char *wd = git_repository_workdir(*repo);
	if (!wd) {                       /* a bare repository has no content dir */
		git_repository_free(*repo);
		free(real);
		return -1;
	}
	if (gitguard_install(*repo) != 0) {   /* no object store: nothing to read */
		git_repository_free(*repo);
		free(real);
		return -1;
	}
	/* an object read is not hashed again to check its name, as git reads
	 * them: that SHA-1 (libgit2's collision-detecting one) was 30 % of a
	 * cold walk, which reads every version of every page, and of a --rev
	 * build's load. Damage is still found where git finds it: zlib's
	 * checksum of each object's stream, a pack's index, a truncated file
	 * (gitcheck.c, the guard) */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	size_t n = strlen(wd);           /* wd ends in '/' */
	if (strncmp(real, wd, n) == 0)
		*prefix = xstrdup(real + n);
	else
		*prefix = xstrdup("");
	free(real);
	return 0;
}

int
history_resolve(git_repository *repo, const char *spec, git_commit **out)
{
	*out = NULL;
	/* the ref the spec starts with is looked up here: revparse would leak
	 * it when its object is missing */
	char *base = xstrndup(spec, strcspn(spec, "~^@:"));
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int rc = 0;
	if (*base && git_reference_dwim(&ref, repo, base) == 0) {
		const git_oid *id = git_reference_target(ref);
		rc = id ? git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) : -1;
		git_reference_free(ref);
		if (rc == 0 && spec[strlen(base)]) {     /* main~2: the rest by revparse */
			git_object_free(obj);
			obj = NULL;
			rc = git_revparse_single(&obj, repo, spec);
		}
	} else {
		rc = git_revparse_single(&obj, repo, spec);
	}
	free(base);
	if (rc == 0)
		rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	return rc;
}

/* Text from git (commit messages, names) as published: valid UTF-8 (bytes
 * that are not, from a Latin-1 message say, become U+FFFD), NFC, and at most
 * HISTORY_TEXT_MAX bytes, cut before a character with "…". */
#define HISTORY_TEXT_MAX 500

static char *
clean_text(const char *s)
{
	if (!s)
		return xstrdup("");
	struct buf b = {0};
	size_t len = strlen(s), i = 0, cut = 0;
	if (len > HISTORY_TEXT_MAX) {
		len = HISTORY_TEXT_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		cut = 1;
	}
	while (i < len) {
		long bad = utf8_invalid_at(s + i, len - i);
		if (bad < 0) {
			buf_add(&b, s + i, len - i);
			break;
		}
		buf_add(&b, s + i, (size_t)bad);
		buf_puts(&b, "\xEF\xBF\xBD");
		i += (size_t)bad + 1;
	}
	if (cut)
		buf_puts(&b, "…");
	char *nfc = text_nfc(b.s ? b.s : "", b.len);
	buf_free(&b);
	return nfc ? nfc : xstrdup("");
}

/* "minor:" or "nhỏ:", in any case and with or without the tone mark
 * ("nho:", "NHỎ:"): the prefix is compared folded. */
static int
is_minor(const char *subject)
{
	while (*subject == ' ')
		subject++;
	char head[16];
	snprintf(head, sizeof head, "%s", subject);
	char *colon = strchr(head, ':');
	if (!colon)
		return 0;
	colon[1] = '\0';
	char *f = text_fold(head);
	int minor = f && (strcmp(f, "minor:") == 0 || strcmp(f, "nho:") == 0);
	free(f);
	return minor;
}

/* "YYYY-MM-DD" and RFC 3339 of a commit, in the committer's own time zone. */
static void
commit_dates(const git_commit *c, char day[11], char stamp[32])
{
	git_time_t t = git_commit_time(c);
	int off = git_commit_time_offset(c);     /* minutes */
	time_t local = (time_t)(t + off * 60);
	struct tm tm;
	gmtime_r(&local, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
	char tz[16];
	snprintf(tz, sizeof tz, "%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
	snprintf(stamp, 32, "%.10sT%02d:%02d:%02d%.6s", day, tm.tm_hour, tm.tm_min, tm.tm_sec, tz);
}

static time_t
day_to_time(const char *d)
{
	struct tm tm = {0};
	tm.tm_year = atoi(d) - 1900;
	tm.tm_mon = atoi(d + 5) - 1;
	tm.tm_mday = atoi(d + 8);
	return timegm(&tm);
}

static int
source_date_epoch(time_t *t)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (!e || !*e)
		return 0;
	char *end;
	long long v = strtoll(e, &end, 10);
	if (*end || v < 0)
		return 0;
	*t = (time_t)v;
	return 1;
}

/* The newest front matter date (articles), for a site without git. */
static time_t
newest_front_matter_date(struct site *s)
{
	const char *best = "1970-01-01";
	for (size_t i = 0; i < s->npages; i++) {
		const char *d = val_str(s->pages[i].meta, "date");
		if (d && strlen(d) == 10 && strcmp(d, best) > 0)
			best = d;
	}
	return day_to_time(best);
}

/* ------------------------------------------------- path → record map */

/* What an entry shows of a commit, made once per commit that has events. */
struct cinfo {
	char day[11], stamp[32], sid[10], hex[GIT_OID_HEXSZ + 1];
	char *subject, *author;   /* cleaned; author only with show_authors */
	int minor;                /* the subject says minor: (SPEC §5) */
};

/* One commit's change to a record's file, as the walk met it. */
struct event {
	const struct cinfo *c;    /* the commit (owned by the walk) */
	char *path;               /* the file's path in that commit */
	int status;               /* 'A', 'M', 'R' or 'D' */
	int state;                /* BLOB_* of the new version, -1 before it is read */
	char old_oid[41], new_oid[41];
};

/* What the walk learned about one page (or one deleted procedure). */
struct record {
	struct event *ev;         /* newest first */
	size_t nev;
	int kind;                 /* page kind: procedures get field changes */
	size_t deleted;           /* deleted procedures: 1 + index in site->deleted */
	struct val *former;       /* URLs the page had under earlier file names */
	int bare;                 /* entries without field changes: not shown */
};

/* Paths being followed map to 1 + the record's index (0: not followed). */
struct slot { char *path; size_t rec; };
struct pathmap { struct slot *v; size_t cap, n; };

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct slot *
find_slot(struct pathmap *m, const char *path)
{
	size_t i = hash(path) & (m->cap - 1);
	while (m->v[i].path && strcmp(m->v[i].path, path) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

static void map_put(struct pathmap *m, const char *path, size_t r);

static void
grow(struct pathmap *m)
{
	struct pathmap old = *m;
	m->cap = m->cap ? m->cap * 2 : 1024;
	m->v = xcalloc(m->cap, sizeof *m->v);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i].path) {
			map_put(m, old.v[i].path, old.v[i].rec);
			free(old.v[i].path);
		}
	free(old.v);
}

static void
map_put(struct pathmap *m, const char *path, size_t r)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	struct slot *s = find_slot(m, path);
	if (!s->path) {
		s->path = xstrdup(path);
		m->n++;
	}
	s->rec = r;
}

static size_t
map_get(struct pathmap *m, const char *path)
{
	if (!m->cap)
		return 0;
	struct slot *s = find_slot(m, path);
	return s->path ? s->rec : 0;
}

/* Remove path (rebuilding the probe chain after it, as open addressing needs). */
static void
map_del(struct pathmap *m, const char *path)
{
	if (!m->cap)
		return;
	struct slot *s = find_slot(m, path);
	if (!s->path)
		return;
	free(s->path);
	s->path = NULL;
	m->n--;
	size_t i = (size_t)(s - m->v);
	for (i = (i + 1) & (m->cap - 1); m->v[i].path; i = (i + 1) & (m->cap - 1)) {
		struct slot moved = m->v[i];
		m->v[i].path = NULL;
		m->n--;
		map_put(m, moved.path, moved.rec);
		free(moved.path);
	}
}

static void
map_free(struct pathmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].path);
	free(m->v);
}

/* ------------------------------------------------------- blob changes */

static char *
val_text(const struct val *v)
{
	if (!v)
		return NULL;
	struct buf b = {0};
	switch (v->type) {
	case V_NULL:
		break;
	case V_LIST:
		for (size_t i = 0; i < v->n; i++) {
			char *t = val_text(&v->kids[i]);
			buf_printf(&b, "%s%s", i ? ", " : "", t);
			free(t);
		}
		break;
	case V_MAP:                      /* a channel: its values, in order */
		for (size_t i = 0; i < v->n; i++) {
			char *t = val_text(&v->kids[i]);
			if (*t)
				buf_printf(&b, "%s%s", b.len ? " · " : "", t);
			free(t);
		}
		break;
	default:
		buf_puts(&b, v->str ? v->str : "");
	}
	return buf_steal(&b);
}

/* Parse the blob as a page, p->meta only unless full (then its body and
 * sections too): 0 when it parses, as page_parse says; -2 when it cannot
 * be read (damage). Without full only the front matter is parsed, which
 * decides the same: the rest is only checked to be UTF-8 without NUL. */
static int
parse_blob(git_repository *repo, const char *oid, const char *path, struct page *p, int full)
{
	git_oid id;
	git_blob *b;
	memset(p, 0, sizeof *p);
	if (git_oid_fromstr(&id, oid) != 0 || git_blob_lookup(&b, repo, &id) != 0)
		return -2;
	struct buf sink = {0};
	struct diag quiet = { .quiet = 1, .capture = &sink };
	p->display = xstrdup(path);
	const char *data = git_blob_rawcontent(b);
	size_t len = (size_t)git_blob_rawsize(b);
	if (!full && utf8_invalid_at(data, len) < 0 && !memchr(data, '\0', len))
		len = page_front_matter_len(data, len);   /* page_parse decides the same from it */
	int rc = page_parse(p, data, len, &quiet);
	git_blob_free(b);
	buf_free(&sink);
	if (rc == 0 && full)
		markdown_page(p, "/", 0);
	return rc;
}

/* Whether section s (NULL: none), of the page whose body is body, has an
 * item of these len bytes. */
static int
contains(const char *body, const struct section *s, const char *item, size_t len)
{
	for (size_t i = 0; s && i < s->nitems; i++) {
		size_t n;
		const char *t = section_item(body, s, i, 0, &n);
		if (n == len && memcmp(t, item, len) == 0)
			return 1;
	}
	return 0;
}

/* m[key]: the items of a (NULL: none) that b has not; ba and bb are their
 * pages' bodies. */
static void
add_items(struct val *m, const char *key, const char *ba, const struct section *a,
    const char *bb, const struct section *b)
{
	struct val *l = NULL;
	for (size_t i = 0; a && i < a->nitems; i++) {
		size_t len;
		const char *t = section_item(ba, a, i, 0, &len);
		if (!contains(bb, b, t, len)) {
			if (!l) {
				l = val_append(m);
				l->type = V_LIST;
				l->key = xstrdup(key);
			}
			struct val *it = val_append(l);
			it->type = V_STR;
			it->str = xstrndup(t, len);
		}
	}
}

static const struct section *
find_section(const struct page *p, const char *id)
{
	for (size_t i = 0; i < p->nsections; i++)
		if (strcmp(p->sections[i].id, id) == 0)
			return &p->sections[i];
	return NULL;
}

/* The change of a section between pages o and n (their bodies bo, bn). */
static void
section_change(struct val *out, const char *title, const char *bo, const struct section *o,
    const char *bn, const struct section *n)
{
	struct val m = { .type = V_MAP };
	val_set_str(&m, "section", title);
	add_items(&m, "added", bn, n, bo, o);
	add_items(&m, "removed", bo, o, bn, n);
	int text = (!o || !n) ? 1 : strcmp(page_part(bo, o->text), page_part(bn, n->text)) != 0;
	if (m.n == 1 && !text) {
		val_clear(&m);
		return;
	}
	if (m.n == 1) {
		struct val *t = val_append(&m);
		t->type = V_BOOL;
		t->num = 1;
		t->str = xstrdup("true");
		t->key = xstrdup("text_changed");
	}
	*val_append(out) = m;
}

static int
is_map_list(const struct val *v)
{
	return v->type == V_LIST && v->n > 0 && v->kids[0].type == V_MAP;
}

static void
add_change(struct val *out, const char *key, const char *oldv, const char *newv)
{
	struct val *m = val_append(out);
	m->type = V_MAP;
	val_set_str(m, "field", key);
	if (oldv)
		val_set_str(m, "old", oldv);
	if (newv)
		val_set_str(m, "new", newv);
}

/* Lists of mappings (channels): one change per item that differs. */
static void
diff_map_list(struct val *out, const char *key, const struct val *o, const struct val *n)
{
	size_t max = o->n > n->n ? o->n : n->n;
	for (size_t i = 0; i < max; i++) {
		char *to = i < o->n ? val_text(&o->kids[i]) : NULL, *tn = i < n->n ? val_text(&n->kids[i]) : NULL;
		if (!to || !tn || strcmp(to, tn) != 0)
			add_change(out, key, to, tn);
		free(to);
		free(tn);
	}
}

/* A version parsed in full (parse_blob's rc and page), by blob id. */
struct parsed {
	char oid[41];             /* "" when empty */
	int rc;
	struct page p;
};

static void
parsed_free(struct parsed *x)
{
	if (x->oid[0])
		page_free(&x->p);
	x->oid[0] = '\0';
}

/* What changed between two versions of a procedure file: into out (V_LIST).
 * -1 when a version cannot be read (nothing is added then). */
static int
diff_blobs(struct parsed *old, struct parsed *new, struct val *out)
{
	struct page o = old->p, n = new->p;
	int rc_o = old->rc, rc_n = new->rc;
	int ok_o = rc_o == 0, ok_n = rc_n == 0;
	if (ok_o && ok_n) {
		for (int pass = 0; pass < 2; pass++) {
			const struct val *a = pass ? o.meta : n.meta, *b = pass ? n.meta : o.meta;
			for (size_t i = 0; i < a->n; i++) {
				const char *key = a->kids[i].key;
				const struct val *other = val_get(b, key);
				if (pass && other)
					continue;            /* seen in the first pass */
				if (!pass && other && is_map_list(&a->kids[i]) && is_map_list(other)) {
					diff_map_list(out, key, other, &a->kids[i]);
					continue;
				}
				char *ta = val_text(&a->kids[i]), *tb = val_text(other);
				if (!tb || strcmp(ta, tb) != 0)
					add_change(out, key, pass ? ta : tb, pass ? tb : ta);
				free(ta);
				free(tb);
			}
		}
		char *bo = page_body(&o), *bn = page_body(&n);
		for (size_t i = 0; i < n.nsections; i++)
			section_change(out, n.sections[i].title, bo, find_section(&o, n.sections[i].id),
			    bn, &n.sections[i]);
		for (size_t i = 0; i < o.nsections; i++)
			if (!find_section(&n, o.sections[i].id))
				section_change(out, o.sections[i].title, bo, &o.sections[i], bn, NULL);
		free(bo);
		free(bn);
	}
	return rc_o == -2 || rc_n == -2 ? -1 : 0;
}

/* ------------------------------------------------------------ deltas */

static char *
strip_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (!path)
		return NULL;
	if (n == 0)
		return xstrdup(path);
	if (strncmp(path, prefix, n) == 0 && path[n] == '/')
		return xstrdup(path + n + 1);
	return NULL;
}

/* Whether a diff has a deletion and an addition: only then can rename
 * detection find anything (it pairs a deleted file with an added one). */
static int
may_rename(git_diff *diff)
{
	int del = 0, add = 0;
	for (size_t i = 0, n = git_diff_num_deltas(diff); i < n && !(del && add); i++) {
		git_delta_t st = git_diff_get_delta(diff, i)->status;
		del |= st == GIT_DELTA_DELETED;
		add |= st == GIT_DELTA_ADDED;
	}
	return del && add;
}

/* The deltas between two trees under prefix as git_diff_tree_to_tree
 * gives them, renames found when a delta was deleted and one added. */
static int
libgit2_deltas(git_repository *repo, git_tree *ptree, git_tree *tree, const char *prefix,
    struct hdelta **out, size_t *count)
{
	git_diff *diff = NULL;
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	char *spec = xasprintf("%s/", prefix);
	char *specs[1] = { spec };
	if (*prefix) {
		opts.pathspec.strings = specs;
		opts.pathspec.count = 1;
	}
	int rc = git_diff_tree_to_tree(&diff, repo, ptree, tree, &opts);
	free(spec);
	if (rc == 0 && may_rename(diff)) {
		git_diff_find_options fo;
		git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
		fo.flags = GIT_DIFF_FIND_RENAMES;
		git_diff_find_similar(diff, &fo);
	}
	if (rc == 0) {
		size_t n = git_diff_num_deltas(diff), k = 0;
		struct hdelta *d = xcalloc(n + 1, sizeof *d);
		for (size_t i = 0; i < n; i++) {
			const git_diff_delta *dd = git_diff_get_delta(diff, i);
			int st = dd->status == GIT_DELTA_ADDED ? 'A' : dd->status == GIT_DELTA_DELETED ? 'D' :
			    dd->status == GIT_DELTA_RENAMED ? 'R' : dd->status == GIT_DELTA_MODIFIED ? 'M' : 0;
			if (!st)
				continue;
			d[k].status = st;
			d[k].old_path = st == 'A' ? NULL : strip_prefix(dd->old_file.path, prefix);
			d[k].new_path = st == 'D' ? NULL : strip_prefix(dd->new_file.path, prefix);
			git_oid_tostr(d[k].old_oid, sizeof d[k].old_oid, &dd->old_file.id);
			git_oid_tostr(d[k].new_oid, sizeof d[k].new_oid, &dd->new_file.id);
			if ((st != 'A' && !d[k].old_path) || (st != 'D' && !d[k].new_path)) {
				free(d[k].old_path);
				free(d[k].new_path);
				continue;
			}
			k++;
		}
		*out = d;
		*count = k;
	}
	git_diff_free(diff);
	return rc < 0 ? -1 : 0;
}

/* The quick way to the same deltas when no rename can be among them:
 * both trees walked side by side in git's tree order (the order
 * git_diff_tree_to_tree lists files in), subtrees with the same id
 * skipped unread, files that differ in id or mode modified, files on one
 * side only added or deleted (a file that changed type is both, as
 * libgit2 splits it). */
struct dlist {
	struct hdelta *d;
	size_t n, cap;
	int del, add;            /* a deletion, an addition seen: renames are possible */
};

static void
dlist_push(struct dlist *l, int status, const char *path, const git_tree_entry *o, const git_tree_entry *n)
{
	if (l->n + 1 >= l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->d = xrealloc(l->d, l->cap * sizeof *l->d);
	}
	struct hdelta *d = &l->d[l->n++];
	memset(d, 0, sizeof *d);
	git_oid zero;
	memset(&zero, 0, sizeof zero);
	d->status = status;
	d->old_path = o ? xstrdup(path) : NULL;
	d->new_path = n ? xstrdup(path) : NULL;
	git_oid_tostr(d->old_oid, sizeof d->old_oid, o ? git_tree_entry_id(o) : &zero);
	git_oid_tostr(d->new_oid, sizeof d->new_oid, n ? git_tree_entry_id(n) : &zero);
	l->del |= status == 'D';
	l->add |= status == 'A';
}

static int diff_trees(git_repository *repo, const git_tree *a, const git_tree *b, struct buf *path, struct dlist *l);

/* path/name of e, in path (restored by the caller to len). */
static void
enter(struct buf *path, size_t len, const git_tree_entry *e)
{
	path->len = len;
	if (len)
		buf_putc(path, '/');
	buf_puts(path, git_tree_entry_name(e));
}

/* e on one side only (o: the old side): every file under it. */
static int
one_side(git_repository *repo, const git_tree_entry *e, int old, struct buf *path, struct dlist *l)
{
	size_t len = path->len;
	enter(path, len, e);
	int rc = 0;
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_tree *t;
		rc = git_tree_lookup(&t, repo, git_tree_entry_id(e));
		if (rc == 0) {
			rc = diff_trees(repo, old ? t : NULL, old ? NULL : t, path, l);
			git_tree_free(t);
		}
	} else {
		dlist_push(l, old ? 'D' : 'A', buf_cstr(path), old ? e : NULL, old ? NULL : e);
	}
	path->len = len;
	return rc;
}

/* The same name on both sides (both trees, or both not). */
static int
both_sides(git_repository *repo, const git_tree_entry *a, const git_tree_entry *b, struct buf *path, struct dlist *l)
{
	if (git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) &&
	    git_tree_entry_filemode(a) == git_tree_entry_filemode(b))
		return 0;                                /* unchanged, subtrees too */
	size_t len = path->len;
	enter(path, len, a);
	int rc = 0;
	if (git_tree_entry_type(a) == GIT_OBJECT_TREE) {
		git_tree *ta = NULL, *tb = NULL;
		rc = git_tree_lookup(&ta, repo, git_tree_entry_id(a));
		if (rc == 0)
			rc = git_tree_lookup(&tb, repo, git_tree_entry_id(b));
		if (rc == 0)
			rc = diff_trees(repo, ta, tb, path, l);
		git_tree_free(ta);
		git_tree_free(tb);
	} else if ((git_tree_entry_filemode(a) & 0170000) != (git_tree_entry_filemode(b) & 0170000)) {
		dlist_push(l, 'D', buf_cstr(path), a, NULL);     /* a type change */
		dlist_push(l, 'A', buf_cstr(path), NULL, b);
	} else {
		dlist_push(l, 'M', buf_cstr(path), a, b);
	}
	path->len = len;
	return rc;
}

/* 0, -1 on a read error, 1 when a tree is not in git's order (then only
 * libgit2, which sorts it, lists it right). */
static int
diff_trees(git_repository *repo, const git_tree *a, const git_tree *b, struct buf *path, struct dlist *l)
{
	size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0, i = 0, j = 0;
	for (size_t k = 1; k < na; k++)
		if (git_tree_entry_cmp(git_tree_entry_byindex(a, k - 1), git_tree_entry_byindex(a, k)) >= 0)
			return 1;
	for (size_t k = 1; k < nb; k++)
		if (git_tree_entry_cmp(git_tree_entry_byindex(b, k - 1), git_tree_entry_byindex(b, k)) >= 0)
			return 1;
	int rc = 0;
	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int cmp = !ea ? 1 : !eb ? -1 : git_tree_entry_cmp(ea, eb);
		if (cmp < 0)
			rc = one_side(repo, ea, 1, path, l), i++;
		else if (cmp > 0)
			rc = one_side(repo, eb, 0, path, l), j++;
		else
			rc = both_sides(repo, ea, eb, path, l), i++, j++;
	}
	return rc;
}

/* The tree at prefix in root (NULL when root is NULL or has nothing
 * there): 0; -1 on a read error; 1 when prefix is not a plain path to a
 * tree (a glob libgit2 would match as a pattern, or a file). */
static int
tree_at(git_repository *repo, git_tree *root, const char *prefix, git_tree **out)
{
	*out = NULL;
	if (strpbrk(prefix, "*?[\\"))
		return 1;
	if (!root)
		return 0;
	if (!*prefix)
		return git_object_dup((git_object **)out, (git_object *)root) == 0 ? 0 : -1;
	git_tree_entry *e;
	int rc = git_tree_entry_bypath(&e, root, prefix);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc != 0)
		return -1;
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		rc = 1;
	else
		rc = git_tree_lookup(out, repo, git_tree_entry_id(e)) == 0 ? 0 : -1;
	git_tree_entry_free(e);
	return rc;
}

/* The deltas the quick way: 0; else libgit2 is to list them: 1 when
 * renames are possible or a tree or the prefix is unusual, -1 on a read
 * error (libgit2 meets it too, and says so its own way). */
static int
quick_deltas(git_repository *repo, git_tree *ptree, git_tree *tree, const char *prefix,
    struct hdelta **out, size_t *count)
{
	git_tree *a = NULL, *b = NULL;
	int rc = tree_at(repo, ptree, prefix, &a);
	if (rc == 0)
		rc = tree_at(repo, tree, prefix, &b);
	struct dlist l = {0};
	struct buf path = {0};
	if (rc == 0)
		rc = diff_trees(repo, a, b, &path, &l);
	buf_free(&path);
	git_tree_free(a);
	git_tree_free(b);
	if (rc == 0 && !(l.del && l.add)) {
		*out = l.d ? l.d : xcalloc(1, sizeof *l.d);
		*count = l.n;
		return 0;
	}
	hdeltas_free(l.d, l.n);
	return rc ? rc : 1;
}

/* The deltas of commit c against its first parent, under prefix: 0, or 1
 * when the parent is missing (a shallow clone's boundary, or damage) and c
 * is taken as adding everything, which is not to be cached; -1 when c's
 * tree or its parent's cannot be read. */
static int
commit_deltas(git_repository *repo, git_commit *c, const char *prefix, struct hdelta **out, size_t *count)
{
	git_tree *tree = NULL, *ptree = NULL;
	git_commit *parent = NULL;
	if (git_commit_tree(&tree, c) != 0)
		return -1;
	int partial = 0;
	if (git_commit_parentcount(c) > 0) {
		if (git_commit_parent(&parent, c, 0) != 0)
			partial = 1;
		else if (git_commit_tree(&ptree, parent) != 0) {
			git_commit_free(parent);
			git_tree_free(tree);
			return -1;
		}
	}
	int rc = quick_deltas(repo, ptree, tree, prefix, out, count);
	if (rc != 0)
		rc = libgit2_deltas(repo, ptree, tree, prefix, out, count);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	return rc < 0 ? -1 : partial;
}

/* ------------------------------------------------------------ records */

struct walk {
	struct site *s;
	git_repository *repo;
	struct hcache *cache;
	struct pathmap map;
	struct record *recs;     /* one per page, then deleted ones (grown) */
	size_t nrecs;
	int truncated;
	char *damage;            /* the first object libgit2 could not read, or NULL */
	size_t refused;          /* damaged loose objects the guard refused so far */
	struct cinfo **infos;    /* commits that have events (owned) */
	size_t ninfos;
	const git_commit *at;    /* the commit being applied, and its info once made */
	struct cinfo *at_info;
	struct parsed kept;      /* the last version diffed from: the next entry's "to" */
};

/* Note that the object store failed us while reading what (a commit id):
 * the first failure is kept for the warning. */
static void
note_damage(struct walk *w, const char *what)
{
	if (w->damage)
		return;
	const git_error *e = git_error_last();
	w->damage = xasprintf("%s: %s", what, e && e->message ? e->message : "unreadable");
}

/* Whether the guard (gitcheck.c) refused a damaged object since the last
 * call: then what was just computed may lack it, is noted as damage, and is
 * not cached (libgit2 swallows some such errors, in rename detection). */
static int
new_damage(struct walk *w, const char *what)
{
	char last[GIT_OID_HEXSZ + 1];
	size_t n = gitguard_damaged(w->repo, last);
	if (n == w->refused)
		return 0;
	w->refused = n;
	if (!w->damage)
		w->damage = xasprintf("%s: loose object %s is damaged (truncated or corrupt)", what, last);
	return 1;
}

/* Warn once about the damage met so far; later records are marked truncated. */
static void
report_damage(struct walk *w)
{
	if (!w->damage)
		return;
	diag_warn(&w->s->diag, w->s->content_dir, 0, 0,
	    "the git repository is damaged: %s: history is incomplete", w->damage);
	w->truncated = 1;
	free(w->damage);
	w->damage = NULL;
}

static size_t
add_record(struct walk *w, int kind)
{
	w->recs = xrealloc(w->recs, (w->nrecs + 1) * sizeof *w->recs);
	memset(&w->recs[w->nrecs], 0, sizeof *w->recs);
	w->recs[w->nrecs].kind = kind;
	return ++w->nrecs;                 /* 1-based handle */
}

static int
is_procedure_path(const char *p)
{
	size_t n = strlen(p);
	return strncmp(p, "procedures/", 11) == 0 && n > 3 && strcmp(p + n - 3, ".md") == 0;
}

/* What entries show of commit c: made the first time one of its changes
 * is noted, then shared by all of them. */
static const struct cinfo *
commit_info(struct walk *w, const git_commit *c)
{
	if (w->at == c && w->at_info)
		return w->at_info;
	struct cinfo *i = xcalloc(1, sizeof *i);
	commit_dates(c, i->day, i->stamp);
	git_oid_tostr(i->sid, sizeof i->sid, git_commit_id(c));
	git_oid_tostr(i->hex, sizeof i->hex, git_commit_id(c));
	i->subject = clean_text(git_commit_summary((git_commit *)c));
	if (w->s->show_authors)
		i->author = clean_text(git_commit_author(c)->name);
	i->minor = is_minor(i->subject);
	w->infos = xrealloc(w->infos, (w->ninfos + 1) * sizeof *w->infos);
	w->infos[w->ninfos++] = i;
	w->at = c;
	w->at_info = i;
	return i;
}

static void
infos_free(struct walk *w)
{
	for (size_t i = 0; i < w->ninfos; i++) {
		free(w->infos[i]->subject);
		free(w->infos[i]->author);
		free(w->infos[i]);
	}
	free(w->infos);
}

/* Note commit c's change to r's file; finish_record makes entries of them. */
static void
add_event(struct walk *w, struct record *r, git_commit *c, const struct hdelta *d)
{
	r->ev = xrealloc(r->ev, (r->nev + 1) * sizeof *r->ev);
	struct event *e = &r->ev[r->nev++];
	memset(e, 0, sizeof *e);
	e->c = commit_info(w, c);
	e->path = xstrdup(d->status == 'D' ? d->old_path : d->new_path);
	e->status = d->status;
	e->state = -1;
	memcpy(e->old_oid, d->old_oid, sizeof e->old_oid);
	memcpy(e->new_oid, d->new_oid, sizeof e->new_oid);
}

/* What a version of a file is: a page that was published, a draft, or
 * text that does not parse (the build would have failed: never public). */
enum { BLOB_BROKEN, BLOB_DRAFT, BLOB_PUBLISHED };

static int
blob_state(struct walk *w, struct event *e)
{
	if (e->state >= 0)
		return e->state;
	int st = hcache_get_state(w->cache, e->new_oid);
	if (st >= BLOB_BROKEN && st <= BLOB_PUBLISHED)
		return e->state = st;
	struct page p;
	int rc = parse_blob(w->repo, e->new_oid, e->path, &p, 0);
	const struct val *draft = rc == 0 ? val_get(p.meta, "draft") : NULL;
	st = rc == -2 ? BLOB_PUBLISHED :          /* unreadable now: as it was listed before */
	    rc != 0 ? BLOB_BROKEN : draft && draft->type == V_BOOL && draft->num ? BLOB_DRAFT : BLOB_PUBLISHED;
	page_free(&p);
	int hurt = new_damage(w, e->c->hex);
	if (rc == -2 && !hurt)
		note_damage(w, e->c->hex);
	if (rc != -2 && !hurt)
		hcache_put_state(w->cache, e->new_oid, st);
	return e->state = st;
}

/* The version oid parsed in full into out: the one kept from the last
 * diff when it is that one (then no longer kept), else read now. */
static void
take_parsed(struct walk *w, const char *oid, const char *path, struct parsed *out)
{
	if (strcmp(w->kept.oid, oid) == 0) {
		*out = w->kept;
		w->kept.oid[0] = '\0';
		return;
	}
	out->rc = parse_blob(w->repo, oid, path, &out->p, 1);
	snprintf(out->oid, sizeof out->oid, "%s", oid);
}

/* The entry of a significant change: what changed between the published
 * state before it (from) and the last published state it led to (to,
 * after any minor commits that followed it). note: the significant commit
 * whose broken version e (a minor fix-up) published, or NULL. first: this
 * is the first publication (shown as such, not by its commit subject). */
static void
make_entry(struct walk *w, struct record *r, const struct event *e, const struct event *note,
    const char *from, const char *to, int first, struct val *list)
{
	struct val *v = val_append(list);
	v->type = V_MAP;
	val_set_str(v, "date", e->c->day);
	val_set_str(v, "time", e->c->stamp);
	val_set_str(v, "note", note ? note->c->subject : e->c->subject);
	val_set_str(v, "commit", e->c->sid);
	if (e->c->author)
		val_set_str(v, "author", e->c->author);
	if (first) {
		struct val *f = val_append(v);
		f->type = V_BOOL;
		f->key = xstrdup("first");
		f->num = 1;
		f->str = xstrdup("true");
	}
	if (r->kind != PAGE_PROCEDURE || r->bare || !from || !to || strcmp(from, to) == 0)
		return;
	struct val *ch = val_append(v);
	ch->type = V_LIST;
	ch->key = xstrdup("changes");
	if (hcache_get_changes(w->cache, from, to, ch) != 0) {
		struct parsed o, n;
		take_parsed(w, to, e->path, &n);
		take_parsed(w, from, e->path, &o);
		int rc = diff_blobs(&o, &n, ch);
		parsed_free(&n);
		parsed_free(&w->kept);
		w->kept = o;                     /* entries come newest first */
		int hurt = new_damage(w, e->c->hex);
		if (rc != 0)
			note_damage(w, e->c->hex);
		else if (!hurt)
			hcache_put_changes(w->cache, from, to, ch);
	}
}

/* A procedure file deleted in c (walking back): start following it, unless
 * a current procedure carries its code (then it moved, not died). */
static void
start_deleted(struct walk *w, git_commit *c, const struct hdelta *d)
{
	struct page old;
	int rc = parse_blob(w->repo, d->old_oid, d->old_path, &old, 0);
	if (rc != 0) {                     /* invalid then, or unreadable now */
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof hex, git_commit_id(c));
		if (!new_damage(w, hex) && rc == -2)
			note_damage(w, hex);
		page_free(&old);
		return;
	}
	const char *code = val_str(old.meta, "code");
	/* history is permanent: an old file with a malformed code gets no page */
	int skip = !code || !code_valid(code) || site_find_code(w->s, code) != NULL;
	for (size_t i = 0; !skip && w->s->deleted && i < w->s->deleted->n; i++)
		skip = strcmp(val_str(&w->s->deleted->kids[i], "code"), code) == 0;
	if (!skip) {
		if (!w->s->deleted)
			w->s->deleted = val_new(V_LIST);
		struct val *item = val_append(w->s->deleted);
		item->type = V_MAP;
		val_set_str(item, "code", code);
		const char *title = val_str(old.meta, "title");
		val_set_str(item, "title", title ? title : code);
		char *url = vocab_url("procedure", code, NULL);
		val_set_str(item, "url", url);
		free(url);
		const struct cinfo *ci = commit_info(w, c);
		val_set_str(item, "deleted", ci->day);
		val_set_str(item, "note", ci->subject);
		val_set_str(item, "path", d->old_path);
		size_t item_index = w->s->deleted->n;     /* 1 + its index */
		/* a current procedure that names it in `replaces` */
		for (size_t i = 0; i < w->s->npages; i++) {
			struct val *rep = w->s->pages[i].kind == PAGE_PROCEDURE ?
			    val_get(w->s->pages[i].meta, "replaces") : NULL;
			for (size_t k = 0; rep && rep->type == V_LIST && k < rep->n; k++)
				if (rep->kids[k].str && strcmp(rep->kids[k].str, code) == 0)
					val_set_str(item, "replaced_by", val_str(w->s->pages[i].meta, "code"));
		}
		size_t h = add_record(w, PAGE_PROCEDURE);
		w->recs[h - 1].deleted = item_index;
		map_put(&w->map, d->old_path, h);
		add_event(w, &w->recs[h - 1], c, d);
	}
	page_free(&old);
}

/* The URL an article or standing page had under an earlier file name, so
 * that renaming a file never leaves a 404 (SPEC §4). Procedures keep their
 * URL: it is their code. */
static void
note_former_url(struct record *r, const char *old_path, const char *new_path)
{
	if (r->kind == PAGE_PROCEDURE)
		return;
	char *os = page_slug(old_path), *ns = page_slug(new_path);
	if (*os && strcmp(os, ns) != 0) {
		if (!r->former)
			r->former = val_new(V_LIST);
		struct val *it = val_append(r->former);
		it->type = V_STR;
		it->str = page_url(r->kind, os, NULL);
	}
	free(os);
	free(ns);
}

static void
apply_commit(struct walk *w, git_commit *c, const struct hdelta *d, size_t n)
{
	/* renames and deletions of this commit move tracking after all events */
	for (size_t i = 0; i < n; i++) {
		const char *path = d[i].status == 'D' ? d[i].old_path : d[i].new_path;
		size_t h = map_get(&w->map, path);
		if (!h) {
			if (d[i].status == 'D' && is_procedure_path(d[i].old_path))
				start_deleted(w, c, &d[i]);
			continue;
		}
		/* a pure rename changes nothing a reader sees: follow it, list nothing */
		if (!(d[i].status == 'R' && strcmp(d[i].old_oid, d[i].new_oid) == 0))
			add_event(w, &w->recs[h - 1], c, &d[i]);
		if (d[i].status == 'A') {
			map_del(&w->map, path);
		} else if (d[i].status == 'R') {
			map_del(&w->map, path);
			map_put(&w->map, d[i].old_path, h);
			note_former_url(&w->recs[h - 1], d[i].old_path, d[i].new_path);
		}
	}
}

/* Turn a record into the value tree plugins read (SPEC §5): its versions
 * in the order they were committed, where only published states count (a
 * draft is not published; a version that does not parse never was), a
 * significant commit becomes an entry whose changes run from the previous
 * published state to the last one before the next significant commit (so
 * a minor fix-up folds into it; one that repairs a significant commit's
 * broken version publishes it, under that commit's note), "published" is
 * the first published state and "updated" the last significant one.
 * 0 when never published. */
static int
finish_record(struct walk *w, struct record *r, struct val *into)
{
	struct step { const struct event *e; const char *from, *to; const struct event *note; } *st =
	    xcalloc(r->nev + 1, sizeof *st);
	size_t n = 0;
	int minor = 0;
	const char *state = NULL, *published = NULL, *updated = NULL;
	const struct event *broken = NULL;               /* a significant change not yet public */
	for (size_t i = r->nev; i-- > 0;) {              /* oldest first */
		struct event *e = &r->ev[i];
		const char *now = e->status == 'D' ? NULL : e->new_oid;
		int bs = now ? blob_state(w, e) : BLOB_PUBLISHED;
		if (bs == BLOB_BROKEN && !broken && !e->c->minor)
			broken = e;                      /* its note waits for the fix */
		if (bs != BLOB_PUBLISHED)
			continue;
		if (!published && now)
			published = e->c->day;
		if (e->c->minor && broken) {
			minor++;                         /* the fix-up publishes the broken change */
			st[n++] = (struct step){ e, state, now, broken };
			updated = e->c->day;
		} else if (e->c->minor) {
			minor++;
			if (n)
				st[n - 1].to = now;
		} else {
			st[n++] = (struct step){ e, state, now, NULL };
			updated = e->c->day;
		}
		broken = NULL;
		state = now;
	}
	if (!published && r->deleted == 0) {
		free(st);
		return 0;
	}
	struct val *h = into;
	h->type = V_MAP;
	if (published)
		val_set_str(h, "published", published);
	if (updated || published)
		val_set_str(h, "updated", updated ? updated : published);
	struct val *t = val_append(h);
	t->type = V_BOOL;
	t->key = xstrdup("truncated");
	t->num = w->truncated;
	t->str = xstrdup(w->truncated ? "true" : "false");
	struct val *m = val_append(h);
	m->type = V_INT;
	m->key = xstrdup("minor_count");
	m->num = minor;
	m->str = xasprintf("%d", minor);
	struct val *e = val_append(h);
	e->type = V_LIST;
	e->key = xstrdup("entries");
	for (size_t i = n; i-- > 0;)                       /* newest first */
		make_entry(w, r, st[i].e, st[i].note, st[i].from, st[i].to,
		    i == 0 && !st[i].from && !w->truncated, e);
	free(st);
	if (r->former) {
		struct val *f = val_append(h);
		*f = *r->former;
		free(r->former);
		r->former = NULL;
		f->key = xstrdup("former_urls");
	}
	return 1;
}

static void
record_free(struct record *r)
{
	for (size_t i = 0; i < r->nev; i++)
		free(r->ev[i].path);
	free(r->ev);
	val_free(r->former);
}

/* -------------------------------------------------------------- walk */

#define TREE_CACHE_LIMIT (4 << 20)   /* bytes: the biggest tree kept in libgit2's cache */

/* Walk the first-parent chain from tip to the root. Every commit matters:
 * a procedure deleted before the oldest current page was added still gets
 * its page. The chain is followed by hand rather than with a revwalk, so a
 * shallow clone's boundary (a parent that is not there) simply ends it. */
static void
walk_history(struct walk *w, git_commit *tip, const char *prefix)
{
	git_commit *c = NULL;
	git_commit_dup(&c, tip);
	while (c) {
		char hex[41];
		git_oid_tostr(hex, sizeof hex, git_commit_id(c));
		struct hdelta *d = NULL;
		size_t n = 0;
		if (hcache_get_deltas(w->cache, prefix, hex, &d, &n) != 0) {
			int rc = commit_deltas(w->repo, c, prefix, &d, &n);
			int hurt = new_damage(w, hex);
			if (rc < 0)
				note_damage(w, hex);
			else if (rc == 0 && !hurt)
				hcache_put_deltas(w->cache, prefix, hex, d, n);
		}
		w->at = c;
		w->at_info = NULL;
		apply_commit(w, c, d, n);
		w->at = NULL;
		hdeltas_free(d, n);
		git_commit *parent = NULL;
		if (git_commit_parentcount(c) == 0)
			parent = NULL;
		else if (git_commit_parent(&parent, c, 0) != 0) {
			parent = NULL;
			/* a shallow clone's boundary is expected, not damage */
			if (!new_damage(w, hex) && !w->truncated)
				note_damage(w, hex);
		}
		git_commit_free(c);
		c = parent;
	}
}

/* The content files of the working tree that are not as committed
 * (changed, staged, untracked), or NULL when git cannot say. */
static git_status_list *
working_changes(git_repository *repo, const char *prefix)
{
	git_status_options so;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	char *spec = xasprintf("%s%s", prefix, *prefix ? "/" : "");
	char *specs[1] = { spec };
	if (*prefix) {
		so.pathspec.strings = specs;
		so.pathspec.count = 1;
	}
	git_status_list *list;
	if (git_status_list_new(&list, repo, &so) != 0)
		list = NULL;
	free(spec);
	return list;
}

/* Entry i of a working_changes list: its path in the content folder
 * (malloc'd), or NULL when it is no change there. */
static char *
changed_path(git_status_list *list, size_t i, const char *prefix)
{
	const git_status_entry *e = git_status_byindex(list, i);
	const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
	if (!d || e->status == GIT_STATUS_CURRENT || (e->status & GIT_STATUS_IGNORED))
		return NULL;
	return strip_prefix(d->new_file.path, prefix);
}

/* The versions a build has already parsed: a page's file as the built
 * commit has it (a --rev build, or a working tree file that is not in
 * the list of changes) was read and parsed by the load, so its state is
 * the page's (page_parse and its draft key decide both alike) and the
 * blob is not read again. At 10,000 procedures that is every first
 * version, about half of a cold walk's reading. */
static void
parsed_states(struct walk *w, git_commit *tip, const char *prefix, git_status_list *changes)
{
	git_tree *tree;
	if ((!w->s->rev && !changes) || git_commit_tree(&tree, tip) != 0)
		return;
	size_t nc = 0, n = changes ? git_status_list_entrycount(changes) : 0;
	char **changed = xcalloc(n + 1, sizeof *changed);
	for (size_t i = 0; i < n; i++)
		if ((changed[nc] = changed_path(changes, i, prefix)) != NULL)
			nc++;
	qsort(changed, nc, sizeof *changed, strp_cmp);
	for (size_t i = 0; i < w->s->npages && i < w->nrecs; i++) {
		const struct page *p = &w->s->pages[i];
		struct record *r = &w->recs[i];
		const char *key = p->path;
		if (!r->nev || bsearch(&key, changed, nc, sizeof *changed, strp_cmp))
			continue;
		char *path = xasprintf("%s%s%s", prefix, *prefix ? "/" : "", p->path);
		git_tree_entry *e;
		if (git_tree_entry_bypath(&e, tree, path) == 0) {
			char oid[GIT_OID_HEXSZ + 1];
			git_oid_tostr(oid, sizeof oid, git_tree_entry_id(e));
			for (size_t k = 0; k < r->nev; k++)
				if (r->ev[k].status != 'D' && strcmp(r->ev[k].new_oid, oid) == 0)
					r->ev[k].state = p->draft ? BLOB_DRAFT : BLOB_PUBLISHED;
			git_tree_entry_free(e);
		}
		free(path);
	}
	for (size_t i = 0; i < nc; i++)
		free(changed[i]);
	free(changed);
	git_tree_free(tree);
}

/* Pages changed in the working tree but not committed (working tree
 * builds; changes: working_changes' list). */
static void
uncommitted(struct site *s, git_status_list *list, const char *prefix, char asof_day[11])
{
	if (!list)
		return;
	struct buf names = {0};
	size_t count = 0;
	for (size_t i = 0; i < git_status_list_entrycount(list); i++) {
		char *rel = changed_path(list, i, prefix);
		if (!rel)
			continue;
		for (size_t k = 0; k < s->npages; k++) {
			struct page *p = &s->pages[k];
			if (strcmp(p->path, rel) != 0)
				continue;
			if (!p->history) {
				p->history = val_new(V_MAP);
				val_set_str(p->history, "published", asof_day);
				struct val *en = val_append(p->history);
				en->type = V_LIST;
				en->key = xstrdup("entries");
			}
			val_set_str(p->history, "updated", asof_day);
		}
		if (count < 10)
			buf_printf(&names, "%s%s", count ? ", " : "", rel);
		count++;
		free(rel);
	}
	if (count)
		diag_warn(&s->diag, s->content_dir, 0, 0,
		    "%zu uncommitted change(s) are built but have no history entry yet: %s%s", count,
		    names.s, count > 10 ? ", ..." : "");
	buf_free(&names);
}

int
history_attach(struct site *s)
{
	return history_attach_some(s, NULL, NULL);
}

/* Whether keep wants the field changes of record i (keep NULL: all). */
static int
kept(struct walk *w, size_t i, int (*keep)(const char *, const char *, void *), void *arg)
{
	if (!keep)
		return 1;
	if (i < w->s->npages) {
		const struct page *p = &w->s->pages[i];
		return keep(p->kind == PAGE_PROCEDURE ? val_str(p->meta, "code") : NULL, p->path, arg);
	}
	const struct val *d = &w->s->deleted->kids[w->recs[i].deleted - 1];
	return keep(val_str(d, "code"), val_str(d, "path"), arg);
}

int
history_attach_some(struct site *s, int (*keep)(const char *code, const char *path, void *arg), void *arg)
{
	git_libgit2_init();
	git_repository *repo = NULL;
	char *prefix = NULL;
	int have_epoch = source_date_epoch(&s->asof);
	if (history_open_repo(s->content_dir, &repo, &prefix) != 0) {
		diag_warn(&s->diag, s->content_dir, 0, 0, "no git repository: dates come from front matter");
		if (!have_epoch)
			s->asof = newest_front_matter_date(s);
		git_libgit2_shutdown();
		return 0;
	}
	s->history_info = val_new(V_MAP);
	/* a truncated pack: libgit2 finds none of its objects; say which */
	char *pack = gitcheck_packs(repo);
	if (pack)
		diag_warn(&s->diag, s->content_dir, 0, 0, "the git repository is damaged: %s", pack);
	git_commit *tip = NULL;
	if (history_resolve(repo, s->rev ? s->rev : "HEAD", &tip) != 0) {
		/* an empty repository (nothing committed yet), or a damaged one */
		const git_error *ge = git_error_last();
		char *what = ge && ge->message ? xstrdup(ge->message) : xstrdup(s->rev ? s->rev : "HEAD");
		if (!pack && git_repository_head_unborn(repo) == 1)
			diag_warn(&s->diag, s->content_dir, 0, 0, "the repository has no commits yet: no history");
		else
			diag_warn(&s->diag, s->content_dir, 0, 0,
			    "the git repository is damaged: %s: no history is shown", what);
		free(what);
		free(pack);
		if (!have_epoch)
			s->asof = newest_front_matter_date(s);
		free(prefix);
		git_repository_free(repo);
		git_libgit2_shutdown();
		return 0;
	}
	if (!have_epoch)
		s->asof = (time_t)git_commit_time(tip);
	free(pack);
	struct walk w = { .s = s, .repo = repo };
	char seen[GIT_OID_HEXSZ + 1];
	w.refused = gitguard_damaged(repo, seen);     /* before the walk: none of its doing */
	w.truncated = git_repository_is_shallow(repo);
	if (w.truncated)
		diag_warn(&s->diag, s->content_dir, 0, 0, "shallow clone: history is truncated");
	w.cache = hcache_open(git_repository_path(repo));
	/* trees bigger than libgit2's default limit (4 KiB: a folder of a
	 * hundred files) are kept in its object cache, so that the tree of a
	 * commit is read once, not again when its child is diffed */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)TREE_CACHE_LIMIT);
	/* records of current pages come first, in page order (1-based handles) */
	for (size_t i = 0; i < s->npages; i++)
		map_put(&w.map, s->pages[i].path, add_record(&w, s->pages[i].kind));
	walk_history(&w, tip, prefix);
	git_status_list *changes = s->rev ? NULL : working_changes(repo, prefix);
	parsed_states(&w, tip, prefix, changes);
	for (size_t i = 0; i < w.nrecs; i++)       /* read every version first: damage marks all */
		for (size_t k = 0; k < w.recs[i].nev; k++)
			if (w.recs[i].ev[k].status != 'D')
				blob_state(&w, &w.recs[i].ev[k]);
	report_damage(&w);
	for (size_t i = 0; i < w.nrecs; i++) {
		struct record *r = &w.recs[i];
		r->bare = !kept(&w, i, keep, arg);
		if (i < s->npages) {
			struct val *h = val_new(V_MAP);
			if (finish_record(&w, r, h))       /* published at least once */
				s->pages[i].history = h;
			else
				val_free(h);
		} else {
			struct val *h = val_append(&s->deleted->kids[r->deleted - 1]);
			h->key = xstrdup("history");
			finish_record(&w, r, h);
		}
		record_free(r);
	}
	report_damage(&w);                         /* met while reading versions */
	struct val *info = s->history_info;
	char sid[10];
	git_oid_tostr(sid, 8, git_commit_id(tip));
	val_set_str(info, "commit", sid);
	struct val *sh = val_append(info);
	sh->type = V_BOOL;
	sh->key = xstrdup("shallow");
	sh->num = w.truncated;
	sh->str = xstrdup(w.truncated ? "true" : "false");
	if (!s->rev) {
		char day[11];
		site_asof_day(s, day);
		uncommitted(s, changes, prefix, day);
	}
	git_status_list_free(changes);
	hcache_close(w.cache);
	map_free(&w.map);
	free(w.recs);
	infos_free(&w);
	parsed_free(&w.kept);
	git_commit_free(tip);
	free(prefix);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return 0;
}
