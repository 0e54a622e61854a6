/* records.c - entities back to the native format of SPEC §1, so that what
 * `load` stored, `show --json` returns and `load` accepts again. Absent
 * optional fields stay absent; defaults that load filled in are written. */
#include "internal.h"

static void opt_str(jsonw *w, const char *key, const char *v)
{
	if (v) {
		jw_key(w, key);
		jw_str(w, v);
	}
}

static void opt_real(jsonw *w, const char *key, bool has, double v)
{
	if (has) {
		jw_key(w, key);
		jw_real(w, v);
	}
}

static void strs(jsonw *w, const char *key, const rec_strs *v, bool always)
{
	if (!v->n && !always)
		return;
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < v->n; i++)
		jw_str(w, v->v[i]);
	jw_arr_end(w);
}

static void location(jsonw *w, const char *key, const rec_location *l)
{
	if (!l->present)
		return;
	jw_key(w, key);
	jw_obj(w);
	opt_real(w, "lat", l->has_lat, l->lat);
	opt_real(w, "lon", l->has_lon, l->lon);
	opt_str(w, "county", l->county);
	opt_str(w, "city", l->city);
	opt_str(w, "state", l->state);
	jw_obj_end(w);
}

static void wage(jsonw *w, const rec_wage *v)
{
	if (!v->present)
		return;
	jw_key(w, "wage");
	jw_obj(w);
	opt_real(w, "min", v->has_min, v->min);
	opt_real(w, "max", v->has_max, v->max);
	opt_str(w, "unit", v->unit);
	jw_obj_end(w);
}

static void level_entry(jsonw *w, const rec_level *l)
{
	jw_obj(w);
	jw_key(w, "skill");
	jw_str(w, l->skill);
	jw_key(w, "level");
	jw_int(w, l->level);
	jw_obj_end(w);
}

