/* extract.c - finding taxonomy skills in text (SPEC §8).
 *
 * One caseless Unicode PCRE2 alternation of every label does not scale
 * (about 5 MB/s at 1,000 ESCO labels; 3,000 overflow PCRE2's compiled
 * pattern), so names and aliases are found on tokens instead:
 *
 * Tokens. A token is a run of word characters ([\w\p{M}] under UCP: letters,
 * digits, marks, '_'), with dotted continuations kept ("node.js", "asp.net",
 * "3.5"), a leading dot when the dot follows neither a word character nor a
 * dot (".net"), and one trailing "+", "++" or "#" when no word character,
 * '+' or '#' follows ("c++", "c#"). Everything else separates tokens, so
 * "full-stack" reads as "full stack" and "Java" is never found inside
 * "JavaScript". The PCRE2 pattern TOKEN_RE (UTF, UCP, JIT, match limits)
 * defines this; a hand-written scanner gives the same tokens for ASCII and
 * hands over to PCRE2 at the first byte >= 0x80 it would have to classify
 * (fuzz_extract checks the two agree). Tokens are normalised by lowering
 * case: ASCII by table, other characters by towlower_l in a private
 * "C.UTF-8" locale (ASCII only if that locale is missing), final sigma as
 * sigma. No Unicode normalisation (NFC/NFD) is applied.
 *
 * Gaps. What lies between two tokens is soft (spaces, hyphens, slashes,
 * apostrophes...), hard (. , ; : ! ? ( ) [ ] { } " | < > and a few non-ASCII
 * stops such as "…" and "•") or a stop (control characters other than
 * white space). A hard gap is a BREAK token, so "data. Analysis" is not the
 * term "data analysis" while "Java (computer programming)" still matches
 * itself; a stop ends every term.
 *
 * Dictionary. Each name and alias is tokenised the same way into a sequence
 * of token ids (BREAKs included, none leading or trailing) and inserted in a
 * trie whose edges live in one hash table keyed by (node, token). Text is
 * read token by token, each looked up once in the vocabulary hash; the
 * walks under way (at most the longest term's length) advance together, and
 * every term found is a candidate, shorter ones included, so that a shorter
 * term can still win where a longer one loses to an overlap. Several
 * skills sharing one normalised term: the term is a name before an alias,
 * then the smallest skill id. Terms longer than TERM_MAX_TOKENS tokens or
 * with a token longer than TOKEN_MAX bytes are left out.
 *
 * Patterns. A skill's own pattern runs as a regex, wrapped word-bounded
 * as (?<![\w\p{M}])(?:P)(?![\w\p{M}]) and compiled caseless with UTF, UCP,
 * JIT and \C forbidden; a pattern that only compiles alone (a leading
 * (*VERB), a (?x) comment) runs alone. Every match is checked for bounds
 * afterwards (which also catches a \K moving the start into a word).
 * Matches are the successive leftmost non-empty ones. A match containing a
 * NUL byte is dropped (a hit's text is a string). Every PCRE2 call runs
 * under a match limit (MATCH_LIMIT), a depth and heap limit for the
 * interpreter and a 1 MiB JIT stack; a pattern that exceeds one fails the
 * run (PW_ERR_INVALID, naming the skill): a partial answer would pass for a
 * complete one.
 *
 * Choice. Candidates are taken longest (in bytes) first; among equals, the
 * earlier start, then a name over an alias over a pattern, then the
 * smallest skill id; a candidate overlapping one taken is dropped. Hits are
 * listed by start offset.
 *
 * Sharing. A built extractor is immutable and reference-counted; the
 * engine's shared state caches one per store version (engine_extractor), so
 * a server's threads build it once per catalog change. Per-run memory (PCRE2
 * match data, JIT stack, candidates) lives in the caller's ext_hits.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "extract.h"

#include <jansson.h>
#include <locale.h>
#include <pcre2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define TOKEN_MAX       255 /* bytes of a normalised dictionary token */
#define TERM_MAX_TOKENS 64
#define MATCH_LIMIT     1000000u
#define DEPTH_LIMIT     10000u
#define HEAP_LIMIT_KIB  (64u * 1024u)
#define JIT_STACK_MAX   (1024u * 1024u)

/* [\w\p{M}] is a word character; see the file header for the rest. */
static const char TOKEN_RE[] =
    "(?:(?<![\\w\\p{M}.])\\.)?[\\w\\p{M}]+(?:\\.[\\w\\p{M}]+)*"
    "(?:(?:\\+\\+?|#)(?![\\w\\p{M}+#]))?";
static const char WORD_RE[] = "[\\w\\p{M}]";
static const char WRAP_HEAD[] = "(?<![\\w\\p{M}])(?:";
static const char WRAP_TAIL[] = ")(?![\\w\\p{M}])";

/* ASCII byte classes of the hand-written scanner. */
enum {
	C_SOFT = 0,
	C_WORD,
	C_DOT,
	C_PLUS,
	C_HASH,
	C_HARD,
	C_STOP,
	C_HIGH /* >= 0x80: PCRE2 decides */
};

enum { GAP_SOFT = 0, GAP_HARD, GAP_STOP };

/* Token ids: 0 unknown, 1 a hard gap, vocabulary from 2. */
#define TOK_NONE  0u
#define TOK_BREAK 1u
#define TOK_FIRST 2u

typedef struct vslot {
	uint64_t h;
	uint32_t off, len, id; /* id 0: empty */
} vslot;

typedef struct eslot {
	uint64_t key;   /* node << 32 | token */
	uint32_t child; /* 0: empty (the root is nobody's child) */
} eslot;

typedef struct pattern {
	uint32_t skill;
	bool jit;
	pcre2_code *re;
} pattern;

struct extractor {
	atomic_int refs;
	arena mem;
	unsigned char cls[256];
	locale_t loc; /* (locale_t)0: ASCII folding only */
	pcre2_code *tok_re, *word_re;
	bool tok_jit, word_jit;

