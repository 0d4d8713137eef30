/*
 * vocab.h — the vocabulary of congkhai's content and the URL scheme, each
 * written once (SPEC §3, §4): the values a procedure's enumerated keys
 * take, the words that mark a fact not yet verified, and where every kind
 * of page lives. The validator, the index, the history and the Lua API
 * (congkhai.vocab, congkhai.url_for) all ask here.
 */
#ifndef VOCAB_H
#define VOCAB_H

/* Enumerations, NULL-terminated, canonical spellings. */
extern const char *const vocab_levels[];      /* the default of site.yaml's levels: tỉnh, xã, huyện */
extern const char *const vocab_online[];      /* toàn trình, một phần, không */
extern const char *const vocab_status[];      /* hiệu lực, bãi bỏ */
extern const char *const vocab_methods[];     /* trực tiếp, trực tuyến, bưu chính */
extern const char *const vocab_decision_kinds[];  /* công bố, sửa đổi, thay thế, bãi bỏ */
extern const char *const vocab_article_kinds[];   /* tin-tuc, thong-bao, van-ban, ... */

/* A required fact written this way is not yet verified (SPEC §3). */
#define VOCAB_UNVERIFIED "chưa xác minh"
/* Whether s says VOCAB_UNVERIFIED (compared folded, so case and marks
 * do not matter; surrounding space and a final full stop neither). */
int vocab_unverified(const char *s);

/* The site-relative URL of a page of kind, malloc'd, or NULL when kind is
 * unknown or needs an argument (arg NULL). Kinds and what arg is:
 *   home, procedures, unverified, fields, levels, agencies, news, changes,
 *   search                      (no argument)
 *   procedure                    a code:            /thu-tuc/1.001193/
 *   field, level, agency         a name, slugged:   /linh-vuc/ho-tich/
 *   article, page                a slug:            /tin-tuc/x/, /x/
 *   news-page                    a page number:     /tin-tuc/trang/2/
 *   changes-feed, news-feed, boards, data, results, lobby  (no argument)
 *   procedure-print, procedure-feed, procedure-data        a code
 *   procedure-version            a code and a date: /thu-tuc/1.001193/phien-ban/2024-07-01/
 *   field-feed, board            a field name, slugged
 *   result                       a period:          /chi-so-766/2024-05/
 * arg2 is read only by the kinds that take two arguments. */
char *vocab_url(const char *kind, const char *arg, const char *arg2);

#endif
