/* test_score.c - SPEC §2-3 against hand-computed answers: what is held at a
 * date (expiry, renewals, stacks of stacks), one-step taxonomy credit
 * (narrower 1, broader 0.5, related weight), any_of, required versus
 * preferred, credential requirements, the weighted score and its rounding,
 * and the via tie-breaks of §9. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON in tests is written with ' for " to stay readable (fx_dq). */
static void load_q(pw_engine *e, const char *text)
{
	char *json = fx_dq(text);
	fx_load_ok(e, json);
	free(json);
}

static const char *const catalog =
    "{'skills': ["
    " {'id': 'care', 'name': 'Patient care'},"
    " {'id': 'vitals', 'name': 'Vital signs', 'broader': ['care']},"
    " {'id': 'bp', 'name': 'Blood pressure', 'broader': ['vitals']},"
    " {'id': 'wound', 'name': 'Wound care', 'broader': ['care']},"
    " {'id': 'cpr', 'name': 'CPR', 'related': [{'skill': 'fa', 'weight': 0.7}]},"
    " {'id': 'fa', 'name': 'First aid', 'related': [{'skill': 'cpr', 'weight': 0.5}]},"
    " {'id': 'lift', 'name': 'Lifting'}, {'id': 'drive', 'name': 'Driving'},"
    " {'id': 'sa', 'name': 'A'}, {'id': 'sb', 'name': 'B'}],"
    "'credentials': ["
    " {'id': 'c-vitals', 'name': 'Vitals', 'skills': [{'skill': 'vitals', 'level': 2}]},"
    " {'id': 'c-care2', 'name': 'Care 2', 'skills': [{'skill': 'care', 'level': 2}]},"
    " {'id': 'c-care3', 'name': 'Care 3', 'skills': [{'skill': 'care', 'level': 3}]},"
    " {'id': 'c-bp', 'name': 'BP', 'skills': [{'skill': 'bp', 'level': 4}]},"
    " {'id': 'c-wound', 'name': 'Wound', 'skills': [{'skill': 'wound', 'level': 2}]},"
    " {'id': 'c-fa', 'name': 'First aid', 'skills': [{'skill': 'fa', 'level': 3}]},"
    " {'id': 'c-cpr', 'name': 'CPR', 'expires_months': 24, 'skills': [{'skill': 'cpr', 'level': 2}]},"
    " {'id': 'c-lift1', 'name': 'Lift 1', 'skills': [{'skill': 'lift', 'level': 1}]},"
    " {'id': 'c-lift2', 'name': 'Lift 2', 'skills': [{'skill': 'lift', 'level': 2}]},"
    " {'id': 'c-lift2b', 'name': 'Lift 2b', 'skills': [{'skill': 'lift', 'level': 2}]},"
    " {'id': 'comp-a', 'name': 'A', 'skills': [{'skill': 'sa', 'level': 1}]},"
    " {'id': 'comp-b', 'name': 'B', 'expires_months': 12, 'skills': [{'skill': 'sb', 'level': 1}]},"
    " {'id': 'comp-c', 'name': 'C', 'skills': [{'skill': 'lift', 'level': 1}]},"
    " {'id': 'stack-ab', 'name': 'AB', 'components': ['comp-a', 'comp-b'],"
    "  'skills': [{'skill': 'drive', 'level': 2}]},"
    " {'id': 'big', 'name': 'Big', 'components': ['stack-ab', 'comp-c'],"
    "  'skills': [{'skill': 'lift', 'level': 4}]}]}";

static int setup(void **state)
{
	pw_engine *e = fx_open();
	load_q(e, catalog);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	pw_close(*state);
	return 0;
}

/* Replaces learner L (holding each credential of `holds`, earned
 * 2025-01-01) and job J (with requirements and credential requirements,
 * JSON fragments in ' quotes), then explains L against J at as_of. */
static pw_explain *explain_case(pw_engine *e, const char *holds,
                                const char *reqs, const char *credreqs,
                                const char *as_of)
{
	char doc[8192], held[4096] = "";
	char copy[1024];
	snprintf(copy, sizeof copy, "%s", holds);
	for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) {
		size_t n = strlen(held);
		snprintf(held + n, sizeof held - n,
		         "%s{'credential': '%s', 'earned': '2025-01-01'}",
		         n ? ", " : "", tok);
	}
	snprintf(doc, sizeof doc,
	         "{'learners': [{'id': 'L', 'credentials': [%s]}],"
	         " 'jobs': [{'id': 'J', 'title': 'Job', 'requirements': [%s],"
	         " 'credentials_required': [%s]}]}",
	         held, reqs, credreqs ? credreqs : "");
	load_q(e, doc);
	pw_explain *x;
	pw_error err;
	if (pw_explain_match(e, "L", "J", fx_date(as_of), &x, &err))
		fail_msg("explain failed: %s", err.message);
	return x;
}

