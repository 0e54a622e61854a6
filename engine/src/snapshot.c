/* snapshot.c - the in-memory model as a file mapped into memory, so that a
 * command answers without rebuilding the model from SQL each time.
 *
 * The file sits beside the store (PATH-snap) and names the store's identity
 * and write counter: any committed write makes it stale, and the next
 * command that needs the model builds it from the store and rewrites the
 * file (through a temporary file and a rename, so a reader never sees half
 * of one). A snapshot is a cache: when it is absent, stale, damaged or
 * cannot be written, the model is built from the store as before.
 *
 * Layout: a header, then one section per column in the order of `cols`
 * below, each 8-byte aligned: { u64 count; u32 elem size; u32 column } and
 * the elements. Numeric columns are used in place from the mapping; string
 * and location columns are stored as offsets into a per-column blob and
 * turned back into pointers when mapped. A checksum of the body is
 * checked, and every index and offset array against its bounds, when the
 * file is mapped, so that a damaged file is refused rather than read. Native
 * byte order: the file is a cache of this machine, never exchanged. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAP_MAGIC "PWSNAP\r\n"
/* Bump with any change to what model.c builds or how: a snapshot of
 * another format is rebuilt, never read. */
#define SNAP_FORMAT 8u
#define SNAP_ENDIAN 0x01020304u

/* The counts every column's length derives from. */
enum count {
	N_SKILLS,
	N_CREDS,
	N_TARGETS,
	N_JOBS,
	N_OCC,
	N_REQ,
	N_ALT,
	N_ENT,
	N_CC,
	N_OPEN,
	N_LEARNERS,
	N_HOLD,
	N_BASE, /* those above are in the header; those below are derived */
	N_SKILLS1 = N_BASE,
	N_CREDS1,
	N_TARGETS1,
	N_REQ1,
	N_ENT1,
	N_LEARNERS1,
	N_SPREAD,
	N_CSKILL,
	N_PREREQ,
	N_COMP,
	N_PARENT,
	N_SKT,
	N_SKC,
	N_HOLDER,
	N_CRT,
	N_COUNTS
};

enum kind {
	K_NUM,    /* fixed-size numbers, used in place */
	K_OFFSET, /* u32 CSR offsets: start at 0, never decrease */
	K_STR,    /* const char *[] */
	K_LOC,    /* loc[] */
};

/* A column: where it lives in the model, how many elements it has, what
 * bounds its values (an index < counts[bound]; -1 for none), and whether
 * it is one of the mutable columns an in-place write grows (those are
 * heap-allocated when they hold pointers). */
typedef struct col {
	size_t field;
	uint8_t kind, size, count;
	int8_t bound;  /* values < counts[bound] */
	int8_t total;  /* K_OFFSET: its last value is counts[total] */
	bool mutable_; /* a column that in-place writes grow */
	bool level;    /* u8 values in 1..4 */
} col;

#define F(x) offsetof(model, x)
#define NUM(x, n, b)                                                           \
	{                                                                      \
		F(x), K_NUM, sizeof(*((model *)0)->x), n, b, -1, false, false  \
	}
#define MNUM(x, n, b)                                                          \
	{                                                                      \
		F(x), K_NUM, sizeof(*((model *)0)->x), n, b, -1, true, false   \
	}
#define LEVEL(x, n, m)                                                         \
	{                                                                      \
		F(x), K_NUM, 1, n, -1, -1, m, true                             \
	}
#define OFF(x, n, t)                                                           \
	{                                                                      \
		F(x), K_OFFSET, 4, n, -1, t, false, false                      \
	}
#define MOFF(x, n, t)                                                          \
	{                                                                      \
		F(x), K_OFFSET, 4, n, -1, t, true, false                       \
	}
#define STR(x, n, m)                                                           \
	{                                                                      \
		F(x), K_STR, sizeof(char *), n, -1, -1, m, false               \
	}