	uint32_t nskills;
	size_t idcap, namecap;
	const char **skill_id, **skill_name;

	/* vocabulary: normalised token -> id */
	vslot *vocab;
	uint32_t vmask, nvocab; /* nvocab counts ids, TOK_FIRST.. */
	char *pool;
	size_t pool_len, pool_cap;
	size_t tok_max; /* longest vocabulary token, bytes */

	/* trie: node 0 is the root */
	eslot *edges;
	uint32_t emask, nedges;
	uint32_t nnodes;
	size_t ncap;
	struct node {
		uint32_t skill; /* UINT32_MAX: no term ends here */
		uint8_t kind;
	} * node;
	uint32_t *root_child; /* [nvocab]: edge (root, id), 0 when none */
	uint32_t depth;       /* longest term, tokens */
	bool breaks;          /* some term holds a BREAK */
	size_t nterms;

	pattern *pat;
	size_t npat, patcap;
};

typedef struct cand {
	size_t start, end;
	uint32_t skill;
	uint8_t kind;
} cand;

struct ext_scratch {
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jstack;
	unsigned char norm[TOKEN_MAX + 8];
	struct walk {
		uint32_t node;
		size_t start;
	} * act; /* the trie walks under way */
	size_t act_cap;
	cand *c;
	size_t nc, ccap;
	uint64_t *bits;
	size_t bits_cap;
	size_t hits_cap;
};

/* ---- UTF-8 ---- */

static pw_status check_utf8(const char *text, size_t len, pw_error *err)
{
	size_t at = utf8_invalid_at(text, len);
	if (at == len)
		return PW_OK;
	return pw_fail(
	    err, PW_ERR_INVALID,
	    "text is not valid UTF-8 at byte offset %zu (byte 0x%02x)", at,
	    (unsigned)(unsigned char)text[at]);
}

/* Decodes the (valid) character at s[i]; *n receives its length. */
static uint32_t utf8_decode(const unsigned char *s, size_t i, size_t *n)
{
	unsigned char c = s[i];
	if (c < 0x80) {
		*n = 1;
		return c;
	}
	if (c < 0xe0) {
		*n = 2;
		return (uint32_t)(c & 0x1f) << 6 | (s[i + 1] & 0x3f);
	}
	if (c < 0xf0) {
		*n = 3;
		return (uint32_t)(c & 0x0f) << 12 |
		       (uint32_t)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
	}
	*n = 4;
	return (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3f) << 12 |
	       (uint32_t)(s[i + 2] & 0x3f) << 6 | (s[i + 3] & 0x3f);
}

static size_t utf8_encode(uint32_t c, unsigned char *out)
{
	if (c < 0x80) {
		out[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (unsigned char)(0xc0 | c >> 6);
		out[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (unsigned char)(0xe0 | c >> 12);
		out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | c >> 18);
	out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

/* ---- classes, case ---- */

static void init_classes(unsigned char cls[256])
{
	for (int c = 0; c < 256; c++) {
		unsigned char k = C_SOFT;
		if (c >= 0x80)
			k = C_HIGH;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || c == '_')
			k = C_WORD;
		else if (c == '.')
			k = C_DOT;
		else if (c == '+')
			k = C_PLUS;
		else if (c == '#')
			k = C_HASH;
		else if (strchr(",;:!?()[]{}\"|<>", c) && c)
			k = C_HARD;
		else if ((c < 0x20 && !strchr("\t\n\v\f\r", c)) || c == 0x7f ||
		         c == 0)
			k = C_STOP;
		cls[c] = k;
	}
}

static uint32_t fold(const extractor *x, uint32_t c)
{
	if (x->loc)
		c = (uint32_t)towlower_l((wint_t)c, x->loc);
	if (c == 0x3c2) /* final sigma reads as sigma */
		c = 0x3c3;
	return c;
}

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME  0x100000001b3ull

/* Lowers s[a..b) into out (at most cap <= TOKEN_MAX bytes) and hashes
 * it. False when the result would be longer. */
static bool normalise(const extractor *x, const unsigned char *s, size_t a,
                      size_t b, size_t cap, unsigned char *out, size_t *outlen,
                      uint64_t *hash)
{
	uint64_t h = FNV_OFFSET;
	size_t n = 0;
	size_t i = a;
	while (i < b) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if (n >= cap)
				return false;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			out[n++] = c;
			h = (h ^ c) * FNV_PRIME;
			i++;
			continue;
		}
		size_t cl;
		uint32_t cp = fold(x, utf8_decode(s, i, &cl));
		unsigned char enc[4];
		size_t el = utf8_encode(cp, enc);
		if (n + el > cap)
			return false;
		for (size_t k = 0; k < el; k++) {
			out[n++] = enc[k];
			h = (h ^ enc[k]) * FNV_PRIME;
		}
		i += cl;
	}
	*outlen = n;
	*hash = h;
	return true;
}

/* ---- tokenizer ---- */

typedef struct tokenizer {
	const extractor *x;
	struct ext_scratch *sc;
	const unsigned char *s;
	size_t n, pos;
	int rc; /* a PCRE2 error, when tok_next returned -1 */
} tokenizer;

typedef struct tok {
	size_t start, end;
	int gap; /* what lies between the previous token and this one */
} tok;

static int pcre_run(const pcre2_code *re, bool jit, const unsigned char *s,
                    size_t n, size_t from, uint32_t opts,
                    struct ext_scratch *sc)
{
	if (jit)
		return pcre2_jit_match(re, s, n, from, opts, sc->md, sc->mctx);
	return pcre2_match(re, s, n, from, opts | PCRE2_NO_UTF_CHECK, sc->md,
	                   sc->mctx);
}

