/*
 * csv.h — CSV text as RFC 4180 writes it (SPEC §7: congkhai.csv), for the
 * open data under /du-lieu/. Reading CSV is data.c's business.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>
#include "congkhai.h"

/* Append field s[0..n) to b: as is, or between double quotes (inner ones
 * doubled) when it holds a comma, a quote, a CR or LF, or starts or ends
 * with a space. */
void csv_field(struct buf *b, const char *s, size_t n);

/* The record separator: CRLF, as RFC 4180 says. */
#define CSV_EOL "\r\n"

#endif
