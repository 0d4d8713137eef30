/* Words typed without spaces (rank_split, core/rank.h): what is cut, how,
 * and what is left whole, over a small vocabulary in the order index.c
 * writes it (most titles first). */
#include "unit.h"
#include "rank.h"

static const char vocab[] = "thu tuc dang ki ho khai sinh kinh doanh giay phep xay dung ket hon "
	"chung thuc ban sao tu choi tuc hoi o tinh tin nguoi a";

/* The terms q (space-separated) split by vocab, space-joined. */
static char *
split(const char *voc, const char *q)
{
	char *copy = xstrdup(q), *v[16], *save;
	size_t n = 0;
	for (char *t = strtok_r(copy, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save))
		v[n++] = t;
	char **out;
	size_t no = rank_split(voc, v, n, &out);
	struct buf b = {0};
	for (size_t i = 0; i < no; i++) {
		buf_printf(&b, "%s%s", i ? " " : "", out[i]);
		free(out[i]);
	}
	free(out);
	free(copy);
	return b.s ? buf_steal(&b) : xstrdup("");
}

static void
check(const char *voc, const char *q, const char *want)
{
	char *got = split(voc, q);
	int same = strcmp(got, want) == 0;
	if (!same)
		print_error("rank_split(%s): \"%s\", want \"%s\"\n", q, got, want);
	free(got);
	assert_true(same);
}

static void
test_cuts(void **st)
{
	(void)st;
	check(vocab, "hokinhdoanh", "ho kinh doanh");
	check(vocab, "dangkykhaisinh", "dang ki khai sinh");         /* y as i, inside a run */
	check(vocab, "giayphepxaydung x", "giay phep xay dung x");  /* not the last term */
	check(vocab, "khaisinh", "khai sinh");                      /* two syllables too */
	check(vocab, "ho kinhdoanh ketho", "ho kinh doanh ket ho"); /* the last piece a start: hon */
	check(vocab, "hokinhdoa", "ho kinh doa");
	check("tu choi tuc hoi", "tuchoi", "tu choi");   /* of two cuts of two pieces, the more common */
	check("tuc hoi tu choi", "tuchoi", "tuc hoi");
	check("ho kinh doanh hokinh", "hokinhdoanh", "hokinh doanh");   /* the fewest pieces first */
}

static void
test_left_whole(void **st)
{
	(void)st;
	check(vocab, "khai", "khai");                  /* a syllable */
	check(vocab, "nguo", "nguo");                  /* the last term, being typed (nguoi) */
	check(vocab, "covid", "covid");                /* no cut into syllables */
	check(vocab, "1.001193 hokinh2", "1.001193 hokinh2");   /* digits */
	check(vocab, "hokinhd", "hokinhd");            /* a last piece of one letter */
	check("", "hokinhdoanh", "hokinhdoanh");       /* no vocabulary: nothing is split */
	check(NULL, "hokinhdoanh", "hokinhdoanh");
	char longer[RANK_SPLIT_MAX + 8] = "";
	while (strlen(longer) + 4 <= RANK_SPLIT_MAX + 4)
		strcat(longer, "khai");
	check(vocab, longer, longer);                  /* longer than RANK_SPLIT_MAX */
}

static void
test_syllable(void **st)
{
	(void)st;
	assert_true(rank_syllable("nghieng"));
	assert_true(rank_syllable("a"));
	assert_false(rank_syllable("d"));
	assert_false(rank_syllable("nghieng1"));
	assert_false(rank_syllable("nghiengx"));
	assert_false(rank_syllable(""));
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_cuts), cmocka_unit_test(test_left_whole), cmocka_unit_test(test_syllable),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
