/*
 * dossier.h — the counts a dossier item states (SPEC §3: "Thành phần hồ
 * sơ" items may end with "(01 bản chính, 01 bản sao)"), read into numbers.
 */
#ifndef DOSSIER_H
#define DOSSIER_H
#include <stddef.h>

struct dossier_counts {
	int originals, copies;   /* -1: not stated */
	size_t name_len;         /* bytes of the item before its counts */
};

/* Read the counts at the end of item (plain text): a last parenthesis
 * naming "bản chính" and/or "bản sao" (also "bản gốc", "bản photo") with a
 * number before or after each ("01 bản chính", "bản sao: 02"). Returns 1
 * when a count was found, else 0 (then name_len is the whole item). */
int dossier_counts(const char *item, struct dossier_counts *c);

#endif
