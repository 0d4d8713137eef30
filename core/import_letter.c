/*
 * import_letter.c — `congkhai import letter`: the plain text of an official
 * letter (công văn: a Markdown export, text copied out of a PDF with its
 * lines broken, or a news item about a letter) into news/<slug>.md with
 * kind: van-ban (SPEC §3).
 *
 * The text is first made into logical lines: a line that goes on from the
 * one before (it starts in lower case, or the one before ends with a word
 * such as "và") is joined to it, across the blank lines a PDF leaves. Then
 * the header is read from the top (issuer, national motto, "Số:", "V/v",
 * "..., ngày .. tháng .. năm ....", "Kính gửi:" and its list), the closing
 * from the bottom (the signer's title, "Nơi nhận:" and its list, the
 * signer's name), and what lies between is the body. What cannot be found
 * is a warning; nothing is guessed. Owns nothing beyond one call.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "import.h"

/* A logical line: its text (Markdown as written), its plain text (no
 * emphasis markers) for reading, its first line in the file. */
struct line {
	char *text, *plain;
	int no;
};

struct letter {
	struct import_ctx *c;
	const char *file;
	struct line *l;
	size_t n;
	size_t body, tail;           /* the body is lines [body, tail) */
	int news;                    /* no letter header: a news item about a letter */
	char *number, *issuer, *subject, *headline, *signer, *authority, *signer_title;
	char *date, *posted;         /* YYYY-MM-DD: the letter's; a news item's */
	char **recipients, **distribution;
	size_t nrecipients, ndistribution;
	int blank_number;            /* line of a "Số:" left blank, or 0 */
	char *blank_number_text;
	int date_line, day, month, year;
	char *date_text;             /* the date line as written */
};

/* Words that never end a Vietnamese sentence: a line ending with one goes
 * on in the next. */
static const char *const connectors[] = {
	"và", "của", "các", "với", "tại", "theo", "cho", "về", "trong", "từ", "đến", "những",
	"được", "là", "hoặc", "để", "thì", "mà", "bằng", "trên", "do", "vào", NULL };

/* What web pages put around a news item ("Các tin khác"), folded. */
static const char *const chrome[] = {
	"danh gia bai viet", "cac tin khac", "tin khac", "tin lien quan", "tin cung chuyen muc",
	"in bai viet", "chia se", "quay lai", "ve dau trang", "gui bai viet", NULL };

/* ------------------------------------------------------ characters */

/* The first code point of s, and its length in *n. */
static utf8proc_int32_t
first_cp(const char *s, utf8proc_ssize_t *n)
{
	utf8proc_int32_t cp = -1;
	*n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
	return *n > 0 ? cp : -1;
}

/* Letters in s: whether there are some, and none in lower case. */
static int
upper_line(const char *s)
{
	int upper = 0;
	while (*s) {
		utf8proc_ssize_t n;
		utf8proc_int32_t cp = first_cp(s, &n);
		if (cp < 0)
			return 0;
		if (utf8proc_islower(cp))
			return 0;
		upper += utf8proc_isupper(cp);
		s += n;
	}
	return upper >= 2;
}

/* A person's name: two to six words, each a capital and lower-case letters. */
static int
name_line(const char *s)
{
	int words = 0, at_start = 1;
	if (strlen(s) > 60)
		return 0;
	while (*s) {
		utf8proc_ssize_t n;
		utf8proc_int32_t cp = first_cp(s, &n);
		if (cp == ' ') {
			at_start = 1;
		} else if (at_start ? !utf8proc_isupper(cp) : !utf8proc_islower(cp)) {
			return 0;
		} else if (at_start) {
			words++;
			at_start = 0;
		}
		s += n > 0 ? n : 1;
	}
	return words >= 2 && words <= 6;
}

/* s starts with a letter in lower case that is not an item label ("a)"). */
static int
starts_lower(const char *s)
{
	utf8proc_ssize_t n;
	utf8proc_int32_t cp = first_cp(s, &n);
	return cp > 0 && utf8proc_islower(cp) && s[n] != ')' && s[n] != '.';
}