#define LOC(x, n, m)                                                           \
	{                                                                      \
		F(x), K_LOC, sizeof(loc), n, -1, -1, m, false                  \
	}

/* Offsets come before the values they delimit: a derived count is read
 * from its offset column when the file is mapped. */
static const col cols[] = {
    STR(skill_id, N_SKILLS, false),
    STR(skill_name, N_SKILLS, false),
    OFF(spread_off, N_SKILLS1, N_SPREAD),
    NUM(spread_to, N_SPREAD, N_SKILLS),
    NUM(spread_factor, N_SPREAD, -1),
    NUM(spread_via, N_SPREAD, -1),

    STR(cred_id, N_CREDS, false),
    STR(cred_name, N_CREDS, false),
    NUM(cred_hours, N_CREDS, -1),
    NUM(cred_cost, N_CREDS, -1),
    NUM(cred_college_credits, N_CREDS, -1),
    NUM(cred_expires_months, N_CREDS, -1),
    NUM(cred_listed, N_CREDS, -1),
    NUM(cred_remote_ok, N_CREDS, -1),
    LOC(cred_loc, N_CREDS, false),
    OFF(cskill_off, N_CREDS1, N_CSKILL),
    NUM(cskill_skill, N_CSKILL, N_SKILLS),
    LEVEL(cskill_level, N_CSKILL, false),
    OFF(prereq_off, N_CREDS1, N_PREREQ),
    NUM(prereq, N_PREREQ, N_CREDS),
    OFF(comp_off, N_CREDS1, N_COMP),
    NUM(comp, N_COMP, N_CREDS),
    OFF(parent_off, N_CREDS1, N_PARENT),
    NUM(parent, N_PARENT, N_CREDS),

    STR(t_id, N_TARGETS, true),
    STR(t_title, N_TARGETS, true),
    STR(t_employer, N_TARGETS, true),
    MNUM(t_remote, N_TARGETS, -1),
    MNUM(t_occ, N_TARGETS, -1),
    MNUM(t_deleted, N_TARGETS, -1),
    LOC(t_loc, N_TARGETS, true),
    MNUM(t_wage, N_TARGETS, -1),
    MNUM(t_openings, N_TARGETS, -1),
    MNUM(t_expires, N_TARGETS, -1),
    MOFF(req_off, N_TARGETS1, N_REQ),
    MNUM(req_cnt, N_TARGETS, -1),
    MOFF(creq_off, N_TARGETS1, N_ENT),
    MNUM(creq_cnt, N_TARGETS, -1),
    MNUM(req_importance, N_REQ, -1),
    MNUM(req_required, N_REQ, -1),
    MNUM(req_any, N_REQ, -1),
    MOFF(alt_off, N_REQ1, N_ALT),
    MNUM(alt_cnt, N_REQ, -1),
    MNUM(alt_skill, N_ALT, N_SKILLS),
    LEVEL(alt_level, N_ALT, true),
    MOFF(creq_alt_off, N_ENT1, N_CC),
    MNUM(creq_alt_cnt, N_ENT, -1),
    MNUM(creq_cred, N_CC, N_CREDS),
    MNUM(open_ended, N_OPEN, N_TARGETS),

    STR(l_id, N_LEARNERS, true),
    STR(l_name, N_LEARNERS, true),
    STR(l_contact, N_LEARNERS, true),
    LOC(l_home, N_LEARNERS, true),
    MNUM(l_max_commute, N_LEARNERS, -1),
    MNUM(l_hours_per_week, N_LEARNERS, -1),
    MNUM(l_discoverable, N_LEARNERS, -1),
    MNUM(l_share_contact, N_LEARNERS, -1),
    MOFF(hold_off, N_LEARNERS1, N_HOLD),
    MNUM(hold_cnt, N_LEARNERS, -1),
    MNUM(hold_cred, N_HOLD, N_CREDS),
    MNUM(hold_from, N_HOLD, -1),
    MNUM(hold_until, N_HOLD, -1),

    OFF(sk_target_off, N_SKILLS1, N_SKT),
    NUM(sk_target, N_SKT, N_TARGETS),
    NUM(sk_target_key, N_SKT, -1),
    LEVEL(sk_target_need, N_SKT, false),
    NUM(sk_target_w, N_SKT, -1),
    NUM(t_bound, N_TARGETS, -1),
    OFF(sk_cred_off, N_SKILLS1, N_SKC),
    NUM(sk_cred, N_SKC, N_CREDS),
    OFF(holder_off, N_CREDS1, N_HOLDER),
    NUM(holder, N_HOLDER, N_LEARNERS),
    NUM(holder_key, N_HOLDER, -1),
    NUM(tgeo, N_TARGETS, N_TARGETS),
    NUM(tgeo_key, N_TARGETS, -1),
    NUM(lgeo, N_LEARNERS, N_LEARNERS),
    NUM(lgeo_key, N_LEARNERS, -1),
    NUM(twage, N_TARGETS, N_TARGETS),
    OFF(creq_target_off, N_CREDS1, N_CRT),
    NUM(creq_target, N_CRT, N_TARGETS),
};

