/*
 * pack.h — bytes kept compressed in memory (pack.c).
 */
#ifndef PACK_H
#define PACK_H
#include <stddef.h>

/* size bytes, LZ4-compressed into len. Immutable once made; one owner. */
struct pack {
	size_t size;             /* the bytes, unpacked */
	size_t len;              /* of data */
	unsigned char sum[32];   /* SHA-256 of the unpacked bytes, made with the
				    pack: what a digest of the page hashes */
	char   data[];
};

/* A pack of s[0..size); never NULL (out of memory exits, as xmalloc). */
struct pack *pack_make(const char *s, size_t size);
/* The bytes of k, malloc'd, with a NUL after them (k NULL: ""). The
 * caller frees them. */
char *pack_open(const struct pack *k);
/* The same into dst, of pack_size(k) + 1 bytes. */
size_t pack_size(const struct pack *k);
void  pack_read(const struct pack *k, char *dst);

#endif
