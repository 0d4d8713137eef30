/*
 * vocab.c — the vocabulary and the URL scheme (vocab.h). Owns nothing: the
 * tables are static, and every URL is malloc'd for the caller.
 */
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "vocab.h"

const char *const vocab_levels[] = { "tỉnh", "xã", "huyện", NULL };
const char *const vocab_online[] = { "toàn trình", "một phần", "không", NULL };
const char *const vocab_status[] = { "hiệu lực", "bãi bỏ", NULL };
const char *const vocab_methods[] = { "trực tiếp", "trực tuyến", "bưu chính", NULL };
const char *const vocab_decision_kinds[] = { "công bố", "sửa đổi", "thay thế", "bãi bỏ", NULL };
const char *const vocab_article_kinds[] = { "tin-tuc", "thong-bao", "van-ban", "chien-dich", "video", NULL };

/* Bytes of a text, its surrounding space and final stops left out, past
 * which it cannot say VOCAB_UNVERIFIED: the phrase is 16 bytes, 40 with
 * every mark written apart (NFD); the rest is room for what folding drops. */
#define UNVERIFIED_MAX 256

int
vocab_unverified(const char *s)
{
	if (!s)
		return 0;
	size_t lead = strspn(s, " \t\n"), len = strlen(s + lead);
	while (len && strchr(" \t\n.", s[lead + len - 1]))
		len--;
	if (len > UNVERIFIED_MAX)
		return 0;                    /* a section's text: not folded for nothing */
	char *f = text_fold(s), *p = f;
	size_t n = strlen(f);
	while (n && strchr(" \t\n.", f[n - 1]))      /* "Chưa xác minh." as a section's text */
		f[--n] = '\0';
	while (*p && strchr(" \t\n", *p))
		p++;
	int yes = strcmp(p, "chua xac minh") == 0;
	free(f);
	return yes;
}

/* The scheme: a kind, its pattern, and what its argument is. */
enum arg { NONE, AS_IS, SLUGGED };
static const struct scheme { const char *kind, *pattern; enum arg arg; } schemes[] = {
	{ "home",       "/",                        NONE },
	{ "procedures", "/thu-tuc/",                NONE },
	{ "unverified", "/thu-tuc/chua-xac-minh/",  NONE },
	{ "procedure",  "/thu-tuc/%s/",             AS_IS },
	{ "fields",     "/linh-vuc/",               NONE },
	{ "field",      "/linh-vuc/%s/",            SLUGGED },
	{ "levels",     "/cap/",                    NONE },
	{ "level",      "/cap/%s/",                 SLUGGED },
	{ "agencies",   "/co-quan/",                NONE },
	{ "agency",     "/co-quan/%s/",             SLUGGED },
	{ "news",       "/tin-tuc/",                NONE },
	{ "news-page",  "/tin-tuc/trang/%s/",       AS_IS },
	{ "article",    "/tin-tuc/%s/",             AS_IS },
	{ "page",       "/%s/",                     AS_IS },
	{ "changes",    "/thay-doi/",               NONE },
	{ "changes-feed", "/thay-doi/feed.xml",     NONE },
	{ "news-feed",  "/feed.xml",                NONE },
	{ "search",     "/tim-kiem/",               NONE },
	{ "procedure-print",   "/thu-tuc/%s/in/",            AS_IS },
	{ "procedure-version", "/thu-tuc/%s/phien-ban/%s/",  AS_IS },
	{ "procedure-feed",    "/thu-tuc/%s/feed.xml",       AS_IS },
	{ "procedure-data",    "/thu-tuc/%s/index.json",     AS_IS },
	{ "field-feed", "/linh-vuc/%s/feed.xml",    SLUGGED },
	{ "boards",     "/niem-yet/",               NONE },
	{ "board",      "/niem-yet/%s/",            SLUGGED },
	{ "data",       "/du-lieu/",                NONE },
	{ "results",    "/chi-so-766/",             NONE },
	{ "result",     "/chi-so-766/%s/",          AS_IS },
	{ "lobby",      "/bang-tin/",               NONE },
};

char *
vocab_url(const char *kind, const char *arg, const char *arg2)
{
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		const struct scheme *sc = &schemes[i];
		if (strcmp(sc->kind, kind) != 0)
			continue;
		if (sc->arg == NONE)
			return xstrdup(sc->pattern);
		const char *p1 = strstr(sc->pattern, "%s"), *p2 = strstr(p1 + 2, "%s");
		if (!arg || (p2 && !arg2))
			return NULL;
		char *slug = sc->arg == SLUGGED ? text_slug(arg) : NULL;
		char *u = p2 ? xasprintf("%.*s%s%.*s%s%s", (int)(p1 - sc->pattern), sc->pattern, arg,
		                         (int)(p2 - p1 - 2), p1 + 2, arg2, p2 + 2)
		             : xasprintf("%.*s%s%s", (int)(p1 - sc->pattern), sc->pattern,
		                         slug ? slug : arg, p1 + 2);
		free(slug);
		return u;
	}
	return NULL;
}