/* Each count of n+1 is one past its base count. */
static const uint8_t plus_one_of[N_COUNTS] = {
    [N_SKILLS1] = N_SKILLS + 1,   [N_CREDS1] = N_CREDS + 1,
    [N_TARGETS1] = N_TARGETS + 1, [N_REQ1] = N_REQ + 1,
    [N_ENT1] = N_ENT + 1,         [N_LEARNERS1] = N_LEARNERS + 1,
};

typedef struct header {
	char magic[8];
	uint32_t format, endian;
	uint32_t ncols, sizeof_loc;
	char store_id[40];
	int64_t version;
	uint64_t file_len;
	uint64_t sum; /* of everything after the header (body_sum) */
	uint64_t counts[N_BASE];
	/* the store file as last known sound (store.c): updated in place
	 * after each write, outside the checksum */
	fileprint sound;
} header;

/* Stored form of a location: offsets into the column's blob, UINT32_MAX
 * for a missing county or state. */
typedef struct sloc {
	double lat, lon;
	uint32_t county, state;
	uint32_t has_coords, pad;
} sloc;

#define NO_STR UINT32_MAX

static void *field(const model *m, const col *c)
{
	return *(void **)((char *)m + c->field);
}

static void set_field(model *m, const col *c, const void *p)
{
	*(const void **)((char *)m + c->field) = p;
}

static void base_counts(const model *m, uint64_t n[N_BASE])
{
	n[N_SKILLS] = m->nskills;
	n[N_CREDS] = m->ncreds;
	n[N_TARGETS] = m->ntargets;
	n[N_JOBS] = m->njobs;
	n[N_OCC] = m->nocc;
	n[N_REQ] = m->nreq;
	n[N_ALT] = m->nalt;
	n[N_ENT] = m->nent;
	n[N_CC] = m->ncc;
	n[N_OPEN] = m->nopen_ended;
	n[N_LEARNERS] = m->nlearners;
	n[N_HOLD] = m->nhold;
}

/* A checksum of the body (8-byte words; the body's length is a multiple
 * of 8), four lanes at a time so that it runs at memory speed: a damaged
 * file is refused, not read. */
static uint64_t body_sum(const unsigned char *p, uint64_t len)
{
	const uint64_t k = 0x9e3779b97f4a7c15ull;
	uint64_t h[4] = {1, 2, 3, 4};
	uint64_t n = len / 8, i = 0;
	for (; i + 4 <= n; i += 4)
		for (int j = 0; j < 4; j++) {
			uint64_t w;
			memcpy(&w, p + 8 * (i + (uint64_t)j), 8);
			h[j] = (h[j] ^ w) * k;
			h[j] ^= h[j] >> 29;
		}
	for (; i < n; i++) {
		uint64_t w;
		memcpy(&w, p + 8 * i, 8);
		h[0] = (h[0] ^ w) * k;
		h[0] ^= h[0] >> 29;
	}
	return (h[0] * 3 + h[1]) * 5 + (h[2] * 7 + h[3]) * 11 + len;
}

