/* test_next_property.c - next (SPEC §5) takes shortcuts at scale: openings
 * counted through one witness requirement per posting, gains summed only
 * for the credentials that can reach the top, what a credential raises
 * computed without re-scoring the learner. This checks it against the
 * definition on random catalogs (taxonomies, related edges, any_of,
 * preferred-only requirements, credential requirements, prerequisites,
 * stacks, closed, remote and location-less postings): for every learner and
 * every credential they could earn now, the credential is added to their
 * record, every posting is explained, and the record is put back. */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSKILLS   24
#define NCREDS    20
#define NJOBS     40
#define NLEARNERS 14
#define SEEDS     25
#define AS_OF     "2025-06-01"

/* what the reference needs to know of the catalog it wrote */
static int prereq[NCREDS];   /* -1 for none */
static int comps[NCREDS][2]; /* a stack's two components, or -1 */
static int holds[NLEARNERS][NCREDS];
static unsigned hours[NCREDS];

static void location(fx_text *d, fx_rng *r)
{
	switch (fx_rand(r, 5)) {
	case 0: fx_put(d, "{\"county\": \"2100%u\"}", fx_rand(r, 3)); break;
	case 1: fx_put(d, "{\"state\": \"KY\"}"); break;
	default:
		fx_put(d,
		       "{\"lat\": %.3f, \"lon\": %.3f, \"county\": \"2100%u\", "
		       "\"state\": \"KY\"}",
		       37.0 + fx_rand(r, 100) / 100.0,
		       -83.0 - fx_rand(r, 100) / 100.0, fx_rand(r, 3));
	}
}

static char *generate(unsigned seed)
{
	fx_rng r = {seed * 104729ull + 7};
	fx_text d = {0};
	fx_put(&d, "{\"skills\": [");
	for (int s = 0; s < NSKILLS; s++) {
		fx_put(&d, "%s{\"id\": \"s%02d\", \"name\": \"Skill %d\"",
		       s ? "," : "", s, s);
		if (s > 3 && fx_rand(&r, 3))
			fx_put(&d, ", \"broader\": [\"s%02u\"]",
			       fx_rand(&r, (unsigned)s));
		if (s > 0 && fx_rand(&r, 4) == 0)
			fx_put(&d,
			       ", \"related\": [{\"skill\": \"s%02u\", "
			       "\"weight\": 0.%u}]",
			       fx_rand(&r, (unsigned)s), 1 + fx_rand(&r, 9));
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"credentials\": [");
	for (int c = 0; c < NCREDS; c++) {
		prereq[c] = -1;
		comps[c][0] = comps[c][1] = -1;
		hours[c] = 1 + fx_rand(&r, 4); /* ties on purpose */
		fx_put(
		    &d,
		    "%s{\"id\": \"c%02d\", \"name\": \"Cred %d\", \"hours\": "
		    "%u, \"cost\": %u, \"modality\": \"online\", \"skills\": [",
		    c ? "," : "", c, c, hours[c], 10 + fx_rand(&r, 3));
		unsigned k = 1 + fx_rand(&r, 3);
		int used[NSKILLS] = {0};
		unsigned written = 0;
		for (unsigned i = 0; i < k; i++) {
			unsigned s = fx_rand(&r, NSKILLS);
			if (used[s]++)
				continue;
			fx_put(&d, "%s{\"skill\": \"s%02u\", \"level\": %u}",
			       written++ ? "," : "", s, 1 + fx_rand(&r, 4));
		}
		fx_put(&d, "]");
		if (c >= 16) { /* stacks of earlier credentials */
			comps[c][0] = c - 10;
			comps[c][1] = (int)fx_rand(&r, 6);
			if (comps[c][1] == comps[c][0])
				comps[c][1] = -1;
			fx_put(&d, ", \"components\": [\"c%02d\"", comps[c][0]);
			if (comps[c][1] >= 0)
				fx_put(&d, ", \"c%02d\"", comps[c][1]);
			fx_put(&d, "]");
		} else if (c > 2 && fx_rand(&r, 4) == 0) {
			prereq[c] = (int)fx_rand(&r, (unsigned)c);
			fx_put(&d, ", \"prerequisites\": [\"c%02d\"]",
			       prereq[c]);
		}
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"jobs\": [");
	for (int j = 0; j < NJOBS; j++) {
		fx_put(&d,
		       "%s{\"id\": \"j%02d\", \"title\": \"Job %d\", "
		       "\"openings\": "
		       "%u, \"location\": ",
		       j ? "," : "", j, j, 1 + fx_rand(&r, 3));
		location(&d, &r);
		if (fx_rand(&r, 6) == 0)
			fx_put(&d, ", \"remote\": true");
		if (fx_rand(&r, 8) == 0)
			fx_put(&d, ", \"expires\": \"2025-0%u-15\"",
			       1 + fx_rand(&r, 5));
		fx_put(&d, ", \"requirements\": [");
		unsigned k = 1 + fx_rand(&r, 4);
		bool all_preferred = fx_rand(&r, 7) == 0;
		int used[NSKILLS] = {0};
		unsigned written = 0;
		for (unsigned i = 0; i < k; i++) {
			unsigned s = fx_rand(&r, NSKILLS),
			         s2 = fx_rand(&r, NSKILLS);
			if (used[s] || used[s2])
				continue;
			used[s] = 1;
			const char *req = all_preferred || fx_rand(&r, 4) == 0
			                      ? "false"
			                      : "true";
			if (s2 != s && fx_rand(&r, 4) == 0) {
				used[s2] = 1;
				fx_put(&d,
				       "%s{\"any_of\": [{\"skill\": \"s%02u\", "
				       "\"level\": %u}, {\"skill\": \"s%02u\", "
				       "\"level\": %u}], \"importance\": %u, "
				       "\"required\": %s}",
				       written ? "," : "", s,
				       1 + fx_rand(&r, 4), s2,
				       1 + fx_rand(&r, 4), 1 + fx_rand(&r, 5),
				       req);
			} else
				fx_put(
				    &d,
				    "%s{\"skill\": \"s%02u\", \"level\": %u, "
				    "\"importance\": %u, \"required\": %s}",
				    written ? "," : "", s, 1 + fx_rand(&r, 4),
				    1 + fx_rand(&r, 5), req);
			written++;
		}
		fx_put(&d, "]");
		if (fx_rand(&r, 5) == 0)
			fx_put(&d, ", \"credentials_required\": [\"c%02u\"]",
			       fx_rand(&r, NCREDS));
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"learners\": [");
	for (int l = 0; l < NLEARNERS; l++) {
		memset(holds[l], 0, sizeof holds[l]);
		fx_put(&d, "%s{\"id\": \"l%02d\", \"home\": ", l ? "," : "", l);
		location(&d, &r);
		fx_put(&d, ", \"max_commute_miles\": %u, \"credentials\": [",
		       10 + fx_rand(&r, 60));
		unsigned k = fx_rand(&r, 5), written = 0;
		for (unsigned i = 0; i < k; i++) {
			unsigned c = fx_rand(&r, 16); /* never a stack itself */
			if (holds[l][c]++)
				continue;
			fx_put(&d,
			       "%s{\"credential\": \"c%02u\", \"earned\": "
			       "\"2024-0%u-01\"}",
			       written++ ? "," : "", c, 1 + fx_rand(&r, 9));
		}
		fx_put(&d, "]}");
	}
	fx_put(&d, "]}");
	return d.text;
}