/* s with its first letter in upper case. */
static char *
capitalised(const char *s)
{
	utf8proc_ssize_t n;
	utf8proc_int32_t cp = first_cp(s, &n);
	if (cp < 0)
		return xstrdup(s);
	utf8proc_uint8_t up[8];
	utf8proc_ssize_t k = utf8proc_encode_char(utf8proc_toupper(cp), up);
	return xasprintf("%.*s%s", (int)k, (const char *)up, s + n);
}

/* The folded s starts with prefix. */
static int
folded_prefix(const char *s, const char *prefix)
{
	char *f = text_fold(s);
	int yes = strncmp(f, prefix, strlen(prefix)) == 0;
	free(f);
	return yes;
}

/* The n bytes at s end with end. */
static int
ends_with(const char *s, size_t n, const char *end)
{
	size_t k = strlen(end);
	return n >= k && memcmp(s + n - k, end, k) == 0;
}

/* The last word of the n bytes at s is one that never ends a sentence. */
static int
ends_with_connector(const char *s, size_t n)
{
	const char *w = memrchr(s, ' ', n);
	w = w ? w + 1 : s;
	for (const char *const *c = connectors; *c; c++)
		if (strlen(*c) == (size_t)(s + n - w) && memcmp(w, *c, strlen(*c)) == 0)
			return 1;
	return 0;
}

/* s without "**" and "__" and the '*' or '_' at its ends. */
static char *
plain_of(const char *s)
{
	struct buf b = {0};
	for (; *s; s++) {
		if ((s[0] == '*' && s[1] == '*') || (s[0] == '_' && s[1] == '_')) {
			s++;
			continue;
		}
		buf_putc(&b, *s);
	}
	char *p = buf_steal(&b);
	size_t n = strlen(p), i = 0;
	while (n && (p[n - 1] == '*' || p[n - 1] == '_' || p[n - 1] == ' '))
		p[--n] = '\0';
	while (p[i] == '*' || p[i] == '_' || p[i] == ' ')
		i++;
	memmove(p, p + i, n - i + 1);
	return p;
}

/* ------------------------------------------------------------ lines */

/* One line of the file: trimmed; a "**" that opens or closes a bold run
 * over several lines (a Markdown export's header) removed, since the
 * lines no longer stay together; "# " of a heading removed. */
static char *
clean_line(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	size_t h = strspn(s, "#");
	if (h && h <= 6 && h < n && s[h] == ' ') {    /* a Markdown heading: its text */
		s += h;
		n -= h;
		while (n && *s == ' ') {
			s++;
			n--;
		}
	}
	char *l = xstrndup(s, n);
	int bolds = 0;
	for (char *p = strstr(l, "**"); p; p = strstr(p + 2, "**"))
		bolds++;
	if (bolds % 2 && strncmp(l, "**", 2) == 0)
		memmove(l, l + 2, strlen(l) - 1);
	else if (bolds % 2 && ends_with(l, strlen(l), "**"))
		l[strlen(l) - 2] = '\0';
	size_t k = 0;                /* runs of spaces (and tabs) made one space */
	for (size_t i = 0; l[i]; i++)
		if (!((l[i] == ' ' || l[i] == '\t') && k > 0 && l[k - 1] == ' '))
			l[k++] = l[i] == '\t' ? ' ' : l[i];
	while (k && l[k - 1] == ' ')
		k--;
	l[k] = '\0';
	return l;
}

/* Only rule characters ("-----", "___"): decoration. */
static int
rule_line(const char *s)
{
	return strspn(s, "-_=*. ") == strlen(s);
}

static void
add_line(struct letter *L, char *text, int no)
{
	L->l = import_grow(L->l, L->n, sizeof *L->l);
	L->l[L->n].text = text;
	L->l[L->n].plain = plain_of(text);
	L->l[L->n].no = no;
	L->n++;
}

/* Line b goes on from line a (n bytes): b starts in lower case, or a ends
 * with a word that ends no sentence, or a is a long list item without a
 * full stop and b no label ("Thời gian thực hiện: ..."), title or name. */
