/* onet.h - how O*NET's importance and level ratings become requirements.
 * pw_import_onet uses onet_default_mapping; the mapping is a parameter so
 * that tests/bench/bench_onet_reach.c can measure how many occupations the
 * catalog's credentials reach under other thresholds. */
#ifndef PATHWAY_ONET_H
#define PATHWAY_ONET_H

#include "internal.h"

typedef struct onet_mapping {
	/* A knowledge area (2.C), and a technical skill (2.B.3) when
	 * technical_required, whose importance IM is at least required_im is a
	 * required requirement; every other rating is a preferred one. */
	double required_im;
	bool technical_required;
	/* Level LV (0-7) below level_cut[0] is proficiency level 1, below
	 * level_cut[1] level 2, below level_cut[2] level 3, else 4. */
	double level_cut[3];
	/* Technology examples flagged In Demand for an occupation become its
	 * preferred requirements at level 1 and this importance; 0 for none. */
	int in_demand_importance;
} onet_mapping;

extern const onet_mapping onet_default_mapping;

/* pw_import_onet under another mapping. */
pw_status onet_import(pw_engine *e, const char *dir, const onet_mapping *map,
                      const pw_import_opts *o, pw_report *rep,
                      pw_import_summary *sum, pw_error *err);

#endif