/* ---- writing ---- */

typedef struct writer {
	FILE *f;
	uint64_t at;
	bool failed;
} writer;

static void put(writer *w, const void *p, size_t n)
{
	if (w->failed || !n)
		return;
	if (fwrite(p, 1, n, w->f) != n)
		w->failed = true;
	w->at += n;
}

static void pad8(writer *w)
{
	static const char zero[8];
	put(w, zero, (size_t)((8 - w->at % 8) % 8));
}

static void section(writer *w, uint64_t count, uint32_t size, uint32_t tag)
{
	put(w, &count, sizeof count);
	put(w, &size, sizeof size);
	put(w, &tag, sizeof tag);
}

/* Interns s into the blob: equal strings are stored once. */
static uint32_t blob_add(buf *blob, strmap *seen, const char *s, bool *oom)
{
	if (!s)
		return NO_STR;
	void *v = strmap_get(seen, s);
	if (v)
		return (uint32_t)((uintptr_t)v - 1);
	uint32_t at = (uint32_t)blob->len;
	buf_append(blob, s, strlen(s) + 1);
	if (blob->failed || blob->len > UINT32_MAX - 1 ||
	    !strmap_put(seen, s, (void *)(uintptr_t)(at + 1)))
		*oom = true;
	return at;
}

static bool write_strings(writer *w, const col *c, const model *m, uint64_t n)
{
	buf blob;
	strmap seen = {0};
	bool oom = false;
	buf_init(&blob);
	if (c->kind == K_STR) {
		const char *const *v = field(m, c);
		uint32_t *offs = malloc((n ? n : 1) * sizeof *offs);
		if (!offs)
			oom = true;
		for (uint64_t i = 0; !oom && i < n; i++)
			offs[i] = blob_add(&blob, &seen, v[i], &oom);
		if (!oom)
			put(w, offs, n * sizeof *offs);
		free(offs);
	} else {
		const loc *v = field(m, c);
		for (uint64_t i = 0; !oom && i < n; i++) {
			sloc s = {.lat = v[i].lat,
			          .lon = v[i].lon,
			          .has_coords = v[i].has_coords};
			s.county = blob_add(&blob, &seen, v[i].county, &oom);
			s.state = blob_add(&blob, &seen, v[i].state, &oom);
			put(w, &s, sizeof s);
		}
	}
	pad8(w);
	uint64_t len = blob.len;
	put(w, &len, sizeof len);
	put(w, blob.data, blob.len);
	pad8(w);
	buf_release(&blob);
	strmap_release(&seen);
	return !oom;
}

/* The length of a column of m, from its counts (derived ones from the
 * offset columns already known). */
static uint64_t count_of(const uint64_t *counts, const col *c)
{
	return counts[c->count];
}

/* Temporary files of writers that died (killed while writing: PATH.PID.tmp
 * whose process is gone) are removed before another is written, so that
 * they never pile up. */
static void sweep_dead_temps(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);
	char dir[4096];
	if (!slash)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else if ((size_t)(slash - path) < sizeof dir) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	} else
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		size_t nlen = strlen(n);
		char *end;
		if (nlen <= blen + 5 || strncmp(n, base, blen) != 0 ||
		    n[blen] != '.' || strcmp(n + nlen - 4, ".tmp") != 0)
			continue;
		long pid = strtol(n + blen + 1, &end, 10);
		if (end == n + nlen - 4 && pid > 0 &&
		    kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
			char full[8192];
			snprintf(full, sizeof full, "%s/%s", dir, n);
			unlink(full);
		}
	}
	closedir(d);
}

