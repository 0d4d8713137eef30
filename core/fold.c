/*
 * fold.c — the one text-folding definition of congkhai (SPEC §6), on utf8proc.
 *
 *   fold(s) = NFC → lower case → combining marks removed → đ → d
 *
 * The same definition makes slugs (fold, then every run of characters
 * other than [a-z0-9] becomes one '-'), feeds the search index's
 * tokenizer, and is mirrored by the browser's search script; the shared
 * vectors in tests/fixtures/fold-vectors.txt prove they agree.
 * Also here: UTF-8 validation with the offending byte offset, NFC, and a
 * Vietnamese collation key. Every returned string is malloc'd; the
 * caller frees it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "congkhai.h"

long
utf8_invalid_at(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {      /* ASCII: one byte, always valid */
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(len - i), &cp);
		if (n < 0)
			return (long)i;
		i += (size_t)n;
	}
	return -1;
}

/*
 * A conservative NFC quick check: true when every code point lies in a
 * range that has no combining marks and no canonical decompositions that
 * NFC would change: below U+0300 (Latin, Latin-1 and Latin Extended), the
 * precomposed Vietnamese letters (U+1E00–U+1EFF), typographic punctuation
 * (U+2010–U+206F) and currency signs (U+20A0–U+20CF). Such text is NFC as
 * it is; everything else goes through utf8proc (which also rejects text
 * that is not UTF-8). Every sequence accepted here is checked to be valid
 * UTF-8, so this is the only pass over text that needs no normalising.
 */
static int
surely_nfc(const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	while (p < end) {
		unsigned c = *p, cp;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c < 0xE0 && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
			cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
			p += 2;
		} else if (c >= 0xE0 && c < 0xF0 && end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
		    (p[2] & 0xC0) == 0x80) {
			cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
			p += 3;
			if (cp < 0x800)          /* overlong */
				return 0;
		} else
			return 0;
		/* C0/C1 leads are refused above, 3-byte sequences below U+0800 just
		 * now, and the ranges accepted end below the surrogates */
		if (!(cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x206F) ||
		    (cp >= 0x20A0 && cp <= 0x20CF)))
			return 0;
	}
	return 1;
}

char *
text_nfc(const char *s, size_t len)
{
	if (surely_nfc((const unsigned char *)s, len))
		return xstrndup(s, len);
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return NULL;
	return (char *)out;
}

/* The fold of one code point, UTF-8 encoded into out (at most 16 bytes
 * are kept); returns its length. */
static size_t
fold_cp(utf8proc_int32_t cp, char *out)
{
	utf8proc_int32_t dec[32];
	if (cp == 0x0111 || cp == 0x0110) {     /* đ Đ */
		out[0] = 'd';
		return 1;
	}
	int bound = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char(cp, dec, 32,
	    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &bound);
	size_t len = 0;
	for (utf8proc_ssize_t i = 0; i < n && n <= 32; i++) {
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t m = utf8proc_encode_char(dec[i] == 0x0111 ? 'd' : dec[i], enc);
		if (len + (size_t)m > 16)
			break;
		memcpy(out + len, enc, (size_t)m);
		len += (size_t)m;
	}
	return len;
}

/* Folds of the code points below U+2000 (every Vietnamese letter but the
 * U+1Exx block, which is below too), computed once. */
#define FOLD_TABLE 0x2000
static struct { unsigned char len; char s[16]; } fold_table[FOLD_TABLE];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void
fold_table_init(void)
{
	for (utf8proc_int32_t cp = 0x80; cp < FOLD_TABLE; cp++)
		fold_table[cp].len = (unsigned char)fold_cp(cp, fold_table[cp].s);
}

/* Decompose, drop marks, lower-case; đ/Đ have no decomposition. One code
 * point at a time, ASCII directly, U+0080–U+1FFF from a table: the same
 * result as mapping the whole string (with marks stripped, their canonical
 * order does not matter). */