static int
goes_on(const char *a, size_t n, const char *b)
{
	if (import_list_item(b) || ends_with(a, n, ":") || ends_with(a, n, "./."))
		return 0;
	if (starts_lower(b) || ends_with_connector(a, n))
		return 1;
	const char *colon = strchr(b, ':');
	return import_list_item(a) && n >= 60 && !strchr(".;!?", a[n - 1]) && !(colon && colon - b < 40) &&
	    !upper_line(b) && !name_line(b);
}

/* The file's lines as logical lines (see the top of this file). */
static void
read_lines(struct letter *L, const char *text)
{
	struct buf cur = {0};
	int no = 0, first = 0;
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *l = clean_line(text, n);
		text += n + (text[n] == '\n');
		no++;
		if (*l && !rule_line(l)) {
			if (cur.len && goes_on(cur.s, cur.len, l)) {
				buf_putc(&cur, ' ');
			} else if (cur.len) {
				add_line(L, buf_steal(&cur), first);
				first = no;
			} else {
				first = no;
			}
			buf_puts(&cur, l);
		}
		free(l);
	}
	if (cur.len)
		add_line(L, buf_steal(&cur), first);
	buf_free(&cur);
}

/* A date written with digits, "6-10-2023", "04/6/2024", into YYYY-MM-DD. */
static char *
digit_date(const char *w)
{
	int d, m, y, nd, nm, ny;
	char sep1, sep2, out[16];
	if (sscanf(w, "%2d%n%c%2d%n%c%4d%n", &d, &nd, &sep1, &m, &nm, &sep2, &y, &ny) != 5 ||
	    !strchr("-/.", sep1) || sep1 != sep2 || ny - nm != 5)
		return NULL;
	snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
	int yy, mm, dd;
	return date_valid(out, &yy, &mm, &dd) ? xstrdup(out) : NULL;
}

/* Drop what a web page puts around a news item; keep the date it was
 * posted ("Đăng ngày 13-10-2023 11:56, Lượt xem: 144"). */
static void
drop_chrome(struct letter *L)
{
	size_t k = 0;
	for (size_t i = 0; i < L->n; i++) {
		char *f = text_fold(L->l[i].plain);
		size_t n = strlen(f);
		while (n && (f[n - 1] == ':' || f[n - 1] == '.'))
			f[--n] = '\0';
		int drop = 0;
		for (const char *const *c = chrome; *c && !drop; c++)
			drop = strcmp(f, *c) == 0;
		if (i < 3 && (strncmp(f, "dang ngay ", 10) == 0 || strncmp(f, "ngay dang", 9) == 0)) {
			const char *w = strstr(f, "ngay") + 4;
			w += strcspn(w, "0123456789");
			if (!L->posted)
				L->posted = digit_date(w);
			drop = 1;
		}
		drop |= strstr(f, "luot xem") != NULL && strlen(f) < 80;
		free(f);
		if (drop) {
			free(L->l[i].text);
			free(L->l[i].plain);
		} else {
			L->l[k++] = L->l[i];
		}
	}
	L->n = k;
}

/* ----------------------------------------------------------- header */

/* "..., ngày 13 tháng 7 năm 2023" in the folded f, any number left blank
 * as 0; 1 when the words are there. */
static int
date_words(const char *f, int *d, int *m, int *y)
{
	for (const char *p = strstr(f, "ngay"); p; p = strstr(p + 1, "ngay")) {
		char *e;
		const char *q = p + 4;
		*d = (int)strtol(q, &e, 10);
		q = e + strspn(e, " ");
		if (strncmp(q, "thang", 5) != 0)
			continue;
		*m = (int)strtol(q + 5, &e, 10);
		q = e + strspn(e, " ");
		if (strncmp(q, "nam", 3) != 0)
			continue;
		*y = (int)strtol(q + 3, &e, 10);
		return 1;
	}
	return 0;
}

static int
motto(const char *f)
{
	return strncmp(f, "cong hoa xa hoi chu nghia", 25) == 0 ||
	    (strncmp(f, "doc lap", 7) == 0 && strstr(f, "hanh phuc"));
}