/* Sequences of non-ASCII characters that are hard gaps. */
static bool high_hard(const unsigned char *s, size_t i, size_t n)
{
	static const char *const seq[] = {
	    "\xe2\x80\xa6", /* … */
	    "\xe2\x80\xa2", /* • */
	    "\xe2\x80\x9c", /* “ */
	    "\xe2\x80\x9d", /* ” */
	    "\xc2\xab",     /* « */
	    "\xc2\xbb",     /* » */
	    "\xc2\xa1",     /* ¡ */
	    "\xc2\xbf",     /* ¿ */
	    "\xe3\x80\x82", /* 。 */
	    "\xe3\x80\x81", /* 、 */
	    "\xef\xbc\x8c", /* ， */
	    "\xef\xbc\x9b", /* ； */
	    "\xef\xbc\x9a", /* ： */
	    "\xef\xbc\x81", /* ！ */
	    "\xef\xbc\x9f", /* ？ */
	};
	for (size_t k = 0; k < PW_ARRAY_LEN(seq); k++) {
		size_t l = strlen(seq[k]);
		if (n - i >= l && memcmp(s + i, seq[k], l) == 0)
			return true;
	}
	return false;
}

static int gap_kind(const extractor *x, const unsigned char *s, size_t a,
                    size_t b)
{
	int g = GAP_SOFT;
	for (size_t i = a; i < b; i++) {
		unsigned char k = x->cls[s[i]];
		if (k == C_STOP)
			return GAP_STOP;
		if (k == C_HARD || k == C_DOT ||
		    (k == C_HIGH && (s[i] & 0xc0) != 0x80 &&
		     high_hard(s, i, b)))
			g = GAP_HARD;
	}
	return g;
}

/* The next token by PCRE2, searching from `from`. */
static int tok_slow(tokenizer *t, size_t from, tok *out)
{
	int rc =
	    pcre_run(t->x->tok_re, t->x->tok_jit, t->s, t->n, from, 0, t->sc);
	if (rc == PCRE2_ERROR_NOMATCH) {
		t->pos = t->n;
		return 0;
	}
	if (rc < 0) {
		t->rc = rc;
		return -1;
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->sc->md);
	out->start = ov[0];
	out->end = ov[1];
	out->gap = gap_kind(t->x, t->s, t->pos, ov[0]);
	t->pos = ov[1];
	return 1;
}

/* 1 with a token, 0 at the end, -1 on a PCRE2 error. The ASCII scanner
 * below mirrors TOKEN_RE; wherever it would have to classify a byte >=
 * 0x80 it lets PCRE2 search instead, from the same place. */
static int tok_next(tokenizer *t, tok *out)
{
	const unsigned char *s = t->s, *cls = t->x->cls;
	size_t n = t->n, q = t->pos;
	int gap = GAP_SOFT;
	size_t st;
	/* the gap, up to a token's start */
	for (;;) {
		if (q >= n) {
			t->pos = n;
			return 0;
		}
		unsigned char k = cls[s[q]];
		if (k == C_WORD) {
			st = q;
			break;
		}
		if (k == C_HIGH)
			return tok_slow(t, q, out);
		if (k == C_DOT && q + 1 < n) {
			unsigned char k1 = cls[s[q + 1]];
			unsigned char k0 = q ? cls[s[q - 1]] : C_SOFT;
			if (k1 == C_HIGH || (k1 == C_WORD && k0 == C_HIGH))
				return tok_slow(t, q, out);
			if (k1 == C_WORD && k0 != C_WORD && k0 != C_DOT) {
				st = q++; /* a leading dot: ".net" */
				break;
			}
		}
		if (k == C_STOP)
			gap = GAP_STOP;
		else if ((k == C_HARD || k == C_DOT) && gap == GAP_SOFT)
			gap = GAP_HARD;
		q++;
	}
	/* word characters, with dotted continuations */
	for (;;) {
		while (q < n && cls[s[q]] == C_WORD)
			q++;
		if (q >= n)
			goto done;
		unsigned char k = cls[s[q]];
		if (k == C_HIGH)
			goto slow;
		if (k != C_DOT || q + 1 >= n)
			break;
		unsigned char k1 = cls[s[q + 1]];
		if (k1 == C_HIGH)
			goto slow;
		if (k1 != C_WORD)
			break;
		q += 2;
	}
	/* a trailing "+", "++" or "#", when no word character, '+' or '#'
	 * follows */
	{
		unsigned char k = cls[s[q]];
		size_t m = 0;
		if (k == C_PLUS)
			m = q + 1 < n && cls[s[q + 1]] == C_PLUS ? 2 : 1;
		else if (k == C_HASH)
			m = 1;
		if (m) {
			unsigned char kn = q + m < n ? cls[s[q + m]] : C_SOFT;
			if (kn == C_HIGH)
				goto slow;
			if (m == 2 && kn != C_WORD && kn != C_PLUS &&
			    kn != C_HASH)
				q += 2;
			else if (m == 1 && kn != C_WORD && kn != C_PLUS &&
			         kn != C_HASH)
				q += 1;
		}
	}
done:
	out->start = st;
	out->end = q;
	out->gap = gap;
	t->pos = q;
	return 1;
slow:
	return tok_slow(t, st, out);
}

/* ---- scratch ---- */