pw_status snapshot_write(const model *m, const char *path, const char *store_id,
                         long long version, const fileprint *sound,
                         pw_error *err)
{
	uint64_t counts[N_COUNTS] = {0};
	base_counts(m, counts);
	for (int k = N_BASE; k < N_COUNTS; k++)
		if (plus_one_of[k])
			counts[k] = counts[plus_one_of[k] - 1] + 1;
	/* a model written in place (sizes beyond its offsets) is never
	 * saved: snapshots are taken right after a build */
	if (m->map || m->t_map.len || m->l_map.len || m->sk_target_x ||
	    m->holder_x || m->creq_target_x)
		return pw_fail(err, PW_ERR_INVALID,
		               "only a freshly built model is saved");

	sweep_dead_temps(path);
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 32);
	if (!tmp)
		return pw_oom(err);
	snprintf(tmp, plen + 32, "%s.%ld.tmp", path, (long)getpid());
	/* the model holds learners' names and contacts: readable by the
	 * owner only, whatever the umask */
	int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	writer w = {fd >= 0 ? fdopen(fd, "w+b") : NULL, 0, false};
	if (fd >= 0 && !w.f)
		close(fd);
	if (!w.f) {
		pw_status st = pw_fail(err, PW_ERR_IO, "cannot write '%s': %s",
		                       tmp, strerror(errno));
		free(tmp);
		return st;
	}
	header h = {.format = SNAP_FORMAT,
	            .endian = SNAP_ENDIAN,
	            .ncols = (uint32_t)PW_ARRAY_LEN(cols),
	            .sizeof_loc = (uint32_t)sizeof(sloc),
	            .version = version};
	memcpy(h.magic, SNAP_MAGIC, 8);
	snprintf(h.store_id, sizeof h.store_id, "%s", store_id);
	memcpy(h.counts, counts, sizeof h.counts);
	if (sound)
		h.sound = *sound;
	put(&w, &h, sizeof h);
	pad8(&w);
	bool oom = false;
	for (size_t i = 0; i < PW_ARRAY_LEN(cols) && !oom && !w.failed; i++) {
		const col *c = &cols[i];
		uint64_t n = count_of(counts, c);
		section(&w, n, c->size, (uint32_t)i);
		if (c->kind == K_STR || c->kind == K_LOC) {
			oom = !write_strings(&w, c, m, n);
			continue;
		}
		put(&w, field(m, c), (size_t)(n * c->size));
		pad8(&w);
		if (c->kind == K_OFFSET) {
			const uint32_t *o = field(m, c);
			counts[c->total] = n ? o[n - 1] : 0;
		}
	}
	/* the header again, now with the length and the body's sum, read
	 * back from the file as written */
	h.file_len = w.at;
	if (!w.failed && !oom && fflush(w.f) == 0) {
		void *body = mmap(NULL, (size_t)w.at, PROT_READ, MAP_SHARED,
		                  fileno(w.f), 0);
		if (body == MAP_FAILED)
			w.failed = true;
		else {
			uint64_t at = (sizeof h + 7) / 8 * 8;
			h.sum = body_sum((const unsigned char *)body + at,
			                 w.at - at);
			munmap(body, (size_t)w.at);
		}
	}
	if (!w.failed && !oom &&
	    (fseek(w.f, 0, SEEK_SET) != 0 || fwrite(&h, sizeof h, 1, w.f) != 1))
		w.failed = true;
	if (fflush(w.f) != 0 || fsync(fileno(w.f)) != 0)
		w.failed = true;
	int saved = errno;
	if (fclose(w.f) != 0)
		w.failed = true;
	pw_status st = PW_OK;
	if (oom)
		st = pw_oom(err);
	else if (w.failed)
		st = pw_fail(err, PW_ERR_IO, "cannot write '%s': %s", tmp,
		             strerror(saved));
	else if (rename(tmp, path) != 0)
		st = pw_fail(err, PW_ERR_IO, "cannot rename '%s': %s", tmp,
		             strerror(errno));
	if (st)
		unlink(tmp);
	free(tmp);
	return st;
}