/* "Số: 4945/UBND-NV": the number into L, or the line noted as blank. */
static int
number_line(struct letter *L, const struct line *l, const char *f)
{
	if (strncmp(f, "so", 2) != 0 || (f[2] != ':' && f[2] != ' '))
		return 0;
	const char *p = f + 2 + strspn(f + 2, ": ");
	if (!isdigit((unsigned char)*p) && *p != '/' && (*p || f[2] != ':'))
		return 0;
	const char *t = l->plain + strcspn(l->plain, ":0123456789/");
	t += *t == ':';
	t += strspn(t, " ");
	size_t n = strcspn(t, " ");
	if (t[n] == ' ' && t[n + 1] == '/')      /* "4945 /UBND-NV" */
		n += 1 + strcspn(t + n + 1, " ");
	while (n && strchr(",;.", t[n - 1]))
		n--;
	if (!L->number && n && isdigit((unsigned char)*t) && memchr(t, '/', n)) {
		L->number = xstrndup(t, n);
		char *sp = strchr(L->number, ' ');
		if (sp)
			memmove(sp, sp + 1, strlen(sp));
	}
	else if (!L->number && !L->blank_number) {
		L->blank_number = l->no;
		L->blank_number_text = xstrdup(l->plain);
	}
	return 1;
}

/* "V/v triển khai ..." or "Về việc ...": the subject, as written. */
static int
subject_line(struct letter *L, const struct line *l, const char *f)
{
	if (strncmp(f, "v/v", 3) != 0 && strncmp(f, "ve viec ", 8) != 0)
		return 0;
	if (!L->subject)
		L->subject = xstrdup(l->plain);
	return 1;
}

static int
date_line(struct letter *L, const struct line *l, const char *f)
{
	int d = 0, m = 0, y = 0;
	if (strlen(f) > 120 || !strchr(f, ',') || !date_words(f, &d, &m, &y))
		return 0;
	if (!L->date_line) {
		L->date_line = l->no;
		L->day = d, L->month = m, L->year = y;
		L->date_text = xstrdup(l->plain);
	}
	return 1;
}

static void
push(char ***list, size_t *n, const char *item)
{
	size_t k = strlen(item);
	while (k && strchr(";,. ", item[k - 1]))
		k--;
	if (!k)
		return;
	*list = import_grow(*list, *n, sizeof **list);
	(*list)[(*n)++] = xstrndup(item, k);
}

/* "Kính gửi: X" or "Kính gửi:" and a list: the recipients; returns the
 * line after them. */
static size_t
recipients(struct letter *L, size_t i)
{
	const char *after = strchr(L->l[i].plain, ':');
	if (after && after[1 + strspn(after + 1, " ")])
		push(&L->recipients, &L->nrecipients, after + 1 + strspn(after + 1, " "));
	for (i++; i < L->n && import_list_item(L->l[i].plain); i++)
		push(&L->recipients, &L->nrecipients, import_list_item(L->l[i].plain));
	return i;
}

/* Read the header from the top; the body starts after it. A text with
 * none of a letter's header is a news item: its first line the headline. */
static void
header(struct letter *L)
{
	struct buf issuer = {0};
	int started = 0;             /* a header element seen: the issuer's lines are over */
	size_t i;
	for (i = 0; i < L->n; i++) {
		const struct line *l = &L->l[i];
		char *f = text_fold(l->plain);
		int known = motto(f) || number_line(L, l, f) || subject_line(L, l, f) || date_line(L, l, f);
		int greeting = !known && strncmp(f, "kinh gui", 8) == 0;
		free(f);
		if (greeting) {
			i = recipients(L, i);
			break;
		}
		if (!known && !(upper_line(l->plain) && strlen(l->plain) < 120))
			break;
		if (!known && !started)
			buf_printf(&issuer, "%s%s", issuer.len ? " " : "", l->plain);
		else if (!known && !L->headline)
			L->headline = xstrdup(l->plain);   /* "THÔNG BÁO", under the header */
		started |= known;
	}
	L->news = !L->date_line && !L->nrecipients && !L->number && !L->blank_number && !L->subject;
	L->body = i;
	if (L->news && issuer.len && !L->headline)   /* a headline in capitals, not an issuer */
		L->headline = buf_steal(&issuer);
	else if (issuer.len)
		L->issuer = buf_steal(&issuer);
	buf_free(&issuer);
	if (L->news && !L->headline && i < L->n && strlen(L->l[i].plain) < 250 &&
	    !ends_with(L->l[i].plain, strlen(L->l[i].plain), ".")) {
		L->headline = xstrdup(L->l[i].plain);
		L->body = i + 1;
	}
}