static struct ext_scratch *scratch_new(void)
{
	struct ext_scratch *sc = calloc(1, sizeof *sc);
	if (!sc)
		return NULL;
	sc->md = pcre2_match_data_create(1, NULL);
	sc->mctx = pcre2_match_context_create(NULL);
	sc->jstack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
	if (!sc->md || !sc->mctx || !sc->jstack) {
		pcre2_match_data_free(sc->md);
		pcre2_match_context_free(sc->mctx);
		pcre2_jit_stack_free(sc->jstack);
		free(sc);
		return NULL;
	}
	pcre2_set_match_limit(sc->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(sc->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(sc->mctx, HEAP_LIMIT_KIB);
	pcre2_jit_stack_assign(sc->mctx, NULL, sc->jstack);
	return sc;
}

static void scratch_free(struct ext_scratch *sc)
{
	if (!sc)
		return;
	pcre2_match_data_free(sc->md);
	pcre2_match_context_free(sc->mctx);
	pcre2_jit_stack_free(sc->jstack);
	free(sc->act);
	free(sc->c);
	free(sc->bits);
	free(sc);
}

void ext_hits_init(ext_hits *h)
{
	memset(h, 0, sizeof *h);
}

void ext_hits_release(ext_hits *h)
{
	if (!h)
		return;
	free(h->v);
	scratch_free(h->scratch);
	memset(h, 0, sizeof *h);
}

/* Grows *p to hold at least n items of size bytes. */
static bool grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return true;
	size_t c = *cap ? *cap : 16;
	while (c < n) {
		if (c > SIZE_MAX / 2 / size)
			return false;
		c *= 2;
	}
	void *q = realloc(*(void **)p, c * size);
	if (!q)
		return false;
	*(void **)p = q;
	*cap = c;
	return true;
}

/* ---- building: vocabulary and trie ---- */

static uint32_t slot_of(uint64_t h, uint32_t mask)
{
	return (uint32_t)((h ^ (h >> 29)) * 0x9e3779b97f4a7c15ull >> 32) & mask;
}

/* memcmp's call costs more than the compare for a short token */
static bool same(const char *a, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)a[i] != b[i])
			return false;
	return true;
}

static uint32_t vocab_find(const extractor *x, const unsigned char *s, size_t n,
                           uint64_t h)
{
	if (!x->vocab)
		return TOK_NONE;
	for (uint32_t i = slot_of(h, x->vmask);; i = (i + 1) & x->vmask) {
		const vslot *v = &x->vocab[i];
		if (!v->id)
			return TOK_NONE;
		if (v->h == h && v->len == n && same(x->pool + v->off, s, n))
			return v->id;
	}
}

static bool vocab_rehash(extractor *x, uint32_t cap)
{
	vslot *t = calloc(cap, sizeof *t);
	if (!t)
		return false;
	for (uint32_t i = 0; x->vocab && i <= x->vmask; i++) {
		if (!x->vocab[i].id)
			continue;
		uint32_t j = slot_of(x->vocab[i].h, cap - 1);
		while (t[j].id)
			j = (j + 1) & (cap - 1);
		t[j] = x->vocab[i];
	}
	free(x->vocab);
	x->vocab = t;
	x->vmask = cap - 1;
	return true;
}

/* The id of a normalised token, added when new; TOK_NONE on OOM. */
static uint32_t vocab_intern(extractor *x, const unsigned char *s, size_t n,
                             uint64_t h)
{
	uint32_t id = vocab_find(x, s, n, h);
	if (id)
		return id;
	uint32_t used = x->nvocab - TOK_FIRST;
	if (!x->vocab || (used + 1) * 2 > x->vmask + 1)
		if (!vocab_rehash(x, x->vocab ? (x->vmask + 1) * 2 : 1024))
			return TOK_NONE;
	if (!grow(&x->pool, &x->pool_cap, x->pool_len + n + 1, 1))
		return TOK_NONE;
	memcpy(x->pool + x->pool_len, s, n);
	uint32_t i = slot_of(h, x->vmask);
	while (x->vocab[i].id)
		i = (i + 1) & x->vmask;
	x->vocab[i] = (vslot){.h = h,
	                      .off = (uint32_t)x->pool_len,
	                      .len = (uint32_t)n,
	                      .id = x->nvocab++};
	x->pool_len += n;
	if (n > x->tok_max)
		x->tok_max = n;
	return x->vocab[i].id;
}

static uint32_t edge_find(const extractor *x, uint32_t node, uint32_t tokid)
{
	uint64_t key = (uint64_t)node << 32 | tokid;
	for (uint32_t i = slot_of(key, x->emask);; i = (i + 1) & x->emask) {
		const eslot *e = &x->edges[i];
		if (!e->child)
			return 0;
		if (e->key == key)
			return e->child;
	}
}

static bool edges_rehash(extractor *x, uint32_t cap)
{
	eslot *t = calloc(cap, sizeof *t);
	if (!t)
		return false;
	for (uint32_t i = 0; x->edges && i <= x->emask; i++) {
		if (!x->edges[i].child)
			continue;
		uint32_t j = slot_of(x->edges[i].key, cap - 1);
		while (t[j].child)
			j = (j + 1) & (cap - 1);
		t[j] = x->edges[i];
	}
	free(x->edges);
	x->edges = t;
	x->emask = cap - 1;
	return true;
}

/* The child of node by tokid, made when absent; 0 on OOM. */
static uint32_t edge_add(extractor *x, uint32_t node, uint32_t tokid)
{
	uint32_t c = edge_find(x, node, tokid);
	if (c)
		return c;
	if ((x->nedges + 1) * 2 > x->emask + 1 &&
	    !edges_rehash(x, (x->emask + 1) * 2))
		return 0;
	if (x->nnodes == UINT32_MAX)
		return 0;
	if (!grow(&x->node, &x->ncap, (size_t)x->nnodes + 1, sizeof *x->node))
		return 0;
	c = x->nnodes++;
	x->node[c] = (struct node){.skill = UINT32_MAX};
	uint64_t key = (uint64_t)node << 32 | tokid;
	uint32_t i = slot_of(key, x->emask);
	while (x->edges[i].child)
		i = (i + 1) & x->emask;
	x->edges[i] = (eslot){.key = key, .child = c};
	x->nedges++;
	return c;
}

typedef struct build {
	extractor *x;
	struct ext_scratch *sc;
	pw_error *err;
	uint32_t ids[TERM_MAX_TOKENS];
} build;

/* Tokenises term into b->ids; the count, 0 when the term cannot be
 * found (no token, too long), -1 on OOM or a PCRE2 error. */