static pw_explain *explain1(pw_engine *e, const char *holds, const char *reqs)
{
	return explain_case(e, holds, reqs, NULL, "2025-06-01");
}

static void assert_req(const pw_explain_req *q, const char *skill, double have,
                       pw_via via, const char *via_skill, const char *via_cred,
                       double coverage)
{
	assert_string_equal(q->skill, skill);
	if (q->have != have)
		fail_msg("%s: have %g, expected %g", skill, q->have, have);
	assert_int_equal(q->via, via);
	if (via_skill)
		assert_string_equal(q->via_skill, via_skill);
	else
		assert_null(q->via_skill);
	if (via_cred)
		assert_string_equal(q->via_credential, via_cred);
	else
		assert_null(q->via_credential);
	if (q->coverage != coverage)
		fail_msg("%s: coverage %g, expected %g", skill, q->coverage, coverage);
}

static void direct_level(void **state)
{
	pw_explain *x = explain1(*state, "c-vitals", "{'skill': 'vitals', 'level': 2}");
	assert_req(&x->reqs[0], "vitals", 2, PW_VIA_DIRECT, "vitals", "c-vitals", 1);
	assert_true(x->score == 100.0);
	assert_true(x->qualified);
	pw_explain_free(x);
	/* the level a credential grants is a ceiling: need 3, have 2 */
	x = explain1(*state, "c-vitals", "{'skill': 'vitals', 'level': 3}");
	assert_req(&x->reqs[0], "vitals", 2, PW_VIA_DIRECT, "vitals", "c-vitals",
	           0.667);
	assert_true(x->score == 66.7);
	assert_false(x->qualified);
	pw_explain_free(x);
}

static void narrower_counts_fully(void **state)
{
	pw_explain *x = explain1(*state, "c-vitals", "{'skill': 'care', 'level': 2}");
	assert_req(&x->reqs[0], "care", 2, PW_VIA_NARROWER, "vitals", "c-vitals", 1);
	assert_true(x->qualified);
	pw_explain_free(x);
}

static void broader_counts_half(void **state)
{
	pw_explain *x = explain1(*state, "c-care3", "{'skill': 'vitals', 'level': 2}");
	assert_req(&x->reqs[0], "vitals", 1.5, PW_VIA_BROADER, "care", "c-care3",
	           0.75);
	assert_true(x->score == 75.0);
	assert_false(x->qualified);
	pw_explain_free(x);
}

static void only_one_step(void **state)
{
	/* bp is two steps under care: it shows vitals, never care */
	pw_explain *x = explain1(*state, "c-bp",
	                         "{'skill': 'care', 'level': 1}, "
	                         "{'skill': 'vitals', 'level': 3}");
	assert_req(&x->reqs[0], "care", 0, PW_VIA_NONE, NULL, NULL, 0);
	assert_req(&x->reqs[1], "vitals", 4, PW_VIA_NARROWER, "bp", "c-bp", 1);
	assert_true(x->score == 50.0);
	pw_explain_free(x);
}

static void related_by_larger_declared_weight(void **state)
{
	/* cpr->fa is declared 0.7 and fa->cpr 0.5: the larger counts both ways */
	pw_explain *x = explain1(*state, "c-fa", "{'skill': 'cpr', 'level': 3}");
	assert_req(&x->reqs[0], "cpr", 2.1, PW_VIA_RELATED, "fa", "c-fa", 0.7);
	assert_true(x->score == 70.0);
	pw_explain_free(x);
	x = explain1(*state, "c-cpr", "{'skill': 'fa', 'level': 2}");
	assert_req(&x->reqs[0], "fa", 1.4, PW_VIA_RELATED, "cpr", "c-cpr", 0.7);
	pw_explain_free(x);
}

