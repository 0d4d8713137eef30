/*
 * import_dvcqg.c — `congkhai import dvcqg`: the national public service
 * portal's procedure detail JSON (DOMAIN.md §1.2: code, name, category,
 * executionSteps, executionMethods, cases, executionCases,
 * subjectTypesDetails, resultsDetails, legalBasisesDetails, ...) into one
 * procedures/<slug>.md per procedure (SPEC §3). Facts are taken as the JSON
 * gives them; a required fact it does not give is written "chưa xác minh"
 * and said in a warning. Owns nothing beyond one call.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "import.h"
#include "vocab.h"

/* One procedure being converted. */
struct proc {
	struct import_ctx *c;
	const char *file;
	json_t *j;
	const char *code, *name;
	struct val *fm;          /* front matter */
	struct buf body;
};

/* The portal's submission methods and time units, as the SPEC spells them. */
static const char *const methods[][3] = {
	{ "DIRECT", "trực tiếp", "Trực tiếp" }, { "ONLINE", "trực tuyến", "Trực tuyến" },
	{ "POSTAL", "bưu chính", "Bưu chính" } };
static const char *const units[][2] = {
	{ "WORKING_DAY", "ngày làm việc" }, { "DAY", "ngày" }, { "WORKING_HOUR", "giờ làm việc" },
	{ "HOUR", "giờ" }, { "WEEK", "tuần" }, { "MONTH", "tháng" }, { "YEAR", "năm" } };

/* ------------------------------------------------------------ JSON */

/* The text of a JSON string without its leading spaces; NULL when v is
 * not a string or is blank. */
static const char *
trimmed(const json_t *v)
{
	const char *s = json_string_value(v);
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return *s ? s : NULL;
}

/* A string member of o, NULL when absent or blank. */
static const char *
jstr(const json_t *o, const char *key)
{
	return trimmed(json_object_get(o, key));
}

/* A text member of o as plain text (HTML removed), NULL when blank. */
static char *
jtext(const json_t *o, const char *key)
{
	const char *s = jstr(o, key);
	char *t = s ? import_plain(s) : NULL;
	if (t && !*t) {
		free(t);
		t = NULL;
	}
	return t;
}

/* Plain text on one line: line ends become spaces. */
static char *
one_line(char *s)
{
	for (char *p = s; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	return s;
}

/* The procedures in j: an object with a code or name, or one wrapped in
 * {"data": ...}, or a list of them. */
static void
collect(json_t *j, json_t ***out, size_t *n, int depth)
{
	if (depth > 8)
		return;
	if (json_is_array(j)) {
		size_t i;
		json_t *e;
		json_array_foreach(j, i, e)
			collect(e, out, n, depth + 1);
	} else if (json_is_object(j)) {
		json_t *data = json_object_get(j, "data");
		if ((json_is_object(data) || json_is_array(data)) && !json_object_get(j, "name")) {
			collect(data, out, n, depth + 1);
			return;
		}
		*out = import_grow(*out, *n, sizeof **out);
		(*out)[(*n)++] = j;
	}
}

/* A date (YYYY-MM-DD, Vietnam's time) from milliseconds since 1970, or NULL. */
static char *
ms_date(const json_t *v)
{
	double ms = json_number_value(v);
	if (!json_is_number(v) || ms <= 0 || ms > 253402300799000.0)
		return NULL;
	time_t t = (time_t)(ms / 1000) + 7 * 3600;
	struct tm tm;
	char d[16];
	if (!gmtime_r(&t, &tm) || !strftime(d, sizeof d, "%Y-%m-%d", &tm))
		return NULL;
	return xstrdup(d);
}

/* -------------------------------------------------- numbers and units */

/* qty as Vietnamese write it: "01", "2,5", "50.000". */
static void
number(struct buf *b, double qty, int pad)
{
	if (qty != floor(qty) || qty >= 1e15) {
		char s[64], *dot;
		snprintf(s, sizeof s, "%.2f", qty);
		size_t n = strlen(s);
		while (n > 1 && s[n - 1] == '0')
			s[--n] = '\0';
		if (n > 1 && s[n - 1] == '.')
			s[--n] = '\0';
		if ((dot = strchr(s, '.')) != NULL)
			*dot = ',';
		buf_puts(b, s);
		return;
	}
	char s[32];
	int n = snprintf(s, sizeof s, pad ? "%02lld" : "%lld", (long long)qty);
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_putc(b, '.');
		buf_putc(b, s[i]);
	}
}