static int term_ids(build *b, const char *term, size_t len)
{
	extractor *x = b->x;
	tokenizer t = {
	    .x = x, .sc = b->sc, .s = (const unsigned char *)term, .n = len};
	tok k;
	int n = 0, rc;
	while ((rc = tok_next(&t, &k)) == 1) {
		size_t nl;
		uint64_t h;
		if (!normalise(x, t.s, k.start, k.end, TOKEN_MAX, b->sc->norm,
		               &nl, &h))
			return 0;
		if (n && k.gap != GAP_SOFT) {
			if (n == TERM_MAX_TOKENS)
				return 0;
			b->ids[n++] = TOK_BREAK;
		}
		if (n == TERM_MAX_TOKENS)
			return 0;
		uint32_t id = vocab_intern(x, b->sc->norm, nl, h);
		if (!id)
			return -1;
		b->ids[n++] = id;
	}
	return rc < 0 ? -1 : n;
}

static pw_status add_term(build *b, const char *term, size_t len,
                          uint32_t skill, enum ext_kind kind)
{
	extractor *x = b->x;
	if (utf8_invalid_at(term, len) != len)
		return PW_OK; /* the loader keeps these out; never trust it */
	int n = term_ids(b, term, len);
	if (n < 0)
		return pw_oom(b->err);
	uint32_t node = 0;
	for (int i = 0; i < n; i++) {
		if (b->ids[i] == TOK_BREAK)
			x->breaks = true;
		if (!(node = edge_add(x, node, b->ids[i])))
			return pw_oom(b->err);
	}
	if (!n)
		return PW_OK;
	if ((uint32_t)n > x->depth)
		x->depth = (uint32_t)n;
	struct node *nd = &x->node[node];
	if (nd->skill == UINT32_MAX)
		x->nterms++;
	/* names before aliases, then the smallest id (rows come in id
	 * order, so an equal kind never displaces an earlier skill) */
	if (nd->skill == UINT32_MAX || kind < nd->kind) {
		nd->skill = skill;
		nd->kind = (uint8_t)kind;
	}
	return PW_OK;
}

static pw_status row_skill(void *ctx, const scan_row *r)
{
	build *b = ctx;
	extractor *x = b->x;
	const char *id = row_text(r, 0), *name = row_text(r, 1);
	const char *aliases = row_null(r, 2) ? NULL : row_text(r, 2);
	if (!id || !name)
		return PW_OK;
	if (x->nskills == UINT32_MAX - 1 ||
	    !grow(&x->skill_id, &x->idcap, (size_t)x->nskills + 1,
	          sizeof *x->skill_id) ||
	    !grow(&x->skill_name, &x->namecap, (size_t)x->nskills + 1,
	          sizeof *x->skill_name))
		return pw_oom(b->err);
	uint32_t k = x->nskills;
	if (!(x->skill_id[k] = arena_strdup(&x->mem, id)) ||
	    !(x->skill_name[k] = arena_strdup(&x->mem, name)))
		return pw_oom(b->err);
	x->nskills++;
	pw_status st = add_term(b, name, strlen(name), k, EXT_NAME);
	for (const char *p = aliases; !st && p && *p;) {
		const char *end = strchr(p, '\x1f');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		st = add_term(b, p, len, k, EXT_ALIAS);
		p = end ? end + 1 : p + len;
	}
	return st;
}

/* PATHWAY_PCRE2_JIT=0 runs patterns in PCRE2's interpreter: `make
 * valgrind` sets it, since the JIT's code reads past the end of a subject
 * in 16-byte steps (safely, within the page), which memcheck reports. */
static bool jit_wanted(void)
{
	const char *v = getenv("PATHWAY_PCRE2_JIT");
	return !v || strcmp(v, "0") != 0;
}

static pcre2_code *compile(const char *re, size_t len, uint32_t opts, bool *jit,
                           int *code)
{
	PCRE2_SIZE off;
	pcre2_code *c =
	    pcre2_compile((PCRE2_SPTR)re, len, opts, code, &off, NULL);
	if (c)
		*jit = jit_wanted() &&
		       pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
	return c;
}

static pw_status row_pattern(void *ctx, const scan_row *r)
{
	build *b = ctx;
	extractor *x = b->x;
	const char *id = row_text(r, 0), *p = row_text(r, 2);
	if (!id || !p || !*p)
		return PW_OK;
	int64_t k = model_find(x->skill_id, x->nskills, id);
	if (k < 0)
		return PW_OK;
	const uint32_t opts =
	    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_NEVER_BACKSLASH_C;
	size_t pl = strlen(p);
	size_t wl = strlen(WRAP_HEAD) + pl + strlen(WRAP_TAIL);
	char *w = malloc(wl + 1);
	if (!w)
		return pw_oom(b->err);
	snprintf(w, wl + 1, "%s%s%s", WRAP_HEAD, p, WRAP_TAIL);
	pattern pt = {.skill = (uint32_t)k};
	int code = 0;
	pt.re = compile(w, wl, opts, &pt.jit, &code);
	free(w);
	if (!pt.re && code != PCRE2_ERROR_NOMEMORY)
		pt.re = compile(p, pl, opts, &pt.jit, &code);
	if (!pt.re)
		return code == PCRE2_ERROR_NOMEMORY ? pw_oom(b->err) : PW_OK;
	if (!grow(&x->pat, &x->patcap, x->npat + 1, sizeof *x->pat)) {
		pcre2_code_free(pt.re);
		return pw_oom(b->err);
	}
	x->pat[x->npat++] = pt;
	return PW_OK;
}