char *
text_fold(const char *s)
{
	struct buf b = {0};
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	pthread_once(&fold_once, fold_table_init);
	while (*p) {
		if (*p < 0x80) {
			buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
			p++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0) {                    /* not UTF-8: dropped */
			p++;
			continue;
		}
		p += k;
		if (cp < FOLD_TABLE) {
			buf_add(&b, fold_table[cp].s, fold_table[cp].len);
		} else {
			char f[16];
			buf_add(&b, f, fold_cp(cp, f));
		}
	}
	return buf_steal(&b);
}

char *
text_slug(const char *s)
{
	char *f = text_fold(s);
	struct buf b = {0};
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)f; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			if (dash && b.len > 0)
				buf_putc(&b, '-');
			buf_putc(&b, (char)*p);
			dash = 0;
		} else if (*p >= 'A' && *p <= 'Z') {
			if (dash && b.len > 0)
				buf_putc(&b, '-');
			buf_putc(&b, (char)(*p - 'A' + 'a'));
			dash = 0;
		} else {
			dash = 1;
		}
	}
	free(f);
	return buf_steal(&b);
}

/*
 * Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q
 * r s t u ư v x y (f j w z in their Latin places), tones only breaking ties
 * (none, huyền, hỏi, ngã, sắc, nặng). The key is one byte per letter, a
 * 0x01 separator, then one tone digit per letter: byte order of keys is
 * the collation order. Spaces and punctuation sort before digits, digits
 * before letters.
 */
static int
letter_rank(utf8proc_int32_t c, int breve, int circ, int horn, int stroke)
{
	static const unsigned char latin[26] = {
	/* a  b  c  d  e   f   g   h   i   j   k   l   m   n   o   p   q   r   s   t   u   v   w   x   y   z */
	   1, 4, 5, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26, 27, 29, 30, 31, 32, 33 };
	if (c < 'a' || c > 'z')
		return 0;
	int r = latin[c - 'a'];
	if (c == 'a') r += breve ? 1 : circ ? 2 : 0;
	if (c == 'd') r += stroke;
	if (c == 'e') r += circ;
	if (c == 'o') r += circ ? 1 : horn ? 2 : 0;
	if (c == 'u') r += horn;
	return r;
}

static int
tone_of(utf8proc_int32_t m)
{
	switch (m) {
	case 0x0300: return 1;   /* huyền */
	case 0x0309: return 2;   /* hỏi */
	case 0x0303: return 3;   /* ngã */
	case 0x0301: return 4;   /* sắc */
	case 0x0323: return 5;   /* nặng */
	default:     return 0;
	}
}

char *
text_sortkey(const char *s)
{
	utf8proc_uint8_t *dec = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, -1, &dec,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0)
		return xstrdup(s);
	struct buf prim = {0}, tones = {0};
	utf8proc_ssize_t i = 0;
	while (i < n) {
		utf8proc_int32_t cp, m;
		utf8proc_ssize_t k = utf8proc_iterate(dec + i, n - i, &cp);
		if (k <= 0)
			break;
		i += k;
		int breve = 0, circ = 0, horn = 0, stroke = 0, tone = 0;
		if (cp == 0x0111) {
			cp = 'd';
			stroke = 1;
		}
		/* the combining marks that follow the base letter */
		while (i < n && (k = utf8proc_iterate(dec + i, n - i, &m)) > 0 &&
		    utf8proc_category(m) == UTF8PROC_CATEGORY_MN) {
			breve |= m == 0x0306;
			circ |= m == 0x0302;
			horn |= m == 0x031B;
			if (tone_of(m))
				tone = tone_of(m);
			i += k;
		}
		int r = letter_rank(cp, breve, circ, horn, stroke);
		if (r)
			buf_putc(&prim, (char)(0x20 + r));
		else if (cp >= '0' && cp <= '9')
			buf_putc(&prim, (char)(0x03 + (cp - '0')));
		else if (cp < 0x80)
			buf_putc(&prim, 0x02);
		else
			buf_putc(&prim, 0x7e);
		buf_putc(&tones, (char)('0' + tone));
	}
	free(dec);
	buf_putc(&prim, 0x01);
	buf_add(&prim, tones.s ? tones.s : "", tones.len);
	buf_free(&tones);
	return buf_steal(&prim);
}