/* ---- the store's print ---- */

/* The header at fd when it is one of this format. */
static bool header_of(int fd, header *h)
{
	return pread(fd, h, sizeof *h, 0) == (ssize_t)sizeof *h &&
	       memcmp(h->magic, SNAP_MAGIC, 8) == 0 &&
	       h->format == SNAP_FORMAT && h->endian == SNAP_ENDIAN;
}

bool snapshot_sound_get(const char *path, fileprint *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	header h;
	bool ok = header_of(fd, &h);
	close(fd);
	if (ok)
		*out = h.sound;
	return ok;
}

void snapshot_sound_put(const char *path, const fileprint *fp)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	header h;
	if (header_of(fd, &h) && memcmp(&h.sound, fp, sizeof *fp) != 0 &&
	    pwrite(fd, fp, sizeof *fp, offsetof(header, sound)) !=
	        (ssize_t)sizeof *fp) {
		/* a cache: the next command checks the store again */
	}
	close(fd);
}

/* ---- mapping ---- */

typedef struct reader {
	const char *base;
	uint64_t len, at;
} reader;

static const void *take(reader *r, uint64_t n)
{
	if (n > r->len - r->at)
		return NULL;
	const void *p = r->base + r->at;
	r->at += n;
	r->at += (8 - r->at % 8) % 8;
	if (r->at > r->len)
		r->at = r->len;
	return p;
}

static bool check_offsets(const uint32_t *o, uint64_t n)
{
	if (n && o[0] != 0)
		return false;
	for (uint64_t i = 1; i < n; i++)
		if (o[i] < o[i - 1])
			return false;
	return true;
}

static bool check_bound(const col *c, const void *p, uint64_t n, uint64_t bound)
{
	if (c->size == 4) {
		const uint32_t *v = p;
		for (uint64_t i = 0; i < n; i++)
			if (v[i] >= bound)
				return false;
	}
	return c->size == 4;
}

static bool check_levels(const uint8_t *v, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (v[i] < 1 || v[i] > 4)
			return false;
	return true;
}

/* Pointers to the strings of a column; the array comes from the arena
 * for the columns that never grow, the heap for those that do. */
static bool map_strings(model *m, const col *c, reader *r, uint64_t n)
{
	const void *items = take(r, n * (c->kind == K_STR ? 4 : sizeof(sloc)));
	const uint64_t *blen = take(r, sizeof(uint64_t));
	if (!items || !blen)
		return false;
	const char *blob = take(r, *blen);
	if (!blob || (*blen && blob[*blen - 1] != '\0'))
		return false;
	size_t bytes = (size_t)(n ? n : 1) * c->size;
	void *out =
	    c->mutable_ ? calloc(1, bytes) : arena_alloc(&m->mem, bytes);
	if (!out)
		return false;
	set_field(m, c, out);
#define STR_AT(o) ((o) == NO_STR ? NULL : (o) < *blen ? blob + (o) : NULL)
	if (c->kind == K_STR) {
		const uint32_t *offs = items;
		const char **v = out;
		for (uint64_t i = 0; i < n; i++) {
			if (offs[i] != NO_STR && offs[i] >= *blen)
				return false;
			v[i] = STR_AT(offs[i]);
		}
	} else {
		const sloc *s = items;
		loc *v = out;
		for (uint64_t i = 0; i < n; i++) {
			if ((s[i].county != NO_STR && s[i].county >= *blen) ||
			    (s[i].state != NO_STR && s[i].state >= *blen))
				return false;
			v[i] = (loc){.has_coords = s[i].has_coords != 0,
			             .lat = s[i].lat,
			             .lon = s[i].lon,
			             .county = STR_AT(s[i].county),
			             .state = STR_AT(s[i].state)};
		}
	}
#undef STR_AT
	return true;
}