/* SPEC §2 held: listed (none expires here), or a stack whose components
 * are all held. */
static void held_set(int l, bool held[NCREDS])
{
	for (int c = 0; c < NCREDS; c++)
		held[c] = holds[l][c] != 0;
	for (bool more = true; more;) {
		more = false;
		for (int c = 0; c < NCREDS; c++)
			if (!held[c] && comps[c][0] >= 0 && held[comps[c][0]] &&
			    (comps[c][1] < 0 || held[comps[c][1]]))
				held[c] = more = true;
	}
}

typedef struct ref_row {
	int cred;
	long long openings, gain10;
} ref_row;

static int cmp_ref(const void *x, const void *y)
{
	const ref_row *a = x, *b = y;
	if (a->openings != b->openings)
		return a->openings > b->openings ? -1 : 1;
	if (a->gain10 != b->gain10)
		return a->gain10 > b->gain10 ? -1 : 1;
	if (hours[a->cred] != hours[b->cred])
		return hours[a->cred] < hours[b->cred] ? -1 : 1;
	return a->cred - b->cred;
}

/* Every posting explained for learner l: score in tenths, qualified, and
 * whether it counts (open and in range); openings from the document. */
static void explain_all(pw_engine *e, int l, int score[NJOBS], bool qual[NJOBS],
                        bool counts[NJOBS])
{
	char lid[16], jid[16];
	snprintf(lid, sizeof lid, "l%02d", l);
	for (int j = 0; j < NJOBS; j++) {
		pw_explain *x;
		pw_error err;
		snprintf(jid, sizeof jid, "j%02d", j);
		if (pw_explain_match(e, lid, jid, fx_date(AS_OF), &x, &err))
			fail_msg("explain: %s", err.message);
		score[j] = (int)lround(x->score * 10);
		qual[j] = x->qualified;
		counts[j] = x->open && x->in_range;
		pw_explain_free(x);
	}
}

