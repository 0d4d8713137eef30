/*
 * dossier.c — dossier item counts (dossier.h). Owns nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "dossier.h"

/* The number next to the kind at [at, at+n) in the folded text f: just
 * before it ("01 ban chinh") or just after it ("ban chinh: 01"); -1. */
static int
number_near(const char *f, size_t at, size_t n)
{
	size_t i = at;
	while (i > 0 && f[i - 1] == ' ')
		i--;
	size_t end = i;
	while (i > 0 && isdigit((unsigned char)f[i - 1]))
		i--;
	if (i < end && end - i < 4)
		return atoi(f + i);
	const char *p = f + at + n;
	while (*p == ' ' || *p == ':')
		p++;
	return isdigit((unsigned char)*p) ? atoi(p) : -1;
}

/* The count of the first of kinds found in the folded text f; -1. */
static int
count_of(const char *f, const char *const *kinds)
{
	for (; *kinds; kinds++) {
		const char *k = strstr(f, *kinds);
		if (k)
			return number_near(f, (size_t)(k - f), strlen(*kinds));
	}
	return -1;
}

int
dossier_counts(const char *item, struct dossier_counts *c)
{
	static const char *const originals[] = { "ban chinh", "ban goc", NULL };
	static const char *const copies[] = { "ban sao", "ban photo", NULL };
	size_t n = strlen(item);
	while (n && isspace((unsigned char)item[n - 1]))
		n--;
	c->originals = c->copies = -1;
	c->name_len = n;
	if (!n || item[n - 1] != ')')
		return 0;
	size_t open = n - 1;
	while (open > 0 && item[open] != '(')
		open--;
	if (item[open] != '(')
		return 0;
	char *inner = xstrndup(item + open + 1, n - open - 2);
	char *f = text_fold(inner);
	free(inner);
	c->originals = count_of(f, originals);
	c->copies = count_of(f, copies);
	free(f);
	if (c->originals < 0 && c->copies < 0)
		return 0;
	while (open > 0 && isspace((unsigned char)item[open - 1]))
		open--;
	c->name_len = open;
	return 1;
}
