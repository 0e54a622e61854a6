/* region.c - the regions of the board views (SPEC §10): counties, a state
 * or a circle, parsed from the CLI's and the API's forms, and whether a
 * place lies in one. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Half the earth's circumference: every place is within it of any other. */
#define RADIUS_MAX 12451.0

void pw_region_free(pw_region *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncounties; i++)
		free(r->counties[i]);
	free(r->counties);
	free(r->state);
	free(r);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool fips(const char *s, size_t n)
{
	if (n != 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* "21071,21193": each a 5-digit code; sorted and made distinct. */
static pw_status parse_counties(pw_region *r, const char *list, pw_error *err)
{
	size_t n = 1;
	for (const char *c = list; *c; c++)
		n += *c == ',';
	if (!(r->counties = calloc(n, sizeof *r->counties)))
		return pw_oom(err);
	for (const char *at = list;;) {
		size_t len = strcspn(at, ",");
		if (!fips(at, len))
			return pw_fail(err, PW_ERR_INVALID,
			               "county '%.*s' is not a 5-digit county "
			               "FIPS code",
			               (int)(len > 40 ? 40 : len), at);
		if (!(r->counties[r->ncounties] = strndup(at, len)))
			return pw_oom(err);
		r->ncounties++;
		if (!at[len])
			break;
		at += len + 1;
	}
	qsort(r->counties, r->ncounties, sizeof *r->counties, cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < r->ncounties; i++) {
		if (k && strcmp(r->counties[k - 1], r->counties[i]) == 0)
			free(r->counties[i]);
		else
			r->counties[k++] = r->counties[i];
	}
	r->ncounties = k;
	return PW_OK;
}

/* A number: the whole text, finite, no leading space. */
static bool number(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) ||
	    isspace((unsigned char)*s))
		return false;
	*out = v;
	return true;
}

static pw_status parse_circle(pw_region *r, const char *near,
                              const char *radius, pw_error *err)
{
	const char *comma = strchr(near, ',');
	char lat[64];
	size_t n = comma ? (size_t)(comma - near) : 0;
	if (!comma || n >= sizeof lat)
		return pw_fail(err, PW_ERR_INVALID,
		               "near '%.60s' is not LAT,LON", near);
	memcpy(lat, near, n);
	lat[n] = '\0';
	if (!number(lat, &r->lat) || !number(comma + 1, &r->lon) ||
	    fabs(r->lat) > 90 || fabs(r->lon) > 180)
		return pw_fail(err, PW_ERR_INVALID,
		               "near '%.60s' is not LAT,LON (latitude -90 to "
		               "90, longitude -180 to 180)",
		               near);
	if (!number(radius, &r->radius) || r->radius < 0 ||
	    r->radius > RADIUS_MAX)
		return pw_fail(err, PW_ERR_INVALID,
		               "radius '%.40s' is not a number of miles from 0 "
		               "to %.0f",
		               radius, RADIUS_MAX);
	r->circle = true;
	return PW_OK;
}

pw_status pw_region_parse(const char *county, const char *state,
                          const char *near, const char *radius, pw_region **out,
                          pw_error *err)
{
	int forms = (county != NULL) + (state != NULL) +
	            (near != NULL || radius != NULL);
	if (forms > 1)
		return pw_fail(
		    err, PW_ERR_INVALID,
		    "a region is counties, a state or a circle: give "
		    "only one of county, state, near with radius");
	if ((near != NULL) != (radius != NULL))
		return pw_fail(err, PW_ERR_INVALID,
		               near
		                   ? "near needs a radius"
		                   : "radius needs near (the circle's centre)");
	pw_region *r = calloc(1, sizeof *r);
	if (!r)
		return pw_oom(err);
	pw_status st = PW_OK;
	if (county)
		st = parse_counties(r, county, err);
	else if (state) {
		if (strlen(state) != 2 || !isalpha((unsigned char)state[0]) ||
		    !isalpha((unsigned char)state[1]))
			st = pw_fail(err, PW_ERR_INVALID,
			             "state '%.40s' is not a two-letter code",
			             state);
		else if (!(r->state = strdup(state)))
			st = pw_oom(err);
		else {
			r->state[0] = (char)toupper((unsigned char)state[0]);
			r->state[1] = (char)toupper((unsigned char)state[1]);
		}
	} else if (near)
		st = parse_circle(r, near, radius, err);
	if (st) {
		pw_region_free(r);
		return st;
	}
	*out = r;
	return PW_OK;
}

bool region_has(const pw_region *r, const loc *l)
{
	if (!r)
		return true;
	if (r->ncounties)
		return l->county &&
		       bsearch(&l->county, r->counties, r->ncounties,
		               sizeof *r->counties, cmp_str) != NULL;
	if (r->state)
		return l->state && strcmp(l->state, r->state) == 0;
	if (r->circle)
		return l->has_coords &&
		       geo_miles(r->lat, r->lon, l->lat, l->lon) <= r->radius;
	return true;
}

void region_json(jsonw *w, const pw_region *r)
{
	jw_obj(w);
	if (r && r->ncounties) {
		jw_key(w, "county");
		jw_arr(w);
		for (size_t i = 0; i < r->ncounties; i++)
			jw_str(w, r->counties[i]);
		jw_arr_end(w);
	} else if (r && r->state) {
		jw_key(w, "state");
		jw_str(w, r->state);
	} else if (r && r->circle) {
		jw_key(w, "near");
		jw_obj(w);
		jw_key(w, "lat");
		jw_real(w, r->lat);
		jw_key(w, "lon");
		jw_real(w, r->lon);
		jw_obj_end(w);
		jw_key(w, "radius");
		jw_real(w, r->radius);
	}
	jw_obj_end(w);
}