static bool map_columns(model *m, reader *r, uint64_t *counts)
{
	for (size_t i = 0; i < PW_ARRAY_LEN(cols); i++) {
		const col *c = &cols[i];
		const uint64_t *sec = take(r, 16);
		if (!sec)
			return false;
		const uint32_t *size_tag = (const uint32_t *)(sec + 1);
		uint64_t n = count_of(counts, c);
		if (sec[0] != n || size_tag[0] != c->size || size_tag[1] != i ||
		    n > UINT32_MAX)
			return false;
		if (c->kind == K_STR || c->kind == K_LOC) {
			if (!map_strings(m, c, r, n))
				return false;
			continue;
		}
		const void *p = take(r, n * c->size);
		if (!p)
			return false;
		if (c->kind == K_OFFSET) {
			if (!check_offsets(p, n))
				return false;
			counts[c->total] = n ? ((const uint32_t *)p)[n - 1] : 0;
		} else if (c->bound >= 0 &&
		           !check_bound(c, p, n, counts[c->bound]))
			return false;
		else if (c->level && !check_levels(p, n))
			return false;
		set_field(m, c, p);
	}
	return true;
}

static bool sorted_keys(const uint32_t *k, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		if (k[i] < k[i - 1])
			return false;
	return true;
}

/* What the columns must agree on beyond each one's bounds: the counts
 * kept beside offsets, and the kinds of targets. */
static bool check_model(const model *m)
{
	if (m->njobs + (uint64_t)m->nocc != m->ntargets)
		return false;
	for (uint32_t t = 0; t < m->ntargets; t++)
		if (m->req_cnt[t] != m->req_off[t + 1] - m->req_off[t] ||
		    m->creq_cnt[t] != m->creq_off[t + 1] - m->creq_off[t] ||
		    m->t_occ[t] != (t >= m->njobs) || m->t_deleted[t])
			return false;
	for (uint32_t k = 0; k < m->nreq; k++)
		if (m->alt_cnt[k] != m->alt_off[k + 1] - m->alt_off[k])
			return false;
	for (uint32_t k = 0; k < m->nent; k++)
		if (m->creq_alt_cnt[k] !=
		    m->creq_alt_off[k + 1] - m->creq_alt_off[k])
			return false;
	for (uint32_t l = 0; l < m->nlearners; l++)
		if (m->hold_cnt[l] != m->hold_off[l + 1] - m->hold_off[l])
			return false;
	/* keys in order, as binary search needs */
	if (!sorted_keys(m->tgeo_key, m->ntargets) ||
	    !sorted_keys(m->lgeo_key, m->nlearners))
		return false;
	for (uint32_t s = 0; s < m->nskills; s++)
		if (!sorted_keys(m->sk_target_key + m->sk_target_off[s],
		                 m->sk_target_off[s + 1] - m->sk_target_off[s]))
			return false;
	for (uint32_t c = 0; c < m->ncreds; c++)
		if (!sorted_keys(m->holder_key + m->holder_off[c],
		                 m->holder_off[c + 1] - m->holder_off[c]))
			return false;
	/* ids in byte order, as binary search needs */
	for (uint32_t i = 1; i < m->nskills; i++)
		if (!m->skill_id[i] ||
		    strcmp(m->skill_id[i - 1], m->skill_id[i]) >= 0)
			return false;
	for (uint32_t i = 1; i < m->ncreds; i++)
		if (!m->cred_id[i] ||
		    strcmp(m->cred_id[i - 1], m->cred_id[i]) >= 0)
			return false;
	for (uint32_t i = 0; i < m->ntargets; i++)
		if (!m->t_id[i] || !m->t_title[i] ||
		    (i && i != m->njobs &&
		     strcmp(m->t_id[i - 1], m->t_id[i]) >= 0))
			return false;
	for (uint32_t i = 0; i < m->nlearners; i++)
		if (!m->l_id[i] ||
		    (i && strcmp(m->l_id[i - 1], m->l_id[i]) >= 0))
			return false;
	if ((m->nskills && !m->skill_id[0]) || (m->ncreds && !m->cred_id[0]))
		return false;
	for (uint32_t i = 0; i < m->ncreds; i++)
		if (!m->cred_name[i])
			return false;
	return true;
}