static long long openings_of(pw_engine *e, int j)
{
	char jid[16], *json;
	snprintf(jid, sizeof jid, "j%02d", j);
	assert_int_equal(pw_show_json(e, PW_KIND_JOB, jid, 0, &json, NULL),
	                 PW_OK);
	const char *p = strstr(json, "\"openings\":");
	long long n = p ? atoll(p + 11) : 1;
	pw_free(json);
	return n;
}

static void next_equals_its_definition(void **state)
{
	(void)state;
	for (unsigned seed = 0; seed < SEEDS; seed++) {
		char *text = generate(seed);
		pw_engine *e = fx_open();
		fx_load_ok(e, text);
		free(text);
		long long open_n[NJOBS];
		for (int j = 0; j < NJOBS; j++)
			open_n[j] = openings_of(e, j);
		for (int l = 0; l < NLEARNERS; l++) {
			char lid[16], *record;
			snprintf(lid, sizeof lid, "l%02d", l);
			assert_int_equal(pw_show_json(e, PW_KIND_LEARNER, lid,
			                              0, &record, NULL),
			                 PW_OK);
			int s0[NJOBS], s1[NJOBS];
			bool q0[NJOBS], q1[NJOBS], in0[NJOBS], in1[NJOBS];
			explain_all(e, l, s0, q0, in0);
			bool held[NCREDS];
			held_set(l, held);
			ref_row want[NCREDS];
			size_t n = 0;
			for (int c = 0; c < NCREDS; c++) {
				if (held[c] || comps[c][0] >= 0 ||
				    (prereq[c] >= 0 && !held[prereq[c]]))
					continue;
				char h[96];
				bool added;
				pw_error err;
				snprintf(
				    h, sizeof h,
				    "{\"credential\": \"c%02d\", \"earned\": "
				    "\"2025-05-31\"}",
				    c);
				pw_report *arep = pw_report_new();
				if (pw_add_holding(e, lid, h, strlen(h), arep,
				                   &added, &err))
					fail_msg("add: %s", err.message);
				pw_report_free(arep);
				explain_all(e, l, s1, q1, in1);
				ref_row row = {c, 0, 0};
				for (int j = 0; j < NJOBS; j++) {
					if (!in0[j])
						continue;
					row.gain10 +=
					    open_n[j] * (s1[j] - s0[j]);
					if (q1[j] && !q0[j])
						row.openings += open_n[j];
				}
				/* the record as it was */
				pw_report *rep = pw_report_new();
				pw_put_result res;
				if (pw_put_entity(e, PW_KIND_LEARNER, record,
				                  strlen(record), NULL, rep,
				                  &res, &err))
					fail_msg("put back: %s", err.message);
				pw_report_free(rep);
				if (row.openings || row.gain10)
					want[n++] = row;
			}
			pw_free(record);
			qsort(want, n, sizeof *want, cmp_ref);
			pw_next *nx;
			pw_error err;
			if (pw_next_credentials(e, lid, fx_date(AS_OF), 50, &nx,
			                        &err))
				fail_msg("next: %s", err.message);
			if (nx->count != n)
				fail_msg("seed %u %s: %zu results, want %zu",
				         seed, lid, nx->count, n);
			for (size_t i = 0; i < n; i++) {
				char cid[16];
				snprintf(cid, sizeof cid, "c%02d",
				         want[i].cred);
				const pw_next_item *it = &nx->items[i];
				if (strcmp(it->credential, cid) != 0 ||
				    it->newly_qualified_openings !=
				        want[i].openings ||
				    lround(it->score_gain * 10) !=
				        want[i].gain10)
					fail_msg("seed %u %s rank %zu: %s %lld "
					         "%.1f, "
					         "want %s %lld %.1f",
					         seed, lid, i, it->credential,
					         it->newly_qualified_openings,
					         it->score_gain, cid,
					         want[i].openings,
					         want[i].gain10 / 10.0);
			}
			/* and the top 5 is the head of that */
			pw_next *top5;
			assert_int_equal(pw_next_credentials(e, lid,
			                                     fx_date(AS_OF), 5,
			                                     &top5, NULL),
			                 PW_OK);
			assert_int_equal(top5->count, n < 5 ? n : 5);
			for (size_t i = 0; i < top5->count; i++)
				assert_string_equal(top5->items[i].credential,
				                    nx->items[i].credential);
			pw_next_free(top5);
			pw_next_free(nx);
		}
		pw_close(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(next_equals_its_definition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