static void best_source_and_via_order(void **state)
{
	/* care 2 directly and care 2 through vitals: direct wins the tie */
	pw_explain *x = explain1(*state, "c-vitals c-care2",
	                         "{'skill': 'care', 'level': 2}");
	assert_req(&x->reqs[0], "care", 2, PW_VIA_DIRECT, "care", "c-care2", 1);
	pw_explain_free(x);
	/* a larger have beats a better via: vitals 2 narrower over care 1.5? no:
	 * care 3 held shows vitals 1.5 (broader); vitals held directly is 2 */
	x = explain1(*state, "c-care3 c-vitals", "{'skill': 'vitals', 'level': 2}");
	assert_req(&x->reqs[0], "vitals", 2, PW_VIA_DIRECT, "vitals", "c-vitals", 1);
	pw_explain_free(x);
	/* two narrower skills at the same level: the smaller skill id */
	x = explain1(*state, "c-wound c-vitals", "{'skill': 'care', 'level': 2}");
	assert_req(&x->reqs[0], "care", 2, PW_VIA_NARROWER, "vitals", "c-vitals", 1);
	pw_explain_free(x);
}

static void via_credential_is_smallest_at_top_level(void **state)
{
	pw_explain *x = explain1(*state, "c-lift2b c-lift2",
	                         "{'skill': 'lift', 'level': 2}");
	assert_req(&x->reqs[0], "lift", 2, PW_VIA_DIRECT, "lift", "c-lift2", 1);
	pw_explain_free(x);
	/* the highest level wins before the smallest id */
	x = explain1(*state, "c-lift1 c-lift2b", "{'skill': 'lift', 'level': 2}");
	assert_req(&x->reqs[0], "lift", 2, PW_VIA_DIRECT, "lift", "c-lift2b", 1);
	pw_explain_free(x);
}

static void any_of_reports_best_then_first(void **state)
{
	/* fa 3 shows cpr 2.1: both alternatives are met, the first is reported */
	pw_explain *x = explain1(*state, "c-fa",
	                         "{'any_of': [{'skill': 'cpr', 'level': 2},"
	                         " {'skill': 'fa', 'level': 2}]}");
	assert_req(&x->reqs[0], "cpr", 2.1, PW_VIA_RELATED, "fa", "c-fa", 1);
	assert_true(x->reqs[0].any_of);
	assert_true(x->qualified);
	pw_explain_free(x);
	/* at need 3, cpr covers 0.7 and fa covers 1: fa is reported */
	x = explain1(*state, "c-fa",
	             "{'any_of': [{'skill': 'cpr', 'level': 3},"
	             " {'skill': 'fa', 'level': 3}]}");
	assert_req(&x->reqs[0], "fa", 3, PW_VIA_DIRECT, "fa", "c-fa", 1);
	pw_explain_free(x);
	/* nothing held: the first alternative, need its level */
	x = explain1(*state, "", "{'any_of': [{'skill': 'drive', 'level': 3},"
	                         " {'skill': 'lift', 'level': 1}]}");
	assert_req(&x->reqs[0], "drive", 0, PW_VIA_NONE, NULL, NULL, 0);
	assert_int_equal(x->reqs[0].need, 3);
	pw_explain_free(x);
}

static void weighted_score_and_rounding(void **state)
{
	/* 5 met, 3 half, 1 missing: 100 * (5 + 1.5) / 9 = 72.22 -> 72.2 */
	pw_explain *x = explain1(*state, "c-vitals c-lift1",
	                         "{'skill': 'vitals', 'level': 2, 'importance': 5},"
	                         "{'skill': 'lift', 'level': 2, 'importance': 3},"
	                         "{'skill': 'drive', 'level': 1, 'importance': 1}");
	assert_true(x->score == 72.2);
	assert_false(x->qualified);
	pw_explain_free(x);
	/* 1 met of importance 16: 6.25 rounds half away from zero to 6.3 */
	x = explain1(*state, "c-lift1",
	             "{'skill': 'lift', 'level': 1, 'importance': 1},"
	             "{'skill': 'sa', 'level': 1, 'importance': 5},"
	             "{'skill': 'sb', 'level': 1, 'importance': 5},"
	             "{'skill': 'drive', 'level': 1, 'importance': 5}");
	assert_true(x->score == 6.3);
	pw_explain_free(x);
	/* 3 of 16: 18.75 -> 18.8 */
	x = explain1(*state, "c-lift1",
	             "{'skill': 'lift', 'level': 1, 'importance': 3},"
	             "{'skill': 'sa', 'level': 1, 'importance': 5},"
	             "{'skill': 'sb', 'level': 1, 'importance': 4},"
	             "{'skill': 'drive', 'level': 1, 'importance': 4}");
	assert_true(x->score == 18.8);
	pw_explain_free(x);
	/* a third: 33.3 */
	x = explain1(*state, "c-lift1", "{'skill': 'lift', 'level': 3}");
	assert_true(x->score == 33.3);
	assert_true(x->reqs[0].coverage == 0.333);
	pw_explain_free(x);
	/* no requirements: 100 and qualified */
	x = explain1(*state, "", "");
	assert_true(x->score == 100.0);
	assert_true(x->qualified);
	pw_explain_free(x);
}