/* "01 ngày làm việc", or NULL when the quantity or the unit is not given. */
static char *
duration(const json_t *qty, const char *unit)
{
	double q = json_number_value(qty);
	if (!json_is_number(qty) || q < 0.01 || !unit)
		return NULL;
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (strcmp(units[i][0], unit) == 0) {
			struct buf b = {0};
			number(&b, q, 1);
			buf_printf(&b, " %s", units[i][1]);
			return buf_steal(&b);
		}
	return NULL;
}

/* One fee {value, currencyName, description}: "2.000 đồng/trang". */
static void
fee_text(struct buf *b, const json_t *fee)
{
	const json_t *v = json_object_get(fee, "value");
	const char *cur = jstr(fee, "currencyName"), *id = jstr(fee, "currencyId");
	char *desc = one_line(jtext(fee, "description"));
	double val = json_number_value(v);
	if (json_is_number(v) && (val < 0 || (val > 0 && val < 0.01)))
		v = NULL;                 /* not an amount */
	if (json_is_number(v)) {
		number(b, json_number_value(v), 0);
		if (cur) {
			char *f = text_fold(cur);
			int dong = strstr(f, "dong") || strcmp(f, "vnd") == 0;
			free(f);
			buf_printf(b, " %s", dong ? "đồng" : cur);
		} else if (!id) {
			buf_puts(b, " đồng");     /* the portal gives no currency for its own */
		}
	}
	if (desc)
		buf_printf(b, json_is_number(v) ? (*desc == '/' ? "%s" : " (%s)") : "%s", desc);
	free(desc);
}