static void requirements(jsonw *w, const rec_target *t)
{
	jw_key(w, "requirements");
	jw_arr(w);
	for (size_t i = 0; i < t->nreqs; i++) {
		const rec_requirement *r = &t->reqs[i];
		jw_obj(w);
		if (r->nalts) {
			jw_key(w, "any_of");
			jw_arr(w);
			for (size_t a = 0; a < r->nalts; a++)
				level_entry(w, &r->alts[a]);
			jw_arr_end(w);
		} else {
			jw_key(w, "skill");
			jw_str(w, r->skill);
			jw_key(w, "level");
			jw_int(w, r->level);
		}
		jw_key(w, "importance");
		jw_int(w, r->importance);
		jw_key(w, "required");
		jw_bool(w, r->required);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void rec_write_skill(jsonw *w, const rec_skill *r)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_str(w, r->id);
	jw_key(w, "name");
	jw_str(w, r->name);
	strs(w, "aliases", &r->aliases, false);
	opt_str(w, "pattern", r->pattern);
	strs(w, "broader", &r->broader, false);
	if (r->nrelated) {
		jw_key(w, "related");
		jw_arr(w);
		for (size_t i = 0; i < r->nrelated; i++) {
			jw_obj(w);
			jw_key(w, "skill");
			jw_str(w, r->related[i].skill);
			jw_key(w, "weight");
			jw_real(w, r->related[i].weight);
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	if (r->ncodes) {
		jw_key(w, "codes");
		jw_obj(w);
		for (size_t i = 0; i < r->ncodes; i++) {
			jw_key(w, r->codes[i].framework);
			jw_str(w, r->codes[i].code);
		}
		jw_obj_end(w);
	}
	jw_obj_end(w);
}

void rec_write_credential(jsonw *w, const rec_credential *r)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_str(w, r->id);
	jw_key(w, "name");
	jw_str(w, r->name);
	opt_str(w, "provider", r->provider);
	opt_str(w, "url", r->url);
	opt_str(w, "description", r->description);
	jw_key(w, "type");
	jw_str(w, r->type);
	jw_key(w, "skills");
	jw_arr(w);
	for (size_t i = 0; i < r->nskills; i++)
		level_entry(w, &r->skills[i]);
	jw_arr_end(w);
	opt_real(w, "hours", r->has_hours, r->hours);
	opt_real(w, "cost", r->has_cost, r->cost);
	strs(w, "aliases", &r->aliases, false);
	strs(w, "occupations", &r->occupations, false);
	jw_key(w, "listed");
	jw_bool(w, r->listed);
	strs(w, "prerequisites", &r->prerequisites, false);
	strs(w, "components", &r->components, false);
	if (r->has_expires_months) {
		jw_key(w, "expires_months");
		jw_int(w, r->expires_months);
	}
	opt_str(w, "modality", r->modality);
	location(w, "location", &r->location);
	opt_real(w, "college_credits", r->has_college_credits,
	         r->college_credits);
	jw_obj_end(w);
}

void rec_write_occupation(jsonw *w, const rec_target *r)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_str(w, r->id);
	jw_key(w, "title");
	jw_str(w, r->title);
	opt_str(w, "description", r->description);
	strs(w, "aliases", &r->aliases, false);
	strs(w, "related", &r->related, false);
	if (r->job_zone) {
		jw_key(w, "job_zone");
		jw_int(w, r->job_zone);
	}
	opt_str(w, "education", r->education);
	requirements(w, r);
	wage(w, &r->wage);
	if (r->has_openings) {
		jw_key(w, "openings");
		jw_int(w, r->openings);
	}
	opt_real(w, "growth_pct", r->has_growth, r->growth_pct);
	jw_obj_end(w);
}

void rec_write_job(jsonw *w, const rec_target *r)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_str(w, r->id);
	jw_key(w, "title");
	jw_str(w, r->title);
	opt_str(w, "employer", r->employer);
	opt_str(w, "description", r->description);
	opt_str(w, "url", r->url);
	opt_str(w, "owner", r->owner);
	opt_str(w, "soc", r->soc);
	location(w, "location", &r->location);
	jw_key(w, "remote");
	jw_bool(w, r->remote);
	wage(w, &r->wage);
	jw_key(w, "openings");
	jw_int(w, r->openings);
	requirements(w, r);
	jw_key(w, "credentials_required");
	jw_arr(w);
	for (size_t i = 0; i < r->ncredreqs; i++) {
		const rec_credreq *cr = &r->credreqs[i];
		if (!cr->any_of) {
			jw_str(w, cr->creds.v[0]);
			continue;
		}
		jw_obj(w);
		strs(w, "any_of", &cr->creds, true);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (r->posted != PW_DATE_NONE) {
		jw_key(w, "posted");
		jw_date(w, r->posted);
	}
	if (r->expires != PW_DATE_NONE) {
		jw_key(w, "expires");
		jw_date(w, r->expires);
	}
	jw_obj_end(w);
}

void rec_write_learner(jsonw *w, const rec_learner *r)
{
	jw_obj(w);
	jw_key(w, "id");
	jw_str(w, r->id);
	opt_str(w, "name", r->name);
	opt_str(w, "contact", r->contact);
	location(w, "home", &r->home);
	opt_real(w, "max_commute_miles", r->has_max_commute,
	         r->max_commute_miles);
	opt_real(w, "hours_per_week", r->has_hours_per_week, r->hours_per_week);
	jw_key(w, "discoverable");
	jw_bool(w, r->discoverable);
	jw_key(w, "share_contact");
	jw_bool(w, r->share_contact);
	jw_key(w, "credentials");
	jw_arr(w);
	for (size_t i = 0; i < r->nholdings; i++) {
		const rec_holding *h = &r->holdings[i];
		jw_obj(w);
		jw_key(w, "credential");
		jw_str(w, h->credential);
		jw_key(w, "earned");
		jw_date(w, h->earned);
		if (h->expires != PW_DATE_NONE) {
			jw_key(w, "expires");
			jw_date(w, h->expires);
		}
		if (h->has_source) {
			jw_key(w, "source");
			jw_obj(w);
			opt_str(w, "format", h->source_format);
			opt_str(w, "id", h->source_id);
			if (h->has_source_verified) {
				jw_key(w, "verified");
				jw_bool(w, h->source_verified);
			}
			jw_obj_end(w);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (r->has_demographics) {
		jw_key(w, "demographics");
		jw_obj(w);
		opt_str(w, "gender", r->gender);
		opt_str(w, "race_ethnicity", r->race_ethnicity);
		opt_str(w, "age_band", r->age_band);
		jw_obj_end(w);
	}
	jw_obj_end(w);
}
