/*
 * fuzz_yaml.c — yaml_parse (yaml.c, on libyaml) on arbitrary bytes, given
 * exactly their length (no NUL after them), then the tree it returns
 * checked (no map has a key twice: duplicates are refused), copied,
 * written as JSON and freed: no crash, leak or hang on any text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "fuzz.h"

/* Abort when a map of v (or below) has a key twice, or a key is missing. */
static void
check_keys(const struct val *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct val *k = &v->kids[i];
		if (v->type == V_MAP) {
			if (!k->key)
				abort();
			for (size_t j = 0; j < i; j++)
				if (strcmp(v->kids[j].key, k->key) == 0) {
					fprintf(stderr, "fuzz_yaml: key '%s' twice in one map\n", k->key);
					abort();
				}
		}
		check_keys(k);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf msgs = {0}, json = {0};
	struct diag d = { .capture = &msgs, .json = &json };
	struct val *v = yaml_parse((const char *)data, size, 1, "content/fuzz.yaml", &d);
	if (v) {
		check_keys(v);
		struct val copy = {0};
		val_copy(&copy, v);
		val_json(&json, &copy);
		val_clear(&copy);
		val_free(v);
	} else if (d.errors == 0)
		abort();                        /* a refusal must say why */
	buf_free(&msgs);
	buf_free(&json);
	return 0;
}