pw_status extractor_build_store(store *s, extractor **out, pw_error *err)
{
	pw_status st = PW_OK;
	int code;
	build b = {.err = err};
	extractor *x = calloc(1, sizeof *x);
	if (!x || !(b.sc = scratch_new())) {
		free(x);
		return pw_oom(err);
	}
	b.x = x;
	atomic_init(&x->refs, 1);
	init_classes(x->cls);
	x->nvocab = TOK_FIRST;
	x->loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	const uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NO_AUTO_CAPTURE;
	x->tok_re =
	    compile(TOKEN_RE, sizeof TOKEN_RE - 1, opts, &x->tok_jit, &code);
	x->word_re = compile(WORD_RE, sizeof WORD_RE - 1, opts | PCRE2_ANCHORED,
	                     &x->word_jit, &code);
	if (!x->tok_re || !x->word_re || !edges_rehash(x, 1024)) {
		st = pw_oom(err);
		goto fail;
	}
	if (!grow(&x->node, &x->ncap, 1, sizeof *x->node)) {
		st = pw_oom(err);
		goto fail;
	}
	x->nnodes = 1; /* the root */
	x->node[0] = (struct node){.skill = UINT32_MAX};
	if ((st = store_scan(s, SCAN_NAMES_SKILL, row_skill, &b, err)) ||
	    (st = store_scan(s, SCAN_SKILL_PATTERNS, row_pattern, &b, err)))
		goto fail;
	/* the root's edges as a flat array: one look-up less per token */
	x->root_child = calloc(x->nvocab, sizeof *x->root_child);
	if (!x->root_child) {
		st = pw_oom(err);
		goto fail;
	}
	for (uint32_t id = TOK_FIRST; id < x->nvocab; id++)
		x->root_child[id] = edge_find(x, 0, id);
	scratch_free(b.sc);
	*out = x;
	return PW_OK;
fail:
	scratch_free(b.sc);
	extractor_free(x);
	return st;
}

pw_status extractor_build(pw_engine *e, extractor **out, pw_error *err)
{
	return extractor_build_store(e->st, out, err);
}

void extractor_free(extractor *x)
{
	if (!x || atomic_fetch_sub(&x->refs, 1) != 1)
		return;
	for (size_t i = 0; i < x->npat; i++)
		pcre2_code_free(x->pat[i].re);
	free(x->pat);
	pcre2_code_free(x->tok_re);
	pcre2_code_free(x->word_re);
	if (x->loc)
		freelocale(x->loc);
	free(x->skill_id);
	free(x->skill_name);
	free(x->vocab);
	free(x->pool);
	free(x->edges);
	free(x->node);
	free(x->root_child);
	arena_release(&x->mem);
	free(x);
}

size_t extractor_terms(const extractor *x)
{
	return x ? x->nterms : 0;
}

size_t extractor_skills(const extractor *x)
{
	return x ? x->nskills : 0;
}

size_t extractor_patterns(const extractor *x)
{
	return x ? x->npat : 0;
}

/* ---- running ---- */

static bool add_cand(struct ext_scratch *sc, size_t start, size_t end,
                     uint32_t skill, uint8_t kind)
{
	if (!grow(&sc->c, &sc->ccap, sc->nc + 1, sizeof *sc->c))
		return false;
	sc->c[sc->nc++] =
	    (cand){.start = start, .end = end, .skill = skill, .kind = kind};
	return true;
}

/* Dictionary candidates: every term found, at every token. */
static pw_status run_terms(const extractor *x, struct ext_scratch *sc,
                           const unsigned char *s, size_t len, pw_error *err)
{
	if (x->nterms == 0)
		return PW_OK;
	if (!grow(&sc->act, &sc->act_cap, (size_t)x->depth + 1,
	          sizeof *sc->act))
		return pw_oom(err);
	struct walk *act = sc->act;
	tokenizer t = {.x = x, .sc = sc, .s = s, .n = len};
	tok k;
	size_t nact = 0;
	int rc;
	while ((rc = tok_next(&t, &k)) == 1) {
		if (k.gap == GAP_STOP || (k.gap == GAP_HARD && !x->breaks))
			nact = 0;
		else if (k.gap == GAP_HARD && nact) {
			/* a BREAK moves the walks under way on */
			size_t m = 0;
			for (size_t i = 0; i < nact; i++) {
				uint32_t c =
				    edge_find(x, act[i].node, TOK_BREAK);
				if (c)
					act[m++] =
					    (struct walk){c, act[i].start};
			}
			nact = m;
		}
		size_t nl;
		uint64_t h;
		uint32_t id = TOK_NONE;
		/* no dictionary token is longer than tok_max once lowered
		 * (the raw token may be: folding can shrink a character) */
		if (normalise(x, s, k.start, k.end, x->tok_max, sc->norm, &nl,
		              &h))
			id = vocab_find(x, sc->norm, nl, h);
		if (id == TOK_NONE) {
			nact = 0;
			continue;
		}
		size_t m = 0;
		for (size_t i = 0; i < nact; i++) {
			uint32_t c = edge_find(x, act[i].node, id);
			if (c)
				act[m++] = (struct walk){c, act[i].start};
		}
		uint32_t c = x->root_child[id];
		if (c)
			act[m++] = (struct walk){c, k.start};
		nact = m;
		for (size_t i = 0; i < nact; i++) {
			const struct node *nd = &x->node[act[i].node];
			if (nd->skill != UINT32_MAX &&
			    !add_cand(sc, act[i].start, k.end, nd->skill,
			              nd->kind))
				return pw_oom(err);
		}
	}
	if (rc < 0)
		return pw_fail(err, PW_ERR_INVALID,
		               "cannot split the text into words (PCRE2 error "
		               "%d)",
		               t.rc);
	return PW_OK;
}

/* Whether the character at i (before i, when before) is a word
 * character; -1 on a PCRE2 error. */
