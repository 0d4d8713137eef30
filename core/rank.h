/*
 * rank.h — the one ranking of congkhai's search (SPEC §6), shared by
 * `congkhai search` (search.c, over index.sqlite) and the browser
 * (plugins/search/search.js, over the static index): the keys a document
 * is indexed under, how a key's postings are encoded, the weights, and the
 * evaluation of a query. The constants below are the definition; index.c
 * writes them into the static index's meta.json, which search.js reads, so
 * they are written once. docs/index.md explains them in prose.
 *
 * Keys (all made of terms: folded text split by index_terms(), then
 * rank_norm()'d so that a syllable-final y is i):
 *   RANK_WORD    a term:                        "khai"
 *   RANK_PAIR    two adjacent terms, joined:    "khaisinh" (also what a
 *                word typed without its space looks up)
 * A posting is a document with a level (its BM25F score x RANK_SCALE,
 * at least 1) and flags (RANK_F_*). The encoded postings of one key, as
 * stored in index.sqlite's `keys.postings` and in a line of the browser's
 * term chunks:
 *   HEAD[|FLAGS,LEVEL,SET]...
 * HEAD is the RANK_HEAD highest postings (ties: lower document first) as
 * pairs of varints (document delta from the previous head posting, then
 * level * 8 + flags); the rest are grouped by their flags, each group with
 * the highest level in it and its documents as a SET: "b" and a bitmap of
 * the N documents, or "l" and varint deltas. Varints are little-endian
 * groups of 5 bits in the URL-safe base64 alphabet, 32 added while more
 * follow.
 */
#ifndef RANK_H
#define RANK_H
#include <stddef.h>

enum { RANK_WORD = 1, RANK_PAIR = 2 };
enum { RANK_F_CODE = 1, RANK_F_TITLE = 2, RANK_F_LATE = 4 };   /* LATE: not in force */

/* Fields of a document, in index order, and their weights in BM25F. */
enum { RANK_CODE, RANK_TITLE_FIELD, RANK_FIELD, RANK_AGENCY, RANK_BODY, RANK_NFIELDS };
#define RANK_WEIGHTS   { 10, 8, 3, 3, 1 }    /* code, title, field, agency, body */
#define RANK_K1        1.2
#define RANK_B         0.75
#define RANK_SCALE     8          /* level = round(score * RANK_SCALE) */
#define RANK_OTHER     0.8        /* x score of pages that are not procedures */
#define RANK_HEAD      128        /* postings kept exactly per key */
#define RANK_COMPLETE  8          /* completions of an unfinished last word */
#define RANK_LEAD      "thu tuc"  /* a title's leading words that say nothing */
/* Documents are numbered by their title's length in terms (RANK_LEAD
 * left out), procedures first, so that among hits of one title class
 * (see rank_hit) the lower number, the shorter title, comes first: the
 * title that holds the query with the fewest other words. The lengths
 * are then runs, which the index stores ("lengths": [[first document,
 * length], ...]) and a rank_source carries: a title is the query when
 * it holds every word, adjacent ones adjacent, and is as long. */
/* A query's score, in whole numbers: each word's best match, exact or as
 * a completion, and each adjacent pair of words found adjacent. */
#define RANK_W_EXACT   4          /* x level of a word found as typed */
#define RANK_W_PREFIX  2          /* x level of a completion of the last word */
#define RANK_W_PAIR    6          /* x level of two adjacent words */
#define RANK_W_PAIRPRE 4          /* x level of the last pair, completed */
#define RANK_PREFIX_MIN 2         /* letters a last word needs to be completed */
/* The files of the static index a query reads, at most (SPEC §6: five
 * requests, the fifth for the results' records). When its keys lie in
 * more, the query reads those the planner (rank_query) keeps and ranks
 * as if the others had no postings, here as in the browser. */
#define RANK_FILES     4
#define RANK_BYTES     61440      /* bytes (gzipped) a first query reads, at most */

/* Terms as the ranking keys them: a term ending in consonants then 'y'
 * ("ky", "ly", "my", "thy") ends in 'i' instead, in place. */
void rank_norm(char *term);