static void preferred_raises_score_only(void **state)
{
	pw_explain *x = explain1(*state, "c-vitals",
	                         "{'skill': 'vitals', 'level': 2},"
	                         "{'skill': 'drive', 'level': 2, 'required': false}");
	assert_true(x->qualified);
	assert_true(x->score == 50.0);
	assert_false(x->reqs[1].required);
	pw_explain_free(x);
	x = explain1(*state, "c-vitals",
	             "{'skill': 'vitals', 'level': 3, 'required': true},"
	             "{'skill': 'drive', 'level': 2, 'required': false}");
	assert_false(x->qualified);
	pw_explain_free(x);
}

static void credential_requirements(void **state)
{
	pw_explain *x = explain_case(*state, "c-fa", "", "{'any_of': ['c-cpr', 'c-fa']}",
	                             "2025-06-01");
	assert_true(x->qualified);
	assert_int_equal(x->ncreds, 1);
	assert_string_equal(x->creds[0].credential, "c-fa");
	assert_true(x->creds[0].held);
	assert_true(x->score == 100.0);
	pw_explain_free(x);
	x = explain_case(*state, "c-fa", "", "'c-fa', 'c-cpr'", "2025-06-01");
	assert_false(x->qualified);
	assert_true(x->creds[0].held);
	assert_false(x->creds[1].held);
	assert_string_equal(x->creds[1].credential, "c-cpr");
	/* a missing credential does not lower the score */
	assert_true(x->score == 100.0);
	pw_explain_free(x);
}

/* Learner L holds one credential with the given entry fields. */
static bool held_at(pw_engine *e, const char *entry, const char *as_of)
{
	char doc[1024];
	snprintf(doc, sizeof doc,
	         "{'learners': [{'id': 'L', 'credentials': [%s]}],"
	         " 'jobs': [{'id': 'J', 'title': 'Job',"
	         " 'credentials_required': ['c-cpr']}]}",
	         entry);
	load_q(e, doc);
	pw_explain *x;
	pw_error err;
	if (pw_explain_match(e, "L", "J", fx_date(as_of), &x, &err))
		fail_msg("explain failed: %s", err.message);
	bool held = x->creds[0].held;
	pw_explain_free(x);
	return held;
}

static void expiry_by_calendar_months(void **state)
{
	pw_engine *e = *state;
	/* 24 months from Jan 31 2024 is Jan 31 2026: expired on that day */
	const char *jan31 = "{'credential': 'c-cpr', 'earned': '2024-01-31'}";
	assert_true(held_at(e, jan31, "2024-01-31"));
	assert_true(held_at(e, jan31, "2026-01-30"));
	assert_false(held_at(e, jan31, "2026-01-31"));
	assert_false(held_at(e, jan31, "2024-01-30")); /* not yet earned */
	/* Dec 31 2023 + 24 months = Dec 31 2025 */
	const char *dec31 = "{'credential': 'c-cpr', 'earned': '2023-12-31'}";
	assert_true(held_at(e, dec31, "2025-12-30"));
	assert_false(held_at(e, dec31, "2025-12-31"));
	/* leap day: Feb 29 2024 + 24 months is clamped to Feb 28 2026 */
	const char *leap = "{'credential': 'c-cpr', 'earned': '2024-02-29'}";
	assert_true(held_at(e, leap, "2026-02-27"));
	assert_false(held_at(e, leap, "2026-02-28"));
	/* the entry's own expiry overrides expires_months */
	const char *own = "{'credential': 'c-cpr', 'earned': '2024-01-01',"
	                  " 'expires': '2024-06-01'}";
	assert_true(held_at(e, own, "2024-05-31"));
	assert_false(held_at(e, own, "2024-06-01"));
	/* renewal: an expired listing and a fresh one; either listing holds */
	const char *renewed = "{'credential': 'c-cpr', 'earned': '2020-01-01'},"
	                      "{'credential': 'c-cpr', 'earned': '2025-03-01'}";
	assert_false(held_at(e, renewed, "2025-02-01"));
	assert_true(held_at(e, renewed, "2025-03-01"));
}