/* The fees of a list, "; " between them; NULL when none. */
static char *
fees_text(const json_t *fees)
{
	struct buf b = {0};
	size_t i;
	json_t *f;
	json_array_foreach(fees, i, f) {
		size_t before = b.len;
		if (b.len)
			buf_puts(&b, "; ");
		size_t mark = b.len;
		fee_text(&b, f);
		if (b.len == mark)
			b.len = before;
	}
	if (!b.len) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* ------------------------------------------------------- front matter */

/* A required fact the JSON lacks. */
static void
unverified(struct proc *p, const char *key, const char *label)
{
	import_add_str(p->fm, key, VOCAB_UNVERIFIED);
	import_warn(p->c, p->file, 0, 0, "procedure %s: %s not given; written '%s'",
	    p->code, label, VOCAB_UNVERIFIED);
}

/* key: one text, or a list of them, or unverified when there are none. */
static void
text_or_list(struct proc *p, const char *key, char **items, size_t n)
{
	if (n == 0) {
		unverified(p, key, i18n_key_label(key));
	} else if (n == 1) {
		import_add_str(p->fm, key, items[0]);
	} else {
		struct val *l = import_add(p->fm, key, V_LIST);
		for (size_t i = 0; i < n; i++)
			import_add_str(l, NULL, items[i]);
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

/* Add s to the list items unless it is there already, or the list has
 * MAX_DISTINCT (no summary needs more); takes s. */
#define MAX_DISTINCT 32
static void
add_distinct(char ***items, size_t *n, char *s)
{
	for (size_t i = 0; s && i < *n; i++)
		if (strcmp((*items)[i], s) == 0) {
			free(s);
			return;
		}
	if (!s || *n >= MAX_DISTINCT) {
		free(s);
		return;
	}
	*items = import_grow(*items, *n, sizeof **items);
	(*items)[(*n)++] = s;
}

/* The items joined by "; ", freed; NULL when there are none. */
static char *
join(char **items, size_t n)
{
	struct buf b = {0};
	for (size_t k = 0; k < n; k++) {
		buf_printf(&b, "%s%s", k ? "; " : "", items[k]);
		free(items[k]);
	}
	free(items);
	return b.len ? buf_steal(&b) : NULL;
}

/* key: text, or unverified when there is none; takes s. */
static void
text_fact(struct proc *p, const char *key, char *s)
{
	if (s)
		import_add_str(p->fm, key, s);
	else
		unverified(p, key, i18n_key_label(key));
	free(s);
}

static void
field(struct proc *p)
{
	const char *f = jstr(json_object_get(p->j, "category"), "name");
	if (!f)
		f = jstr(json_array_get(json_object_get(p->j, "categoriesDetails"), 0), "name");
	text_fact(p, "field", f ? import_plain(f) : NULL);
}

/* The level from the portal's flags and its executing unit groups
 * ("Ủy ban nhân dân cấp xã"), in the order tỉnh, huyện, xã. */
static void
level(struct proc *p)
{
	static const char *const lv[][3] = {
		{ "isProvince", "cap tinh", "tỉnh" }, { NULL, "cap huyen", "huyện" },
		{ "isWard", "cap xa", "xã" } };
	int found[3] = { 0, 0, 0 };
	size_t i;
	json_t *g;
	for (int k = 0; k < 3; k++)
		found[k] = lv[k][0] && json_is_true(json_object_get(p->j, lv[k][0]));
	json_array_foreach(json_object_get(p->j, "unitGroupsExecuting"), i, g) {
		const char *name = jstr(g, "name");
		char *f = name ? text_fold(name) : NULL;
		for (int k = 0; f && k < 3; k++)
			found[k] |= strstr(f, lv[k][1]) != NULL;
		free(f);
	}
	char **items = NULL;
	size_t n = 0;
	for (int k = 0; k < 3; k++)
		if (found[k])
			add_distinct(&items, &n, xstrdup(lv[k][2]));
	text_or_list(p, "level", items, n);
}

static void
agency(struct proc *p)
{
	static const char *const lists[] = { "unitGroupsExecuting", "departmentsExecuting" };
	char **items = NULL;
	size_t n = 0, i;
	json_t *g;
	for (size_t k = 0; k < 2; k++)
		json_array_foreach(json_object_get(p->j, lists[k]), i, g)
			add_distinct(&items, &n, one_line(jtext(g, "name")));
	if (!n)
		add_distinct(&items, &n, one_line(jtext(p->j, "executingAgencies")));
	text_or_list(p, "agency", items, n);
}

/* The label of a portal's submission method (col 1), or the capitalised
 * label of a label (col 2); NULL when unknown. */
static const char *
method(const char *m, int from, int to)
{
	for (size_t i = 0; m && i < sizeof methods / sizeof *methods; i++)
		if (strcmp(methods[i][from], m) == 0)
			return methods[i][to];
	return NULL;
}

/* channels: one map per execution method the portal names, as a list
 * not yet in the front matter (the summaries come first). */
static struct val *
channels(struct proc *p)
{
	json_t *m;
	size_t i;
	struct val *list = val_new(V_LIST);
	list->key = xstrdup("channels");
	json_array_foreach(json_object_get(p->j, "executionMethods"), i, m) {
		const char *raw = jstr(m, "submissionMethod"), *how = method(raw, 0, 1);
		if (!how) {
			import_warn(p->c, p->file, 0, 0,
			    "procedure %s: submission method '%s' is not known; left out of channels",
			    p->code, raw ? raw : "");
			continue;
		}
		struct val *ch = import_add(list, NULL, V_MAP);
		char *time = duration(json_object_get(m, "processingTime"), jstr(m, "processingTimeUnit"));
		char *fee = fees_text(json_object_get(m, "fees"));
		char *note = one_line(jtext(m, "description"));
		import_add_str(ch, "method", how);
		import_add_str(ch, "time", time);
		import_add_str(ch, "fee", fee);
		import_add_str(ch, "note", note);
		free(time);
		free(fee);
		free(note);
	}
	return list;
}

/* The distinct values of key in the channels; with the method before
 * each when they differ. */
static char *
channel_summary(const struct val *chs, const char *key)
{
	char **items = NULL;
	size_t n = 0;
	for (int with_method = 0; with_method < 2 && (n > 1 || !with_method); with_method++) {
		for (size_t k = 0; k < n; k++)
			free(items[k]);
		n = 0;
		for (size_t k = 0; k < chs->n; k++) {
			const char *v = val_str(&chs->kids[k], key);
			if (v)
				add_distinct(&items, &n, with_method ?
				    xasprintf("%s: %s", val_str(&chs->kids[k], "method"), v) : xstrdup(v));
		}
	}
	return join(items, n);
}

/* processing_time: of the channels, else of the cases (with the code of
 * each when they differ). */
static void
processing_time(struct proc *p, const struct val *chs)
{
	char *t = channel_summary(chs, "time");
	char **items = NULL;
	size_t n = 0, i;
	json_t *cs;
	for (int with_code = 0; !t && with_code < 2 && (n > 1 || !with_code); with_code++) {
		for (size_t k = 0; k < n; k++)
			free(items[k]);
		n = 0;
		json_array_foreach(json_object_get(p->j, "cases"), i, cs) {
			const json_t *d = json_object_get(cs, "processingDay");
			char *one = duration(json_object_get(d, "qty"), jstr(d, "type"));
			if (one && with_code && jstr(cs, "code")) {
				char *both = xasprintf("%s (%s)", one, jstr(cs, "code"));
				free(one);
				one = both;
			}
			add_distinct(&items, &n, one);
		}
	}
	text_fact(p, "processing_time", t ? t : join(items, n));
}

/* fee: of the channels, else the procedure's own list of fees. */
static void
fee(struct proc *p, const struct val *chs)
{
	char *f = channel_summary(chs, "fee");
	text_fact(p, "fee", f ? f : fees_text(json_object_get(p->j, "fees")));
}

/* online: toàn trình when the portal says the whole process is online
 * (isFullProcess); không when its methods leave online filing out. An
 * online method alone does not tell toàn trình from một phần. */
static void
online(struct proc *p, const struct val *chs)
{
	int on = 0;
	for (size_t k = 0; k < chs->n; k++)
		on |= strcmp(val_str(&chs->kids[k], "method"), "trực tuyến") == 0;
	if (json_is_true(json_object_get(p->j, "isFullProcess"))) {
		import_add_str(p->fm, "online", "toàn trình");
	} else if (on) {
		import_add_str(p->fm, "online", VOCAB_UNVERIFIED);
		import_warn(p->c, p->file, 0, 0, "procedure %s: it can be filed online, but the JSON does not say "
		    "whether wholly (toàn trình) or in part (một phần); written '%s'", p->code, VOCAB_UNVERIFIED);
	} else if (chs->n) {
		import_add_str(p->fm, "online", "không");
	} else {
		unverified(p, "online", i18n_key_label("online"));
	}
}

static void
cases(struct proc *p)
{
	json_t *cs;
	size_t i;
	struct val *list = NULL;
	json_array_foreach(json_object_get(p->j, "cases"), i, cs) {
		char *title = one_line(jtext(cs, "name"));
		if (!title)
			continue;
		if (!list)
			list = import_add(p->fm, "cases", V_LIST);
		struct val *m = import_add(list, NULL, V_MAP);
		const json_t *d = json_object_get(cs, "processingDay");
		char *t = duration(json_object_get(d, "qty"), jstr(d, "type"));
		import_add_str(m, "code", jstr(cs, "code"));
		import_add_str(m, "title", title);
		import_add_str(m, "time", t);
		free(title);
		free(t);
	}
}

/* decision: the portal's procedureProposal (quyết định công bố). */
static void
decision(struct proc *p)
{
	const json_t *pp = json_object_get(p->j, "procedureProposal");
	const char *num = jstr(pp, "proposalNumber");
	if (!num)
		num = jstr(pp, "decisionNumber");
	if (!num)
		return;
	struct val *d = import_add(import_add(p->fm, "decision", V_LIST), NULL, V_MAP);
	char *date = ms_date(json_object_get(pp, "decisionDate"));
	import_add_str(d, "number", num);
	import_add_str(d, "date", date);
	free(date);
}

/* sources: the file and the portal it came from. */
static void
sources(struct proc *p)
{
	const char *base = strrchr(p->file, '/') ? strrchr(p->file, '/') + 1 : p->file;
	struct val *s = import_add(import_add(p->fm, "sources", V_LIST), NULL, V_MAP);
	char *title = xasprintf("Cổng Dịch vụ công quốc gia, dữ liệu chi tiết thủ tục %s (tệp %s)", p->code, base);
	const char *id = jstr(p->j, "id");
	char *date = ms_date(json_object_get(p->j, "updatedAt"));
	import_add_str(s, "title", title);
	if (id && strlen(id) == 36 && strspn(id, "0123456789abcdef-") == 36) {
		char *url = xasprintf("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/%s", id);
		import_add_str(s, "url", url);
		free(url);
	}
	import_add_str(s, "date", date);
	free(title);
	free(date);
}

static void
front_matter(struct proc *p)
{
	import_add_str(p->fm, "code", p->code);
	import_add_str(p->fm, "title", p->name);
	field(p);
	level(p);
	agency(p);
	struct val *chs = channels(p);
	processing_time(p, chs);
	fee(p, chs);
	online(p, chs);
	if (chs->n)               /* moved into the front matter */
		*val_append(p->fm) = *chs;
	else
		val_clear(chs);
	free(chs);
	cases(p);
	decision(p);
	sources(p);
}

/* ------------------------------------------------------------- body */

static void
section(struct proc *p, const char *title)
{
	buf_printf(&p->body, "\n## %s\n\n", title);
}

/* A required section the JSON lacks. */
static void
unverified_section(struct proc *p, const char *title)
{
	section(p, title);
	buf_printf(&p->body, "%s\n", VOCAB_UNVERIFIED);
	import_warn(p->c, p->file, 0, 0, "procedure %s: %s not given; written '%s'",
	    p->code, title, VOCAB_UNVERIFIED);
}

/* A section made of the text member key of o, when it has one. */
static int
text_section(struct proc *p, const char *title, const json_t *o, const char *key)
{
	char *t = jtext(o, key);
	if (t) {
		section(p, title);
		import_md_blocks(&p->body, t, 0);
	}
	free(t);
	return t != NULL;
}

/* A section listing the names in array key, when it has some. */
static int
names_section(struct proc *p, const char *title, const char *key, int with_code)
{
	json_t *e;
	size_t i, n = 0;
	json_array_foreach(json_object_get(p->j, key), i, e) {
		char *name = one_line(jtext(e, "name"));
		const char *code = with_code ? jstr(e, "code") : NULL;
		if (!name && !code)
			continue;
		if (!n++)
			section(p, title);
		buf_puts(&p->body, "- ");
		if (code && (!name || !strstr(name, code))) {
			import_md_inline(&p->body, code, 0);
			buf_puts(&p->body, name ? ": " : "");
		}
		if (name)
			import_md_inline(&p->body, name, 0);
		buf_putc(&p->body, '\n');
		free(name);
	}
	return n > 0;
}

/* Trình tự thực hiện: each step's name, then its description. */
static void
steps(struct proc *p)
{
	json_t *st;
	size_t i;
	struct buf text = {0};
	json_array_foreach(json_object_get(p->j, "executionSteps"), i, st) {
		char *name = jtext(st, "name"), *desc = jtext(st, "description");
		if (name)
			buf_printf(&text, "%s\n", name);
		if (desc)
			buf_printf(&text, "%s\n", desc);
		free(name);
		free(desc);
	}
	if (text.len) {
		section(p, "Trình tự thực hiện");
		import_md_blocks(&p->body, text.s, 0);
	} else {
		unverified_section(p, "Trình tự thực hiện");
	}
	buf_free(&text);
}

static void
ways(struct proc *p, const struct val *chs)
{
	if (!chs || !chs->n)
		return;
	section(p, "Cách thức thực hiện");
	for (size_t k = 0; k < chs->n; k++) {
		const struct val *ch = &chs->kids[k];
		const char *m = val_str(ch, "method"), *t = val_str(ch, "time"), *f = val_str(ch, "fee"),
		    *note = val_str(ch, "note");
		buf_printf(&p->body, "- %s", method(m, 1, 2));
		if (t)
			buf_printf(&p->body, ": thời hạn giải quyết %s", t);
		if (f) {
			buf_puts(&p->body, t ? "; phí, lệ phí " : ": phí, lệ phí ");
			import_md_inline(&p->body, f, 0);
		}
		if (note) {
			buf_puts(&p->body, ". ");
			import_md_inline(&p->body, note, 0);
		}
		buf_putc(&p->body, '\n');
	}
}

/* The subsection of a dossier group named by the portal ("* Giấy tờ phải
 * nộp:"), or NULL for a group without a name. */
static char *
group_heading(const char *name)
{
	char *t = name ? one_line(import_plain(name)) : NULL;
	char *f = t ? text_fold(t) : NULL;
	char *h = NULL;
	if (f && strstr(f, "xuat trinh"))
		h = xstrdup("Phải xuất trình");
	else if (f && strstr(f, "phai nop"))
		h = xstrdup("Phải nộp");
	else if (t && *t) {
		const char *s = t;
		while (*s == '*' || *s == '-' || *s == '+' || *s == ' ')
			s++;
		size_t n = strlen(s);
		while (n && (s[n - 1] == ':' || s[n - 1] == ' '))
			n--;
		h = n ? xstrndup(s, n) : NULL;
	}
	free(t);
	free(f);
	return h;
}

/* One dossier item: its name, then "(01 bản chính, 01 bản sao)". */
static int
dossier_item(struct buf *b, const json_t *pc)
{
	char *name = one_line(jtext(pc, "name"));
	if (!name)
		return 0;
	const char *s = name;
	while (*s == '-' || *s == '+' || *s == '*' || *s == ' ')
		s++;
	double orig = json_number_value(json_object_get(pc, "originalQty"));
	double copy = json_number_value(json_object_get(pc, "copyQty"));
	size_t n = strlen(s);
	if (orig > 0 || copy > 0)
		while (n && strchr(";,.: ", s[n - 1]))
			n--;
	char *item = xstrndup(s, n);
	buf_puts(b, "- ");
	import_md_inline(b, item, 0);
	if (orig > 0 || copy > 0) {
		buf_puts(b, " (");
		if (orig > 0) {
			number(b, orig, 1);
			buf_puts(b, " bản chính");
		}
		if (copy > 0) {
			buf_puts(b, orig > 0 ? ", " : "");
			number(b, copy, 1);
			buf_puts(b, " bản sao");
		}
		buf_putc(b, ')');
	}
	buf_putc(b, '\n');
	free(item);
	free(name);
	return 1;
}

/* The items of one group, under its subsection when it has a name. */
static size_t
dossier_group(struct buf *b, const json_t *g, const char *heading)
{
	struct buf items = {0};
	size_t i, n = 0;
	json_t *pc;
	json_array_foreach(json_object_get(g, "profileComponents"), i, pc)
		n += (size_t)dossier_item(&items, pc);
	if (n) {
		if (heading)
			buf_printf(b, "%s### %s\n\n", b->len ? "\n" : "", heading);
		else if (b->len)
			buf_putc(b, '\n');
		buf_add(b, items.s, items.len);
	}
	buf_free(&items);
	return n;
}

/* Thành phần hồ sơ: the groups without a name first (Markdown puts a list
 * under the last ### above it), then each named group. */
static void
dossier(struct proc *p)
{
	struct buf b = {0};
	json_t *groups = json_object_get(p->j, "executionCases"), *g;
	size_t i, n = 0;
	for (int named = 0; named < 2; named++)
		json_array_foreach(groups, i, g) {
			char *h = group_heading(jstr(g, "name"));
			if (!h == !named)
				n += dossier_group(&b, g, h);
			free(h);
		}
	if (!n)
		n = dossier_group(&b, p->j, NULL);
	if (n) {
		section(p, "Thành phần hồ sơ");
		buf_add(&p->body, b.s, b.len);
	} else {
		unverified_section(p, "Thành phần hồ sơ");
	}
	buf_free(&b);
}

/* Mẫu đơn, tờ khai: the names of the files attached to dossier items. */
static void
forms(struct proc *p)
{
	json_t *groups = json_object_get(p->j, "executionCases"), *g, *pc, *a;
	size_t i, k, m, n = 0;
	json_array_foreach(groups, i, g)
		json_array_foreach(json_object_get(g, "profileComponents"), k, pc)
			json_array_foreach(json_object_get(pc, "attachments"), m, a) {
				char *name = one_line(jtext(a, "name"));
				if (!name)
					name = one_line(jtext(a, "fileName"));
				if (!name)
					continue;
				if (!n++)
					section(p, "Mẫu đơn, tờ khai");
				buf_puts(&p->body, "- ");
				import_md_inline(&p->body, name, 0);
				buf_putc(&p->body, '\n');
				free(name);
			}
}

static void
body(struct proc *p)
{
	char *desc = jtext(p->j, "description"), *req = jtext(p->j, "requirementsAndConditions");
	if (desc && (!req || strcmp(desc, req) != 0))
		import_md_blocks(&p->body, desc, 0);
	free(desc);
	free(req);
	steps(p);
	ways(p, val_get(p->fm, "channels"));
	dossier(p);
	names_section(p, "Đối tượng thực hiện", "subjectTypesDetails", 0);
	names_section(p, "Kết quả thực hiện", "resultsDetails", 0);
	text_section(p, "Yêu cầu, điều kiện", p->j, "requirementsAndConditions");
	if (!names_section(p, "Căn cứ pháp lý", "legalBasisesDetails", 1) &&
	    !text_section(p, "Căn cứ pháp lý", p->j, "legalBasis"))
		unverified_section(p, "Căn cứ pháp lý");
	forms(p);
}

/* ------------------------------------------------------------ a file */

/* The code and name of procedure j, or an error. 0 when both are there. */
static int
identity(struct import_ctx *c, const char *file, json_t *j, const char **code, const char **name,
    char *num, size_t nnum)
{
	json_t *cv = json_object_get(j, "code");
	if (!trimmed(cv) && !json_is_real(cv))
		cv = json_object_get(j, "codeNotation");
	*code = trimmed(cv);
	if (json_is_real(cv)) {           /* 1.001193 written as a number */
		snprintf(num, nnum, "%.6f", json_real_value(cv));
		*code = num;
	}
	*name = jstr(j, "name");
	if (!*code || !*name) {
		import_error(c, file, 0, 0, "the procedure has no '%s'", !*code ? "code" : "name");
		return -1;
	}
	if (!code_valid(*code)) {
		import_error(c, file, 0, 0, "procedure code must look like 1.001193, not '%s'", *code);
		return -1;
	}
	return 0;
}

/* The code in the front matter of the procedure file at path, or NULL. */
static char *
code_in(const char *path)
{
	FILE *f = fopen(path, "rb");
	char line[512], *code = NULL;
	for (int k = 0; f && !code && k < 200 && fgets(line, sizeof line, f); k++) {
		if (k > 0 && strncmp(line, "---", 3) == 0)
			break;
		if (strncmp(line, "code:", 5) == 0) {
			char *v = line + 5 + strspn(line + 5, " \"'");
			code = xstrndup(v, strcspn(v, " \"'\r\n#"));
		}
	}
	if (f)
		fclose(f);
	return code;
}

/* The file name of procedure code: the slug of its name, unless an
 * earlier procedure of this import or a file of another procedure has it;
 * then the slug and the code. */
static char *
file_name(struct import_ctx *c, const char *name, const char *code, struct import_out *outs, size_t i)
{
	char *slug = import_slug(name, code);
	char *path = xasprintf("%s/procedures/%s.md", c->dir, slug), *other = code_in(path);
	int taken = other && strcmp(other, code) != 0;
	for (size_t k = 0; k < i && !taken; k++)
		taken = strcmp(outs[k].slug, slug) == 0;
	free(path);
	free(other);
	if (taken) {
		char *cs = text_slug(code), *both = xasprintf("%s-%s", slug, cs);
		free(cs);
		free(slug);
		slug = both;
	}
	return slug;
}

/* The Markdown file of procedure j into outs[i]. 0, or -1 after an error. */
static int
convert(struct import_ctx *c, const char *file, json_t *j, struct import_out *outs, size_t i)
{
	struct import_out *out = &outs[i];
	char num[64];
	struct proc p = { .c = c, .file = file, .j = j };
	if (identity(c, file, j, &p.code, &p.name, num, sizeof num) != 0)
		return -1;
	char *code = xstrdup(p.code), *name = one_line(import_plain(p.name));
	p.code = code;
	p.name = name;
	p.fm = val_new(V_MAP);
	front_matter(&p);
	body(&p);
	out->folder = xstrdup("procedures");
	out->slug = file_name(c, p.name, p.code, outs, i);
	import_front_matter(&out->text, p.fm);
	buf_add(&out->text, p.body.s, p.body.len);
	buf_free(&p.body);
	val_free(p.fm);
	free(code);
	free(name);
	return 0;
}

int
import_dvcqg(struct import_ctx *c, const char *file)
{
	size_t len;
	char *data = import_read(c, file, &len);
	if (!data)
		return EXIT_CONTENT;
	json_error_t err;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	free(data);
	if (!root) {
		import_error(c, file, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 1,
		    "JSON: %s", err.text);
		return EXIT_CONTENT;
	}
	json_t **procs = NULL;
	size_t n = 0;
	collect(root, &procs, &n, 0);
	struct import_out *outs = xcalloc(n ? n : 1, sizeof *outs);
	int rc = n ? EXIT_OK : EXIT_CONTENT;
	if (!n)
		import_error(c, file, 0, 0, "no procedure here: expected an object with 'code' and 'name' "
		    "(or {\"data\": ...} or a list of them)");
	for (size_t i = 0; i < n && rc == EXIT_OK; i++)
		if (convert(c, file, procs[i], outs, i) != 0)
			rc = EXIT_CONTENT;
	if (rc == EXIT_OK)
		rc = import_write(c, file, outs, n);
	import_outs_free(outs, n ? n : 1);
	free(procs);
	json_decref(root);
	return rc;
}