/* Words typed without spaces. Two syllables run together ("khaisinh")
 * are a pair key already; longer runs ("hokinhdoanh") are split before
 * ranking, by rank_split(), into the syllables of the index's titles:
 * the vocabulary, every title word of letters alone that could be a
 * syllable (rank_syllable()), those in most titles first, at most
 * RANK_SYLLABLES of them (index.c writes it, space-separated, as
 * meta.json's "syllables" and index.sqlite's meta row 'syllables'). A
 * term is split when it is not itself in the vocabulary (nor, the last
 * term, the start of a word of it: a word being typed), is of letters
 * alone, and can be cut into two or more pieces that each are, once
 * rank_norm()'d, a word of the vocabulary (the last term's last piece,
 * of RANK_PREFIX_MIN letters or more, may be the start of one). Of the
 * cuts, the one of fewest pieces; among those, the least sum of the
 * pieces' places in the vocabulary (a start counts the place of the first
 * word it starts, plus the vocabulary's size); among those, the first
 * found, ends left to right and each piece tried shortest first. So
 * "khaisinh" and "khai sinh" are one query, as SPEC §6 asks of spelling
 * variants. search.js's split() is its port. */
#define RANK_SYLLABLES 3000       /* words in the vocabulary, at most */
#define RANK_SYLLABLE_MAX 7       /* letters of a syllable, at most ("nghieng") */
#define RANK_SPLIT_MAX 48         /* letters of a term that is split, at most */

/* Whether the term w (rank_norm()'d) may stand in the vocabulary: 1 to
 * RANK_SYLLABLE_MAX letters a-z, a lone letter only a vowel. */
int rank_syllable(const char *w);
/* The terms q (n of them) with those typed without spaces split, as
 * malloc'd strings in *out (malloc'd); the count. vocab: the vocabulary,
 * space-separated (NULL or "": nothing is split). */
size_t rank_split(const char *vocab, char **q, size_t n, char ***out);

/* One decoded posting. */
struct rank_posting { unsigned doc; unsigned level; unsigned flags; };

/* Encode postings (sorted by doc, docs < ndocs) into a malloc'd string. */
char *rank_encode(const struct rank_posting *p, size_t n, unsigned ndocs);
/* Decode s (as rank_encode makes it) into *out (malloc'd, sorted by doc);
 * the count, or -1 when s is malformed. */
long rank_decode(const char *s, unsigned ndocs, struct rank_posting **out);

/* Where the evaluation finds keys: the postings of (key, kind) as
 * encoded text (NULL: none), and the completions of a prefix: up to
 * RANK_COMPLETE keys of kind that start with prefix, are longer, and lie
 * in the same chunk as prefix would, most frequent first (ties by key).
 * Returned strings are malloc'd and freed by the evaluation.
 * The layout of the static index, for the planner: the chunk a key
 * sorts into, and the files of the groups that hold a word (ascending,
 * in *files, malloc'd; the count). chunk NULL: no budget of files. */
struct rank_source {
	void *arg;
	unsigned ndocs;
	char *(*postings)(void *arg, const char *key, int kind);
	size_t (*complete)(void *arg, const char *prefix, int kind, char **keys);
	unsigned (*chunk)(void *arg, const char *key);
	size_t (*groups)(void *arg, const char *word, unsigned **files);
	const unsigned *lens;    /* runs of title lengths: first document, length, ... */
	size_t nlens;            /* runs */
};

/* Terms of RANK_LEAD that the terms q (n of them) start with, or 0: what
 * a title's length, and a query compared with it, leave out. */
size_t rank_lead(char **q, size_t n);
/* The title length of doc, from src's runs. */
unsigned rank_title_len(const struct rank_source *src, unsigned doc);
/* Parse "[[d,l],...]" into malloc'd runs (*out, 2 per run); the count of
 * runs, or -1 when s is malformed or runs are out of document order. */
long rank_parse_lens(const char *s, unsigned **out);

struct rank_hit {
	unsigned doc;
	int code;        /* 0: the query is this document's code */
	int title;       /* 3: the title is the query; 2: every word is in it,
	                  * adjacent words adjacent; 1: every word is in it; 0 */
	int late;        /* 1: not in force */
	long score;
};

/* Evaluate the query's terms (as rank_norm()'d index terms, n of them):
 * every hit, best first, in *out (malloc'd). Returns the count. A hit
 * has every word of the query; when no document does, the hits are the
 * documents with the most of them. Order: the query is the code; title
 * class; in force; then, in a title class, the shorter title, else the
 * higher score; then the document number. */
size_t rank_query(const struct rank_source *src, char **terms, size_t n, struct rank_hit **out);

/* The definition as JSON, for the browser's meta.json. */
struct buf;
void rank_json(struct buf *b);

#endif
