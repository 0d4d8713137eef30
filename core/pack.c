/*
 * pack.c — bytes kept compressed in memory, for what a build holds for
 * every page until its end but reads only a few times: a page's rendered
 * body (markdown.c). LZ4 packs rendered HTML and text to about a third in
 * a few microseconds a page, and unpacks them faster than they are copied
 * into Lua. A pack also keeps the SHA-256 of its bytes, made while they
 * are in the cache, so that a page's digest (ldigest.c) costs nothing
 * more. Owns nothing but the packs it hands out.
 */
#include <lz4.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include "congkhai.h"
#include "pack.h"

struct pack *
pack_make(const char *s, size_t size)
{
	if (size > (size_t)LZ4_MAX_INPUT_SIZE)
		abort();                 /* 2 GB: a page never comes near (MAX_FILE_SIZE) */
	int bound = LZ4_compressBound((int)size);
	struct pack *k = xmalloc(sizeof *k + (size_t)bound);
	int n = LZ4_compress_default(s, k->data, (int)size, bound);
	if (n <= 0 && size > 0)
		abort();                 /* cannot fail with a bound-sized buffer */
	k->size = size;
	k->len = (size_t)n;
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, size, (const uint8_t *)s);
	sha256_digest(&h, sizeof k->sum, k->sum);
	return xrealloc(k, sizeof *k + k->len);
}

size_t
pack_size(const struct pack *k)
{
	return k ? k->size : 0;
}

void
pack_read(const struct pack *k, char *dst)
{
	if (k && LZ4_decompress_safe(k->data, dst, (int)k->len, (int)k->size) != (int)k->size)
		abort();                 /* our own bytes, in memory: corruption is a bug */
	dst[pack_size(k)] = '\0';
}

char *
pack_open(const struct pack *k)
{
	char *s = xmalloc(pack_size(k) + 1);
	pack_read(k, s);
	return s;
}