/* ------------------------------------------------------------ closing */

static int
noi_nhan(const char *plain)
{
	return folded_prefix(plain, "noi nhan");
}

/* "KT. CHỦ TỊCH", "TL. ...", "TM. ...": signing on behalf of another. */
static int
authority_line(const char *plain)
{
	static const char *const marks[] = { "kt.", "tl.", "tm.", "tuq.", "q.", "ky thay", "thua lenh",
		"thay mat", NULL };
	for (const char *const *m = marks; *m; m++)
		if (folded_prefix(plain, *m))
			return 1;
	return 0;
}

/* Find the closing from the bottom: titles, "Nơi nhận:" and its list, the
 * name. A closing needs a name, a "Nơi nhận" or an authority line. */
static void
closing(struct letter *L)
{
	size_t j = L->n;
	int anchor = 0;
	while (j > L->body) {
		const char *p = L->l[j - 1].plain;
		int upper = upper_line(p) && strlen(p) < 80;
		if (!(name_line(p) || upper || noi_nhan(p) || import_list_item(p)))
			break;
		anchor |= name_line(p) || noi_nhan(p) || authority_line(p);
		j--;
	}
	while (j < L->n && import_list_item(L->l[j].plain))   /* the body's last list */
		j++;
	L->tail = anchor ? j : L->n;
	struct buf title = {0};
	int in_list = 0;
	for (size_t i = L->tail; i < L->n; i++) {
		const char *p = L->l[i].plain;
		if (noi_nhan(p)) {
			const char *after = strchr(p, ':');
			if (after && after[1 + strspn(after + 1, " ")])
				push(&L->distribution, &L->ndistribution, after + 1 + strspn(after + 1, " "));
			in_list = 1;
		} else if (import_list_item(p) && in_list) {
			push(&L->distribution, &L->ndistribution, import_list_item(p));
		} else if (name_line(p)) {
			free(L->signer);
			L->signer = xstrdup(p);
		} else if (authority_line(p) && !L->authority) {
			L->authority = xstrdup(p);
		} else if (upper_line(p)) {
			buf_printf(&title, "%s%s", title.len ? " " : "", p);
		}
	}
	L->signer_title = title.len ? buf_steal(&title) : NULL;
	buf_free(&title);
}

/* --------------------------------------------------- a news item's facts */

/* The word w folded is f. */
static int
word_is(const char *w, const char *f)
{
	char *fw = text_fold(w);
	int yes = strcmp(fw, f) == 0;
	free(fw);
	return yes;
}

/* In the first lines of a news item, "Công văn số N ngày D-M-YYYY": the
 * number of the letter it is about, and that letter's date. */
static void
cited_letter(struct letter *L, char **date)
{
	for (size_t i = L->body; i < L->tail && i < L->body + 2 && !L->number; i++) {
		char *copy = xstrdup(L->l[i].plain), *save = NULL, **w = NULL;
		size_t n = 0;
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			w = import_grow(w, n, sizeof *w);
			w[n++] = t;
		}
		for (size_t k = 0; k + 3 < n && !L->number; k++) {
			if (!((word_is(w[k], "cong") && word_is(w[k + 1], "van")) ||
			    (word_is(w[k], "van") && word_is(w[k + 1], "ban"))) || !word_is(w[k + 2], "so"))
				continue;
			size_t len = strlen(w[k + 3]);
			while (len && strchr(",;.:)", w[k + 3][len - 1]))
				len--;
			if (!isdigit((unsigned char)w[k + 3][0]) || !memchr(w[k + 3], '/', len))
				continue;
			L->number = xstrndup(w[k + 3], len);
			if (k + 5 < n && word_is(w[k + 4], "ngay"))
				*date = digit_date(w[k + 5]);
		}
		free(w);
		free(copy);
	}
}