static void stacks_of_stacks(void **state)
{
	pw_engine *e = *state;
	/* all components: stack-ab (drive 2) and big (lift 4) are held */
	pw_explain *x = explain1(e, "comp-a comp-b comp-c",
	                         "{'skill': 'drive', 'level': 2},"
	                         "{'skill': 'lift', 'level': 4}");
	assert_req(&x->reqs[0], "drive", 2, PW_VIA_DIRECT, "drive", "stack-ab", 1);
	assert_req(&x->reqs[1], "lift", 4, PW_VIA_DIRECT, "lift", "big", 1);
	pw_explain_free(x);
	/* without comp-c: stack-ab yes, big no */
	x = explain1(e, "comp-a comp-b",
	             "{'skill': 'drive', 'level': 2}, {'skill': 'lift', 'level': 4}");
	assert_true(x->reqs[0].coverage == 1);
	assert_true(x->reqs[1].coverage == 0);
	pw_explain_free(x);
	/* comp-b (12 months) expired on 2026-01-01: neither stack holds */
	x = explain_case(e, "comp-a comp-b comp-c",
	                 "{'skill': 'drive', 'level': 2}, {'skill': 'lift', 'level': 4}",
	                 NULL, "2026-01-01");
	assert_true(x->reqs[0].coverage == 0);
	assert_req(&x->reqs[1], "lift", 1, PW_VIA_DIRECT, "lift", "comp-c", 0.25);
	pw_explain_free(x);
	/* a stack listed by itself is held by its own listing */
	x = explain1(e, "stack-ab", "{'skill': 'drive', 'level': 2}");
	assert_true(x->reqs[0].coverage == 1);
	pw_explain_free(x);
	/* and counts as a component of the stack above it */
	x = explain1(e, "stack-ab comp-c", "{'skill': 'lift', 'level': 4}");
	assert_req(&x->reqs[0], "lift", 4, PW_VIA_DIRECT, "lift", "big", 1);
	pw_explain_free(x);
}

static void explain_json_document(void **state)
{
	pw_explain *x = explain1(*state, "c-care3",
	                         "{'skill': 'vitals', 'level': 2, 'importance': 4},"
	                         "{'skill': 'drive', 'level': 1}");
	char *json = pw_explain_json(x, 0);
	assert_non_null(json);
	const char *expect =
	    "{\"learner\":\"L\",\"job\":\"J\",\"as_of\":\"2025-06-01\","
	    "\"score\":42.9,\"qualified\":false,\"in_range\":true,"
	    "\"distance_miles\":null,\"requirements\":["
	    "{\"skill\":\"vitals\",\"name\":\"Vital signs\",\"required\":true,"
	    "\"importance\":4,\"need\":2,\"have\":1.5,\"via\":\"broader\","
	    "\"via_skill\":\"care\",\"via_credential\":\"c-care3\","
	    "\"coverage\":0.75},"
	    "{\"skill\":\"drive\",\"name\":\"Driving\",\"required\":true,"
	    "\"importance\":3,\"need\":1,\"have\":0.0,\"via\":\"none\","
	    "\"via_skill\":null,\"via_credential\":null,\"coverage\":0.0}],"
	    "\"credentials_required\":[]}";
	assert_string_equal(json, expect);
	pw_free(json);
	pw_explain_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(direct_level, setup, teardown),
	    cmocka_unit_test_setup_teardown(narrower_counts_fully, setup, teardown),
	    cmocka_unit_test_setup_teardown(broader_counts_half, setup, teardown),
	    cmocka_unit_test_setup_teardown(only_one_step, setup, teardown),
	    cmocka_unit_test_setup_teardown(related_by_larger_declared_weight, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(best_source_and_via_order, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(via_credential_is_smallest_at_top_level,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(any_of_reports_best_then_first, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(weighted_score_and_rounding, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(preferred_raises_score_only, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(credential_requirements, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(expiry_by_calendar_months, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(stacks_of_stacks, setup, teardown),
	    cmocka_unit_test_setup_teardown(explain_json_document, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
