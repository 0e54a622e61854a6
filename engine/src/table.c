/* table.c - tab- and comma-separated files as the public data sets ship
 * them: a header row found by its column names (BLS puts a title line
 * above it), columns bound by name, a UTF-8 byte-order mark and CRLF line
 * ends tolerated, and RFC 4180 quoting (a quoted field may hold the
 * separator, doubled quotes and line breaks, as ESCO's label lists do and
 * as third-party copies of O*NET files add). */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* How many lines above the header a file may carry (titles, notes). */
#define HEADER_SEARCH_LINES 8

struct table {
	char *data; /* the whole file, fields unescaped and NUL-terminated */
	size_t len, pos;
	char sep;
	char *name; /* a copy, for reports */
	pw_report *rep;
	size_t line;      /* line where the current record starts, 1-based */
	size_t next_line; /* line where the next record starts */
	char **fields;
	size_t nfields, cap;
	char **header;
	size_t nheader;
	bool ragged; /* records may have fewer or more fields than the header */
};

static bool push_field(table *t, char *f)
{
	if (t->nfields == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		char **v = realloc(t->fields, cap * sizeof *v);
		if (!v)
			return false;
		t->fields = v;
		t->cap = cap;
	}
	t->fields[t->nfields++] = f;
	return true;
}

/* Reads one record from t->pos into t->fields; false at the end of the
 * data. A quoted field that never closes is reported and ends the file. */
static bool read_record(table *t, bool *oom)
{
	char *d = t->data;
	size_t i = t->pos, n = t->len;
	t->nfields = 0;
	if (i >= n)
		return false;
	t->line = t->next_line;
	for (;;) {
		char *out = d + i, *start = out;
		if (i < n && d[i] == '"') {
			/* quoted: copy down over the escapes */
			size_t open_line = t->next_line;
			i++;
			for (;;) {
				if (i >= n) {
					char where[48];
					snprintf(where, sizeof where,
					         "line %zu", open_line);
					report_append(t->rep, t->name, where,
					              "a quoted field never "
					              "closes");
					t->pos = n;
					*out = '\0';
					return push_field(t, start) ||
					       !(*oom = true);
				}
				if (d[i] == '"') {
					if (i + 1 < n && d[i + 1] == '"') {
						*out++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (d[i] == '\n')
					t->next_line++;
				*out++ = d[i++];
			}
			/* anything up to the separator after the closing quote
			 * is kept as written */
			while (
			    i < n && d[i] != t->sep && d[i] != '\n' &&
			    !(d[i] == '\r' && (i + 1 == n || d[i + 1] == '\n')))
				*out++ = d[i++];
		} else {
			while (i < n && d[i] != t->sep && d[i] != '\n')
				i++;
			out = d + i;
			if (out > start && out[-1] == '\r' &&
			    (i == n || d[i] == '\n'))
				out--;
		}
		char end = i < n ? d[i] : '\n';
		if (end == '\r') { /* after a quoted field */
			i++;
			end = '\n';
		}
		*out = '\0';
		if (!push_field(t, start)) {
			*oom = true;
			return false;
		}
		i++;
		if (end == '\n') {
			t->next_line++;
			break;
		}
	}
	t->pos = i;
	return true;
}

static bool blank_record(const table *t)
{
	return t->nfields == 1 && t->fields[0][0] == '\0';
}

static int column_in(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

pw_status table_open(const char *path, const char *name, char sep,
                     const char *const *required, pw_report *rep, table **out,
                     pw_error *err)
{
	table *t = calloc(1, sizeof *t);
	pw_status st;
	bool oom = false;
	if (!t)
		return pw_oom(err);
	t->sep = sep;
	if (!(t->name = strdup(name))) {
		free(t);
		return pw_oom(err);
	}
	t->rep = rep;
	t->next_line = 1;
	struct stat sb;
	if (stat(path, &sb) != 0 && errno == ENOENT) {
		st = pw_fail(err, PW_ERR_NOT_FOUND, "cannot open '%s': %s",
		             path, strerror(errno));
		table_close(t);
		return st;
	}
	if ((st = file_read(path, 0, &t->data, &t->len, err))) {
		table_close(t);
		return st;
	}
	if (t->len >= 3 && memcmp(t->data, "\xEF\xBB\xBF", 3) == 0)
		t->pos = 3;
	/* the header: the first of the leading lines naming every required
	 * column (or the first line when none is required) */
	for (int tries = 0; tries < HEADER_SEARCH_LINES; tries++) {
		if (!read_record(t, &oom))
			break;
		bool all = true;
		for (size_t k = 0; required && required[k]; k++)
			if (column_in(t->fields, t->nfields, required[k]) < 0)
				all = false;
		if (all) {
			t->header = t->fields;
			t->nheader = t->nfields;
			t->fields = NULL;
			t->nfields = t->cap = 0;
			*out = t;
			return PW_OK;
		}
		if (!required || !required[0])
			break;
	}
	if (oom) {
		table_close(t);
		return pw_oom(err);
	}
	/* name what is missing from the first line */
	t->pos = t->len >= 3 && memcmp(t->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	t->next_line = 1;
	size_t missing = 0;
	if (t->len == t->pos) {
		report_append(rep, name, "line 1", "the file is empty");
		missing = 1;
	} else if (read_record(t, &oom)) {
		for (size_t k = 0; required && required[k]; k++)
			if (column_in(t->fields, t->nfields, required[k]) < 0) {
				report_appendf(rep, name, "line 1",
				               "no column '%s' in the header",
				               required[k]);
				missing++;
			}
	}
	table_close(t);
	if (oom)
		return pw_oom(err);
	return pw_fail(err, PW_ERR_INVALID, "%s: %zu column%s missing", name,
	               missing, missing == 1 ? "" : "s");
}

const char *table_name(const table *t)
{
	return t->name;
}

int table_column(const table *t, const char *name)
{
	return column_in(t->header, t->nheader, name);
}

size_t table_columns(const table *t)
{
	return t->nheader;
}

const char *table_header(const table *t, size_t i)
{
	return i < t->nheader ? t->header[i] : NULL;
}

int table_next(table *t, pw_error *err)
{
	bool oom = false;
	for (;;) {
		if (!read_record(t, &oom)) {
			if (oom)
				return pw_oom(err), -1;
			return 0;
		}
		if (blank_record(t))
			continue; /* blank lines, a final newline */
		if (t->nfields != t->nheader && !t->ragged) {
			report_appendf(t->rep, t->name, table_where(t),
			               "expected %zu fields, found %zu",
			               t->nheader, t->nfields);
			continue;
		}
		return 1;
	}
}

const char *table_get(const table *t, int col)
{
	if (col < 0 || (size_t)col >= t->nfields)
		return "";
	return t->fields[col];
}

void table_allow_ragged(table *t)
{
	t->ragged = true;
}

size_t table_fields(const table *t)
{
	return t->nfields;
}

size_t table_line(const table *t)
{
	return t->line;
}

const char *table_where(table *t)
{
	static _Thread_local char where[32];
	snprintf(where, sizeof where, "line %zu", t->line);
	return where;
}

const char *table_where_col(table *t, int col)
{
	static _Thread_local char where[160];
	snprintf(where, sizeof where, "line %zu, column '%.100s'", t->line,
	         col >= 0 && (size_t)col < t->nheader ? t->header[col] : "?");
	return where;
}

size_t table_done(const table *t)
{
	return t->pos;
}

size_t table_size(const table *t)
{
	return t->len;
}

void table_close(table *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->data);
	free(t->fields);
	free(t->header);
	free(t);
}