/* The letter's date: its own ("ngày 13 tháng 7 năm 2023"), else for a
 * news item the cited letter's or the posting's, else --date, which must
 * agree with what the letter gives of it. 0, or -1 after an error. */
static int
letter_date(struct letter *L, const char *cited)
{
	struct import_ctx *c = L->c;
	char found[32] = "";
	int y, m, d;
	if (L->date_line && L->day && L->month && L->year)
		snprintf(found, sizeof found, "%04d-%02d-%02d", L->year, L->month, L->day);
	else if (!L->date_line && (cited || L->posted))
		snprintf(found, sizeof found, "%s", cited ? cited : L->posted);
	if (*found && !date_valid(found, &y, &m, &d)) {
		import_error(c, L->file, L->date_line, 1, "'%s' is not a real date", L->date_text);
		return -1;
	}
	if (*found) {
		if (c->date && strcmp(c->date, found) != 0)
			import_warn(c, L->file, L->date_line, 1, "the letter is dated %s; --date is not used", found);
		L->date = xstrdup(found);
		return 0;
	}
	if (!c->date) {
		if (L->date_line)
			import_error(c, L->file, L->date_line, 1,
			    "the date is left blank ('%s'); give it with --date YYYY-MM-DD", L->date_text);
		else
			import_error(c, L->file, 0, 0,
			    "no date found (', ngày ... tháng ... năm ...'); give it with --date YYYY-MM-DD");
		return -1;
	}
	date_valid(c->date, &y, &m, &d);
	if ((L->year && L->year != y) || (L->month && L->month != m) || (L->day && L->day != d)) {
		import_error(c, L->file, L->date_line, 1, "--date %s does not agree with the letter's '%s'",
		    c->date, L->date_text);
		return -1;
	}
	L->date = xstrdup(c->date);
	return 0;
}

/* The title: the subject without "V/v" (or "Về việc"), else the headline. */
static char *
title_of(const struct letter *L)
{
	if (!L->subject)
		return L->headline ? xstrdup(L->headline) : NULL;
	const char *s = L->subject;
	int words = folded_prefix(s, "v/v") ? 1 : 2;
	for (int k = 0; k < words; k++)
		s += strcspn(s, " ") + strspn(s + strcspn(s, " "), " ");
	s += strspn(s, ": ");
	size_t n = strlen(s);
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	if (!n)
		return L->headline ? xstrdup(L->headline) : NULL;
	char *t = xstrndup(s, n), *cap = capitalised(t);
	free(t);
	return cap;
}

/* What the letter does not say, as warnings. */
static void
report_missing(struct letter *L)
{
	struct import_ctx *c = L->c;
	if (!L->number && L->blank_number)
		import_warn(c, L->file, L->blank_number, 1, "the số hiệu is left blank ('%s'); none written",
		    L->blank_number_text);
	else if (!L->number)
		import_warn(c, L->file, 0, 0, "no số hiệu found");
	if (!L->issuer)
		import_warn(c, L->file, 0, 0, "no issuer found");
	if (!L->signer)
		import_warn(c, L->file, 0, 0, "no signer found");
	if (!L->nrecipients)
		import_warn(c, L->file, 0, 0, "no recipients (Kính gửi) found");
	if (!L->subject && L->headline)
		import_warn(c, L->file, 0, 0, "no 'V/v' subject found; the title is the headline");
}

/* ------------------------------------------------------------- output */