static int word_at(const extractor *x, struct ext_scratch *sc,
                   const unsigned char *s, size_t len, size_t i, bool before)
{
	if (before) {
		if (i == 0)
			return 0;
		i--;
		while (i > 0 && (s[i] & 0xc0) == 0x80)
			i--;
	} else if (i >= len)
		return 0;
	if (s[i] < 0x80)
		return x->cls[s[i]] == C_WORD;
	int rc = pcre_run(x->word_re, x->word_jit, s, len, i, 0, sc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc < 0 ? -1 : 1;
}

static size_t next_char(const unsigned char *s, size_t len, size_t i)
{
	i++;
	while (i < len && (s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static pw_status run_pattern(const extractor *x, const pattern *p,
                             struct ext_scratch *sc, const unsigned char *s,
                             size_t len, pw_error *err)
{
	size_t from = 0;
	while (from <= len) {
		int rc =
		    pcre_run(p->re, p->jit, s, len, from, PCRE2_NOTEMPTY, sc);
		if (rc == PCRE2_ERROR_NOMATCH)
			return PW_OK;
		if (rc < 0) {
			PCRE2_UCHAR msg[160];
			if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
				snprintf((char *)msg, sizeof msg, "error %d",
				         rc);
			if (rc == PCRE2_ERROR_NOMEMORY)
				return pw_oom(err);
			return pw_fail(
			    err, PW_ERR_INVALID,
			    "skill '%s': its pattern gave up on this "
			    "text after byte offset %zu: %s",
			    x->skill_id[p->skill], from, (const char *)msg);
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
		size_t a = ov[0], b = ov[1];
		if (a >= b || a < from || b > len) {
			/* \K games: step over it */
			from = next_char(s, len, from > a ? from : a);
			continue;
		}
		int w0 = word_at(x, sc, s, len, a, true);
		int w1 = word_at(x, sc, s, len, b, false);
		if (w0 < 0 || w1 < 0)
			return pw_fail(
			    err, PW_ERR_INVALID,
			    "cannot read the text at byte offset %zu", a);
		if (w0 || w1) {
			from = next_char(s, len, a);
			continue;
		}
		if (!memchr(s + a, '\0', b - a) &&
		    !add_cand(sc, a, b, p->skill, EXT_PATTERN))
			return pw_oom(err);
		from = b;
	}
	return PW_OK;
}

static int cmp_choice(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	size_t la = a->end - a->start, lb = b->end - b->start;
	if (la != lb)
		return la > lb ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->skill != b->skill)
		return a->skill < b->skill ? -1 : 1;
	return 0;
}

static int cmp_start(const void *pa, const void *pb)
{
	const ext_hit *a = pa, *b = pb;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* Whether bits [a, b) are all clear; sets them when they are. */
static bool claim(uint64_t *bits, size_t a, size_t b)
{
	for (size_t i = a; i < b;) {
		if (!(i & 63) && b - i >= 64) {
			if (bits[i >> 6])
				return false;
			i += 64;
		} else {
			if (bits[i >> 6] >> (i & 63) & 1)
				return false;
			i++;
		}
	}
	for (size_t i = a; i < b;) {
		if (!(i & 63) && b - i >= 64) {
			bits[i >> 6] = ~0ull;
			i += 64;
		} else {
			bits[i >> 6] |= 1ull << (i & 63);
			i++;
		}
	}
	return true;
}

static pw_status choose(const extractor *x, struct ext_scratch *sc, size_t len,
                        ext_hits *out, pw_error *err)
{
	if (!sc->nc)
		return PW_OK;
	if (!grow(&out->v, &sc->hits_cap, sc->nc, sizeof *out->v))
		return pw_oom(err);
	/* the bitmap of bytes taken is all clear between runs: clearing
	 * only what the hits took keeps a run's cost off the text's length */
	size_t words = len / 64 + 1;
	if (words > sc->bits_cap) {
		free(sc->bits);
		sc->bits_cap = 0;
		if (!(sc->bits = calloc(words, sizeof *sc->bits)))
			return pw_oom(err);
		sc->bits_cap = words;
	}
	qsort(sc->c, sc->nc, sizeof *sc->c, cmp_choice);
	size_t n = 0;
	for (size_t i = 0; i < sc->nc; i++) {
		const cand *c = &sc->c[i];
		if (!claim(sc->bits, c->start, c->end))
			continue;
		out->v[n++] = (ext_hit){.skill = c->skill,
		                        .id = x->skill_id[c->skill],
		                        .name = x->skill_name[c->skill],
		                        .start = c->start,
		                        .end = c->end,
		                        .kind = (enum ext_kind)c->kind};
	}
	for (size_t i = 0; i < n; i++)
		memset(
		    sc->bits + (out->v[i].start >> 6), 0,
		    (((out->v[i].end - 1) >> 6) - (out->v[i].start >> 6) + 1) *
		        sizeof *sc->bits);
	qsort(out->v, n, sizeof *out->v, cmp_start);
	out->n = n;
	return PW_OK;
}

pw_status extractor_run(const extractor *x, const char *text, size_t len,
                        ext_hits *out, pw_error *err)
{
	pw_status st;
	out->n = 0;
	if (!text)
		text = "";
	if ((st = check_utf8(text, len, err)))
		return st;
	if (!out->scratch && !(out->scratch = scratch_new()))
		return pw_oom(err);
	struct ext_scratch *sc = out->scratch;
	const unsigned char *s = (const unsigned char *)text;
	sc->nc = 0;
	if ((st = run_terms(x, sc, s, len, err)))
		return st;
	for (size_t i = 0; i < x->npat; i++)
		if ((st = run_pattern(x, &x->pat[i], sc, s, len, err)))
			return st;
	return choose(x, sc, len, out, err);
}

pw_status ext_tokens(const extractor *x, const char *text, size_t len,
                     bool pcre_only, size_t *spans, int *gaps, size_t max,
                     size_t *count, pw_error *err)
{
	pw_status st;
	ext_hits h;
	ext_hits_init(&h);
	if (!text)
		text = "";
	if ((st = check_utf8(text, len, err)))
		return st;
	if (!(h.scratch = scratch_new()))
		return pw_oom(err);
	tokenizer t = {.x = x,
	               .sc = h.scratch,
	               .s = (const unsigned char *)text,
	               .n = len};
	tok k;
	size_t n = 0;
	int rc;
	while ((rc = pcre_only ? tok_slow(&t, t.pos, &k) : tok_next(&t, &k)) ==
	       1) {
		if (n < max) {
			spans[2 * n] = k.start;
			spans[2 * n + 1] = k.end;
			if (gaps)
				gaps[n] = k.gap;
		}
		n++;
	}
	ext_hits_release(&h);
	if (rc < 0)
		return pw_fail(err, PW_ERR_INVALID, "PCRE2 error %d", t.rc);
	*count = n;
	return PW_OK;
}

/* ---- the cached extractor ---- */

pw_status engine_extractor(pw_engine *e, extractor **out, pw_error *err)
{
	shared *sh = e->sh;
	long long v;
	pw_status st;
	if ((st = store_version(e->st, &v, err)))
		return st;
	pthread_mutex_lock(&sh->refs_lock);
	extractor *x = sh->x;
	if (x && sh->x_version == v) {
		atomic_fetch_add(&x->refs, 1);
		pthread_mutex_unlock(&sh->refs_lock);
		*out = x;
		return PW_OK;
	}
	pthread_mutex_unlock(&sh->refs_lock);
	/* built without the lock: two threads may both build after a write,
	 * which costs time but no correctness; the version was read first,
	 * so a write during the build leaves this one stale, not wrong */
	if ((st = extractor_build(e, &x, err)))
		return st;
	extractor *old = NULL;
	pthread_mutex_lock(&sh->refs_lock);
	if (!sh->x || sh->x_version <= v) {
		old = sh->x;
		atomic_fetch_add(&x->refs, 1); /* the holder's reference */
		sh->x = x;
		sh->x_version = v;
	}
	pthread_mutex_unlock(&sh->refs_lock);
	extractor_free(old);
	*out = x;
	return PW_OK;
}

/* ---- public API ---- */

struct pw_extraction_res {
	pw_extraction pub;
	arena mem;
};

pw_status pw_extract(pw_engine *e, const char *text, size_t len,
                     pw_extraction **out, pw_error *err)
{
	pw_status st;
	extractor *x = NULL;
	ext_hits h;
	struct pw_extraction_res *r = NULL;
	ext_hits_init(&h);
	if (!text)
		text = "";
	if ((st = check_utf8(text, len, err)) ||
	    (st = engine_extractor(e, &x, err)) ||
	    (st = extractor_run(x, text, len, &h, err)))
		goto done;
	if (!(r = calloc(1, sizeof *r))) {
		st = pw_oom(err);
		goto done;
	}
	r->pub.len = len;
	r->pub.count = h.n;
	char *copy = arena_alloc(&r->mem, len + 1);
	r->pub.text = copy;
	r->pub.hits =
	    arena_alloc(&r->mem, (h.n ? h.n : 1) * sizeof *r->pub.hits);
	if (!copy || !r->pub.hits) {
		st = pw_oom(err);
		goto done;
	}
	memcpy(copy, text, len);
	for (size_t i = 0; i < h.n; i++) {
		pw_extract_hit *p = &r->pub.hits[i];
		p->start = h.v[i].start;
		p->end = h.v[i].end;
		/* a result owns its strings: the extractor may be rebuilt */
		if (!(p->skill = arena_strdup(&r->mem, h.v[i].id)) ||
		    !(p->name = arena_strdup(&r->mem, h.v[i].name))) {
			st = pw_oom(err);
			goto done;
		}
	}
	*out = &r->pub;
	r = NULL;
done:
	if (r)
		pw_extraction_free(&r->pub);
	ext_hits_release(&h);
	extractor_free(x);
	return st;
}

void pw_extraction_free(pw_extraction *x)
{
	if (!x)
		return;
	struct pw_extraction_res *r = (struct pw_extraction_res *)x;
	arena_release(&r->mem);
	free(r);
}

char *pw_extraction_json(const pw_extraction *x, unsigned flags)
{
	jsonw w;
	buf piece;
	jw_init(&w, flags);
	buf_init(&piece);
	jw_obj(&w);
	jw_key(&w, "skills");
	jw_arr(&w);
	for (size_t i = 0; i < x->count; i++) {
		const pw_extract_hit *h = &x->hits[i];
		piece.len = 0;
		buf_append(&piece, x->text + h->start, h->end - h->start);
		jw_obj(&w);
		jw_key(&w, "skill");
		jw_str(&w, h->skill);
		jw_key(&w, "name");
		jw_str(&w, h->name);
		jw_key(&w, "start");
		jw_int(&w, (long long)h->start);
		jw_key(&w, "end");
		jw_int(&w, (long long)h->end);
		jw_key(&w, "text");
		jw_str(&w,
		       piece.failed ? NULL : (piece.data ? piece.data : ""));
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	bool failed = piece.failed;
	buf_release(&piece);
	char *doc = jw_finish(&w);
	if (failed) {
		free(doc);
		return NULL;
	}
	return doc;
}

pw_status pw_extract_body(pw_engine *e, const char *body, size_t len, bool json,
                          pw_extraction **out, pw_error *err)
{
	if (!json)
		return pw_extract(e, body ? body : "", body ? len : 0, out,
		                  err);
	if (load_too_deep_at(body, len) != SIZE_MAX)
		return pw_fail(err, PW_ERR_INVALID,
		               "bad JSON body: nested deeper than %d levels",
		               JSON_MAX_DEPTH);
	json_error_t jerr;
	json_t *v = json_loadb(body, len,
	                       JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!v) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return pw_oom(err);
		return pw_fail(err, PW_ERR_INVALID,
		               "bad JSON body: %s (line %d, column %d)",
		               jerr.text, jerr.line, jerr.column);
	}
	json_t *text = json_object_get(v, "text");
	pw_status st;
	if (!json_is_object(v))
		st = pw_fail(
		    err, PW_ERR_INVALID,
		    "bad JSON body: expected an object {\"text\": \"...\"}");
	else if (!json_is_string(text))
		st = pw_fail(err, PW_ERR_INVALID, "bad JSON body: 'text' %s",
		             text ? "takes a string" : "is missing");
	else if (json_object_size(v) != 1)
		st = pw_fail(
		    err, PW_ERR_INVALID,
		    "bad JSON body: the object takes one member, 'text'");
	else
		st = pw_extract(e, json_string_value(text),
		                json_string_length(text), out, err);
	json_decref(v);
	return st;
}