pw_status snapshot_map(const char *path, const char *store_id,
                       long long version, model **out, pw_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT
		           ? pw_fail(err, PW_ERR_NOT_FOUND, "no snapshot")
		           : pw_fail(err, PW_ERR_IO, "cannot open '%s': %s",
		                     path, strerror(errno));
	struct stat sb;
	header h;
	if (fstat(fd, &sb) != 0 || (uint64_t)sb.st_size < sizeof h ||
	    pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
		close(fd);
		return pw_fail(err, PW_ERR_INVALID, "'%s' is too short", path);
	}
	if (memcmp(h.magic, SNAP_MAGIC, 8) != 0 || h.format != SNAP_FORMAT ||
	    h.endian != SNAP_ENDIAN || h.ncols != PW_ARRAY_LEN(cols) ||
	    h.sizeof_loc != sizeof(sloc) ||
	    h.file_len != (uint64_t)sb.st_size) {
		close(fd);
		return pw_fail(err, PW_ERR_INVALID,
		               "'%s' is not a snapshot of this pathway", path);
	}
	if (memchr(h.store_id, '\0', sizeof h.store_id) == NULL ||
	    strcmp(h.store_id, store_id) != 0 || h.version != version) {
		close(fd);
		return pw_fail(err, PW_ERR_NOT_FOUND, "stale snapshot");
	}
	void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return pw_fail(err, PW_ERR_IO, "cannot map '%s': %s", path,
		               strerror(errno));
	model *m = calloc(1, sizeof *m);
	if (!m) {
		munmap(p, (size_t)sb.st_size);
		return pw_oom(err);
	}
	m->map = p;
	m->map_len = (size_t)sb.st_size;
	m->mapped_cols = true;
	uint64_t counts[N_COUNTS] = {0};
	bool ok = true;
	for (int k = 0; k < N_BASE; k++)
		if (h.counts[k] >= UINT32_MAX)
			ok = false;
	memcpy(counts, h.counts, sizeof h.counts);
	for (int k = N_BASE; k < N_COUNTS; k++)
		if (plus_one_of[k])
			counts[k] = counts[plus_one_of[k] - 1] + 1;
	m->nskills = (uint32_t)counts[N_SKILLS];
	m->ncreds = (uint32_t)counts[N_CREDS];
	m->ntargets = m->tcap = (uint32_t)counts[N_TARGETS];
	m->njobs = (uint32_t)counts[N_JOBS];
	m->nocc = (uint32_t)counts[N_OCC];
	m->nreq = m->rcap = (uint32_t)counts[N_REQ];
	m->nalt = m->acap = (uint32_t)counts[N_ALT];
	m->nent = m->ecap = (uint32_t)counts[N_ENT];
	m->ncc = m->ccap = (uint32_t)counts[N_CC];
	m->nopen_ended = m->ocap = (uint32_t)counts[N_OPEN];
	m->nlearners = m->nlearners_built = m->lcap =
	    (uint32_t)counts[N_LEARNERS];
	m->nhold = m->hcap = (uint32_t)counts[N_HOLD];
	reader r = {p, (uint64_t)sb.st_size, 0};
	take(&r, sizeof h);
	if (body_sum((const unsigned char *)p + r.at, r.len - r.at) != h.sum)
		ok = false;
	if (!ok || !map_columns(m, &r, counts) || r.at != r.len ||
	    !check_model(m)) {
		model_free(m);
		return pw_fail(err, PW_ERR_INVALID, "'%s' is damaged", path);
	}
	m->l_reach = model_reach(m);
	*out = m;
	return PW_OK;
}