static void
front_matter(struct letter *L, struct val *fm, const char *title)
{
	import_add_str(fm, "title", title);
	import_add_str(fm, "date", L->date);
	import_add_str(fm, "kind", "van-ban");
	import_add_str(fm, "summary", L->subject);
	import_add_str(fm, "number", L->number);
	import_add_str(fm, "issuer", L->issuer);
	import_add_str(fm, "signer", L->signer);
	import_add_str(fm, "x-authority", L->authority);
	import_add_str(fm, "x-signer_title", L->signer_title);
	if (L->nrecipients) {
		struct val *r = import_add(fm, "recipients", V_LIST);
		for (size_t i = 0; i < L->nrecipients; i++)
			import_add_str(r, NULL, L->recipients[i]);
	}
}

/* The body, then the signature block and "Nơi nhận" as the letter has them. */
static void
body(struct letter *L, struct buf *b)
{
	struct buf text = {0};
	for (size_t i = L->body; i < L->tail; i++)
		buf_printf(&text, "%s\n", L->l[i].text);
	import_md_blocks(b, buf_cstr(&text), 1);
	buf_free(&text);
	if (L->authority || L->signer_title || L->signer) {
		buf_putc(b, '\n');
		if (L->authority)
			buf_printf(b, "**%s**%s\n", L->authority, L->signer_title ? "\\" : "");
		if (L->signer_title)
			buf_printf(b, "**%s**\n", L->signer_title);
		if (L->signer)
			buf_printf(b, "%s%s\n", L->authority || L->signer_title ? "\n" : "", L->signer);
	}
	if (L->ndistribution) {
		buf_puts(b, "\n**Nơi nhận:**\n\n");
		for (size_t i = 0; i < L->ndistribution; i++) {
			buf_puts(b, "- ");
			import_md_inline(b, L->distribution[i], 1);
			buf_putc(b, '\n');
		}
	}
}

static void
letter_free(struct letter *L)
{
	for (size_t i = 0; i < L->n; i++) {
		free(L->l[i].text);
		free(L->l[i].plain);
	}
	free(L->l);
	for (size_t i = 0; i < L->nrecipients; i++)
		free(L->recipients[i]);
	for (size_t i = 0; i < L->ndistribution; i++)
		free(L->distribution[i]);
	free(L->recipients);
	free(L->distribution);
	free(L->number);
	free(L->issuer);
	free(L->subject);
	free(L->headline);
	free(L->signer);
	free(L->authority);
	free(L->signer_title);
	free(L->date);
	free(L->posted);
	free(L->blank_number_text);
	free(L->date_text);
}

/* The article of L into out: front matter, body. */
static void
article(struct letter *L, const char *title, struct import_out *out)
{
	struct val *fm = val_new(V_MAP);
	front_matter(L, fm, title);
	out->folder = xstrdup("news");
	out->slug = import_slug(title, L->number);
	import_front_matter(&out->text, fm);
	buf_putc(&out->text, '\n');
	body(L, &out->text);
	val_free(fm);
}

int
import_letter(struct import_ctx *c, const char *file)
{
	size_t len;
	char *raw = import_read(c, file, &len);
	if (!raw)
		return EXIT_CONTENT;
	char *text = text_nfc(raw, len);
	free(raw);
	struct letter L = { .c = c, .file = file };
	read_lines(&L, text ? text : "");
	free(text);
	drop_chrome(&L);
	int rc = EXIT_OK;
	char *cited = NULL, *title = NULL;
	if (!L.n) {
		import_error(c, file, 0, 0, "the letter has no text");
		rc = EXIT_CONTENT;
	} else {
		header(&L);
		L.tail = L.n;
		closing(&L);
		if (L.news)
			cited_letter(&L, &cited);
		title = title_of(&L);
		if (letter_date(&L, cited) != 0)
			rc = EXIT_CONTENT;
		if (!title) {
			import_error(c, file, 0, 0, "no title found: no 'V/v' subject and no headline");
			rc = EXIT_CONTENT;
		}
		report_missing(&L);
	}
	if (rc == EXIT_OK) {
		struct import_out *out = xcalloc(1, sizeof *out);
		article(&L, title, out);
		rc = import_write(c, file, out, 1);
		import_outs_free(out, 1);
	}
	free(cited);
	free(title);
	letter_free(&L);
	return rc;
}
