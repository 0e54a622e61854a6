/* store.c - the SQLite store: schema and migrations, and every SQL statement
 * of the engine. Other modules see records and row callbacks, never SQL.
 * Statements are prepared once per connection and reused; none is ever
 * assembled from data. */
#include "internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- schema ---- */

/* Migration i brings a store from user_version i to i + 1: a list of
 * statements run in one transaction. Never edit one that has shipped;
 * append another. */
static const char *const schema_v1[] = {
    "CREATE TABLE skill ("
    "  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, pattern TEXT);",
    "CREATE TABLE skill_alias ("
    "  skill TEXT NOT NULL REFERENCES skill(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL, alias TEXT NOT NULL,"
    "  PRIMARY KEY (skill, pos)) WITHOUT ROWID;",
    "CREATE TABLE skill_broader ("
    "  skill TEXT NOT NULL REFERENCES skill(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  broader TEXT NOT NULL REFERENCES skill(id) DEFERRABLE INITIALLY "
    "DEFERRED,"
    "  PRIMARY KEY (skill, pos)) WITHOUT ROWID;",
    "CREATE TABLE skill_related ("
    "  skill TEXT NOT NULL REFERENCES skill(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  other TEXT NOT NULL REFERENCES skill(id) DEFERRABLE INITIALLY DEFERRED,"
    "  weight REAL NOT NULL CHECK (weight >= 0 AND weight <= 1),"
    "  PRIMARY KEY (skill, pos)) WITHOUT ROWID;",
    "CREATE TABLE skill_code ("
    "  skill TEXT NOT NULL REFERENCES skill(id) ON DELETE CASCADE,"
    "  framework TEXT NOT NULL, code TEXT NOT NULL,"
    "  PRIMARY KEY (skill, framework)) WITHOUT ROWID;",
    "CREATE INDEX skill_code_by_code ON skill_code(framework, code);",
    "CREATE TABLE credential ("
    "  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, provider TEXT,"
    "  url TEXT, description TEXT, type TEXT NOT NULL, hours REAL, cost REAL,"
    "  listed INTEGER NOT NULL, expires_months INTEGER, modality TEXT,"
    "  college_credits REAL, has_location INTEGER NOT NULL, lat REAL,"
    "  lon REAL, county TEXT, city TEXT, state TEXT);",
    "CREATE TABLE credential_skill ("
    "  credential TEXT NOT NULL REFERENCES credential(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  skill TEXT NOT NULL REFERENCES skill(id) DEFERRABLE INITIALLY DEFERRED,"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
    "  PRIMARY KEY (credential, pos)) WITHOUT ROWID;",
    "CREATE TABLE credential_alias ("
    "  credential TEXT NOT NULL REFERENCES credential(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL, alias TEXT NOT NULL,"
    "  PRIMARY KEY (credential, pos)) WITHOUT ROWID;",
    "CREATE INDEX credential_alias_by_alias ON credential_alias(alias);",
    "CREATE TABLE credential_occupation ("
    "  credential TEXT NOT NULL REFERENCES credential(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL, soc TEXT NOT NULL,"
    "  PRIMARY KEY (credential, pos)) WITHOUT ROWID;",
    "CREATE TABLE credential_prereq ("
    "  credential TEXT NOT NULL REFERENCES credential(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  prereq TEXT NOT NULL REFERENCES credential(id) DEFERRABLE INITIALLY "
    "DEFERRED,"
    "  PRIMARY KEY (credential, pos)) WITHOUT ROWID;",
    "CREATE TABLE credential_component ("
    "  credential TEXT NOT NULL REFERENCES credential(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  component TEXT NOT NULL REFERENCES credential(id) DEFERRABLE INITIALLY "
    "DEFERRED,"
    "  PRIMARY KEY (credential, pos)) WITHOUT ROWID;",
    "CREATE TABLE occupation ("
    "  id TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL, description TEXT,"
    "  job_zone INTEGER, education TEXT, has_wage INTEGER NOT NULL,"
    "  wage_min REAL, wage_max REAL, wage_unit TEXT, openings INTEGER,"
    "  growth_pct REAL);",
    "CREATE TABLE occupation_alias ("
    "  occupation TEXT NOT NULL REFERENCES occupation(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL, alias TEXT NOT NULL,"
    "  PRIMARY KEY (occupation, pos)) WITHOUT ROWID;",
    "CREATE TABLE job ("
    "  id TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL, employer TEXT,"
    "  description TEXT, url TEXT, owner TEXT, soc TEXT,"
    "  has_location INTEGER NOT NULL, lat REAL, lon REAL, county TEXT,"
    "  city TEXT, state TEXT, remote INTEGER NOT NULL,"
    "  has_wage INTEGER NOT NULL, wage_min REAL, wage_max REAL,"
    "  wage_unit TEXT, openings INTEGER NOT NULL, posted TEXT, expires TEXT);",
    /* Requirements of jobs and occupations alike: `target` is a job id or
     * an occupation code, which SPEC §1 keeps apart by their shape. */
    "CREATE TABLE requirement ("
    "  target TEXT NOT NULL, pos INTEGER NOT NULL,"
    "  importance INTEGER NOT NULL CHECK (importance BETWEEN 1 AND 5),"
    "  required INTEGER NOT NULL, any_of INTEGER NOT NULL,"
    "  PRIMARY KEY (target, pos)) WITHOUT ROWID;",
    "CREATE TABLE requirement_skill ("
    "  target TEXT NOT NULL, pos INTEGER NOT NULL, alt INTEGER NOT NULL,"
    "  skill TEXT NOT NULL REFERENCES skill(id) DEFERRABLE INITIALLY DEFERRED,"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),"
    "  PRIMARY KEY (target, pos, alt)) WITHOUT ROWID;",
    "CREATE TABLE credential_requirement ("
    "  target TEXT NOT NULL, pos INTEGER NOT NULL, alt INTEGER NOT NULL,"
    "  any_of INTEGER NOT NULL,"
    "  credential TEXT NOT NULL REFERENCES credential(id) DEFERRABLE "
    "INITIALLY DEFERRED,"
    "  PRIMARY KEY (target, pos, alt)) WITHOUT ROWID;",
    "CREATE TABLE learner ("
    "  id TEXT PRIMARY KEY NOT NULL, name TEXT, contact TEXT,"
    "  has_home INTEGER NOT NULL, lat REAL, lon REAL, county TEXT, city TEXT,"
    "  state TEXT, max_commute_miles REAL, hours_per_week REAL,"
    "  discoverable INTEGER NOT NULL, share_contact INTEGER NOT NULL,"
    "  has_demographics INTEGER NOT NULL, gender TEXT, race_ethnicity TEXT,"
    "  age_band TEXT);",
    "CREATE TABLE holding ("
    "  learner TEXT NOT NULL REFERENCES learner(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  credential TEXT NOT NULL REFERENCES credential(id) DEFERRABLE "
    "INITIALLY DEFERRED,"
    "  earned TEXT NOT NULL, expires TEXT, source_format TEXT,"
    "  source_id TEXT, source_verified INTEGER,"
    "  PRIMARY KEY (learner, pos)) WITHOUT ROWID;",
    "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID;",
    "INSERT INTO meta VALUES ('writes', 0);", NULL};

/* 1 -> 2: bearer tokens for the HTTP API, stored as SHA-256 digests of
 * their secret part; the id is public and only finds the row. */
static const char *const schema_v2[] = {
    "CREATE TABLE token ("
    "  id TEXT PRIMARY KEY NOT NULL, digest BLOB NOT NULL,"
    "  role TEXT NOT NULL"
    "    CHECK (role IN ('learner', 'employer', 'board', 'admin')),"
    "  subject TEXT, created TEXT NOT NULL, revoked TEXT) WITHOUT ROWID;",
    NULL};

/* 2 -> 3: an occupation's related occupations (O*NET's Related
 * Occupations), in order. Not a foreign key: O*NET relates occupations a
 * store may not hold. */
static const char *const schema_v3[] = {
    "CREATE TABLE occupation_related ("
    "  occupation TEXT NOT NULL REFERENCES occupation(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL, related TEXT NOT NULL,"
    "  PRIMARY KEY (occupation, pos)) WITHOUT ROWID;",
    NULL};

/* 3 -> 4: an identity for the store, so that a snapshot file of its model
 * (snapshot.c) is never taken for another store's. */
static const char *const schema_v4[] = {
    "INSERT OR IGNORE INTO meta VALUES ('store_id',"
    " lower(hex(randomblob(16))));",
    NULL};

static const char *const *const migrations[] = {schema_v1, schema_v2, schema_v3,
                                                schema_v4};

#define SCHEMA_VERSION ((int)PW_ARRAY_LEN(migrations))

/* ---- statements ---- */

enum stmt_id {
	Q_BEGIN,
	Q_COMMIT,
	Q_ROLLBACK,
	Q_BUMP,
	Q_WRITES,
	Q_STORE_ID,
	Q_BEGIN_READ,
	Q_END_READ,
	Q_DATA_VERSION,
	Q_EXISTS_SKILL,
	Q_EXISTS_CREDENTIAL,
	Q_EXISTS_OCCUPATION,
	Q_EXISTS_JOB,
	Q_EXISTS_LEARNER,
	Q_EDGES_BROADER,
	Q_EDGES_PREREQ,
	Q_EDGES_COMPONENT,
	/* skill */
	Q_PUT_SKILL,
	Q_DEL_SKILL_ALIAS,
	Q_DEL_SKILL_BROADER,
	Q_DEL_SKILL_RELATED,
	Q_DEL_SKILL_CODE,
	Q_ADD_SKILL_ALIAS,
	Q_ADD_SKILL_BROADER,
	Q_ADD_SKILL_RELATED,
	Q_ADD_SKILL_CODE,
	Q_GET_SKILL,
	Q_GET_SKILL_ALIAS,
	Q_GET_SKILL_BROADER,
	Q_GET_SKILL_RELATED,
	Q_GET_SKILL_CODE,
	/* credential */
	Q_PUT_CRED,
	Q_DEL_CRED_SKILL,
	Q_DEL_CRED_ALIAS,
	Q_DEL_CRED_OCC,
	Q_DEL_CRED_PREREQ,
	Q_DEL_CRED_COMP,
	Q_ADD_CRED_SKILL,
	Q_ADD_CRED_ALIAS,
	Q_ADD_CRED_OCC,
	Q_ADD_CRED_PREREQ,
	Q_ADD_CRED_COMP,
	Q_GET_CRED,
	Q_GET_CRED_SKILL,
	Q_GET_CRED_ALIAS,
	Q_GET_CRED_OCC,
	Q_GET_CRED_PREREQ,
	Q_GET_CRED_COMP,
	/* targets */
	Q_PUT_OCC,
	Q_DEL_OCC_ALIAS,
	Q_ADD_OCC_ALIAS,
	Q_GET_OCC,
	Q_GET_OCC_ALIAS,
	Q_DEL_OCC_RELATED,
	Q_ADD_OCC_RELATED,
	Q_GET_OCC_RELATED,
	Q_PUT_JOB,
	Q_GET_JOB,
	Q_DEL_REQ,
	Q_DEL_REQ_SKILL,
	Q_DEL_CREDREQ,
	Q_GET_REQ,
	Q_GET_REQ_SKILL,
	Q_GET_CREDREQ,
	/* learner */
	Q_PUT_LEARNER,
	Q_DEL_HOLDING,
	Q_GET_LEARNER,
	Q_GET_HOLDING,
	Q_DEL_JOB,
	/* tokens */
	Q_PUT_TOKEN,
	Q_GET_TOKEN,
	Q_REVOKE_TOKEN,
	Q_STMT_COUNT
};

static const char *const stmt_sql[Q_STMT_COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_BUMP] = "UPDATE meta SET value = value + 1 WHERE key = 'writes'",
    [Q_WRITES] = "SELECT value FROM meta WHERE key = 'writes'",
    [Q_STORE_ID] = "SELECT value FROM meta WHERE key = 'store_id'",
    [Q_BEGIN_READ] = "BEGIN",
    [Q_END_READ] = "COMMIT",
    [Q_DATA_VERSION] = "PRAGMA data_version",
    [Q_EXISTS_SKILL] = "SELECT 1 FROM skill WHERE id = ?1",
    [Q_EXISTS_CREDENTIAL] = "SELECT 1 FROM credential WHERE id = ?1",
    [Q_EXISTS_OCCUPATION] = "SELECT 1 FROM occupation WHERE id = ?1",
    [Q_EXISTS_JOB] = "SELECT 1 FROM job WHERE id = ?1",
    [Q_EXISTS_LEARNER] = "SELECT 1 FROM learner WHERE id = ?1",
    [Q_EDGES_BROADER] = "SELECT skill, broader FROM skill_broader",
    [Q_EDGES_PREREQ] = "SELECT credential, prereq FROM credential_prereq",
    [Q_EDGES_COMPONENT] =
        "SELECT credential, component FROM credential_component",

    [Q_PUT_SKILL] = "INSERT INTO skill (id, name, pattern) VALUES (?1, ?2, ?3)"
                    " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                    " pattern = excluded.pattern",
    [Q_DEL_SKILL_ALIAS] = "DELETE FROM skill_alias WHERE skill = ?1",
    [Q_DEL_SKILL_BROADER] = "DELETE FROM skill_broader WHERE skill = ?1",
    [Q_DEL_SKILL_RELATED] = "DELETE FROM skill_related WHERE skill = ?1",
    [Q_DEL_SKILL_CODE] = "DELETE FROM skill_code WHERE skill = ?1",
    [Q_ADD_SKILL_ALIAS] = "INSERT INTO skill_alias VALUES (?1, ?2, ?3)",
    [Q_ADD_SKILL_BROADER] = "INSERT INTO skill_broader VALUES (?1, ?2, ?3)",
    [Q_ADD_SKILL_RELATED] = "INSERT INTO skill_related VALUES (?1, ?2, ?3, ?4)",
    [Q_ADD_SKILL_CODE] = "INSERT INTO skill_code VALUES (?1, ?2, ?3)",
    [Q_GET_SKILL] = "SELECT name, pattern FROM skill WHERE id = ?1",
    [Q_GET_SKILL_ALIAS] =
        "SELECT alias FROM skill_alias WHERE skill = ?1 ORDER BY pos",
    [Q_GET_SKILL_BROADER] =
        "SELECT broader FROM skill_broader WHERE skill = ?1 ORDER BY pos",
    [Q_GET_SKILL_RELATED] = "SELECT other, weight FROM skill_related"
                            " WHERE skill = ?1 ORDER BY pos",
    [Q_GET_SKILL_CODE] = "SELECT framework, code FROM skill_code"
                         " WHERE skill = ?1 ORDER BY framework",

    [Q_PUT_CRED] =
        "INSERT INTO credential (id, name, provider, url, description, type,"
        " hours, cost, listed, expires_months, modality, college_credits,"
        " has_location, lat, lon, county, city, state) VALUES (?1, ?2, ?3,"
        " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
        " provider = excluded.provider, url = excluded.url,"
        " description = excluded.description, type = excluded.type,"
        " hours = excluded.hours, cost = excluded.cost,"
        " listed = excluded.listed, expires_months = excluded.expires_months,"
        " modality = excluded.modality,"
        " college_credits = excluded.college_credits,"
        " has_location = excluded.has_location, lat = excluded.lat,"
        " lon = excluded.lon, county = excluded.county, city = excluded.city,"
        " state = excluded.state",
    [Q_DEL_CRED_SKILL] = "DELETE FROM credential_skill WHERE credential = ?1",
    [Q_DEL_CRED_ALIAS] = "DELETE FROM credential_alias WHERE credential = ?1",
    [Q_DEL_CRED_OCC] =
        "DELETE FROM credential_occupation WHERE credential = ?1",
    [Q_DEL_CRED_PREREQ] = "DELETE FROM credential_prereq WHERE credential = ?1",
    [Q_DEL_CRED_COMP] =
        "DELETE FROM credential_component WHERE credential = ?1",
    [Q_ADD_CRED_SKILL] = "INSERT INTO credential_skill VALUES (?1, ?2, ?3, ?4)",
    [Q_ADD_CRED_ALIAS] = "INSERT INTO credential_alias VALUES (?1, ?2, ?3)",
    [Q_ADD_CRED_OCC] = "INSERT INTO credential_occupation VALUES (?1, ?2, ?3)",
    [Q_ADD_CRED_PREREQ] = "INSERT INTO credential_prereq VALUES (?1, ?2, ?3)",
    [Q_ADD_CRED_COMP] = "INSERT INTO credential_component VALUES (?1, ?2, ?3)",
    [Q_GET_CRED] =
        "SELECT name, provider, url, description, type, hours, cost, listed,"
        " expires_months, modality, college_credits, has_location, lat, lon,"
        " county, city, state FROM credential WHERE id = ?1",
    [Q_GET_CRED_SKILL] = "SELECT skill, level FROM credential_skill"
                         " WHERE credential = ?1 ORDER BY pos",
    [Q_GET_CRED_ALIAS] = "SELECT alias FROM credential_alias"
                         " WHERE credential = ?1 ORDER BY pos",
    [Q_GET_CRED_OCC] = "SELECT soc FROM credential_occupation"
                       " WHERE credential = ?1 ORDER BY pos",
    [Q_GET_CRED_PREREQ] = "SELECT prereq FROM credential_prereq"
                          " WHERE credential = ?1 ORDER BY pos",
    [Q_GET_CRED_COMP] = "SELECT component FROM credential_component"
                        " WHERE credential = ?1 ORDER BY pos",

    [Q_PUT_OCC] =
        "INSERT INTO occupation (id, title, description, job_zone, education,"
        " has_wage, wage_min, wage_max, wage_unit, openings, growth_pct)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
        " description = excluded.description, job_zone = excluded.job_zone,"
        " education = excluded.education, has_wage = excluded.has_wage,"
        " wage_min = excluded.wage_min, wage_max = excluded.wage_max,"
        " wage_unit = excluded.wage_unit, openings = excluded.openings,"
        " growth_pct = excluded.growth_pct",
    [Q_DEL_OCC_ALIAS] = "DELETE FROM occupation_alias WHERE occupation = ?1",
    [Q_ADD_OCC_ALIAS] = "INSERT INTO occupation_alias VALUES (?1, ?2, ?3)",
    [Q_GET_OCC] = "SELECT title, description, job_zone, education, has_wage,"
                  " wage_min, wage_max, wage_unit, openings, growth_pct"
                  " FROM occupation WHERE id = ?1",
    [Q_GET_OCC_ALIAS] = "SELECT alias FROM occupation_alias"
                        " WHERE occupation = ?1 ORDER BY pos",
    [Q_DEL_OCC_RELATED] =
        "DELETE FROM occupation_related WHERE occupation = ?1",
    [Q_ADD_OCC_RELATED] = "INSERT INTO occupation_related VALUES (?1, ?2, ?3)",
    [Q_GET_OCC_RELATED] = "SELECT related FROM occupation_related"
                          " WHERE occupation = ?1 ORDER BY pos",
    [Q_PUT_JOB] =
        "INSERT INTO job (id, title, employer, description, url, owner, soc,"
        " has_location, lat, lon, county, city, state, remote, has_wage,"
        " wage_min, wage_max, wage_unit, openings, posted, expires) VALUES"
        " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
        " ?16, ?17, ?18, ?19, ?20, ?21)"
        " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
        " employer = excluded.employer, description = excluded.description,"
        " url = excluded.url, owner = excluded.owner, soc = excluded.soc,"
        " has_location = excluded.has_location, lat = excluded.lat,"
        " lon = excluded.lon, county = excluded.county, city = excluded.city,"
        " state = excluded.state, remote = excluded.remote,"
        " has_wage = excluded.has_wage, wage_min = excluded.wage_min,"
        " wage_max = excluded.wage_max, wage_unit = excluded.wage_unit,"
        " openings = excluded.openings, posted = excluded.posted,"
        " expires = excluded.expires",
    [Q_GET_JOB] =
        "SELECT title, employer, description, url, owner, soc, has_location,"
        " lat, lon, county, city, state, remote, has_wage, wage_min,"
        " wage_max, wage_unit, openings, posted, expires FROM job"
        " WHERE id = ?1",
    [Q_DEL_REQ] = "DELETE FROM requirement WHERE target = ?1",
    [Q_DEL_REQ_SKILL] = "DELETE FROM requirement_skill WHERE target = ?1",
    [Q_DEL_CREDREQ] = "DELETE FROM credential_requirement WHERE target = ?1",
    [Q_GET_REQ] = "SELECT importance, required, any_of FROM requirement"
                  " WHERE target = ?1 ORDER BY pos",
    [Q_GET_REQ_SKILL] = "SELECT pos, skill, level FROM requirement_skill"
                        " WHERE target = ?1 ORDER BY pos, alt",
    [Q_GET_CREDREQ] = "SELECT pos, any_of, credential FROM"
                      " credential_requirement WHERE target = ?1"
                      " ORDER BY pos, alt",

    [Q_PUT_LEARNER] =
        "INSERT INTO learner (id, name, contact, has_home, lat, lon, county,"
        " city, state, max_commute_miles, hours_per_week, discoverable,"
        " share_contact, has_demographics, gender, race_ethnicity, age_band)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
        " contact = excluded.contact, has_home = excluded.has_home,"
        " lat = excluded.lat, lon = excluded.lon, county = excluded.county,"
        " city = excluded.city, state = excluded.state,"
        " max_commute_miles = excluded.max_commute_miles,"
        " hours_per_week = excluded.hours_per_week,"
        " discoverable = excluded.discoverable,"
        " share_contact = excluded.share_contact,"
        " has_demographics = excluded.has_demographics,"
        " gender = excluded.gender, race_ethnicity = excluded.race_ethnicity,"
        " age_band = excluded.age_band",
    [Q_DEL_HOLDING] = "DELETE FROM holding WHERE learner = ?1",
    [Q_GET_LEARNER] =
        "SELECT name, contact, has_home, lat, lon, county, city, state,"
        " max_commute_miles, hours_per_week, discoverable, share_contact,"
        " has_demographics, gender, race_ethnicity, age_band FROM learner"
        " WHERE id = ?1",
    [Q_DEL_JOB] = "DELETE FROM job WHERE id = ?1",
    [Q_PUT_TOKEN] = "INSERT INTO token (id, digest, role, subject, created)"
                    " VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_GET_TOKEN] = "SELECT digest, role, subject, revoked FROM token"
                    " WHERE id = ?1",
    [Q_REVOKE_TOKEN] = "UPDATE token SET revoked = ?2 WHERE id = ?1"
                       " AND revoked IS NULL",
    [Q_GET_HOLDING] =
        "SELECT credential, earned, expires, source_format, source_id,"
        " source_verified FROM holding WHERE learner = ?1 ORDER BY pos",
};

/* Child tables written many rows to an entity: one INSERT of up to
 * MULTI_MAX rows saves SQLite's per-statement work on each row. The SQL is
 * made from the table name and the row count, never from data. */
enum multi_id { M_HOLDING, M_REQ, M_REQ_SKILL, M_CREDREQ, M_COUNT };
#define MULTI_MAX  16
#define MULTI_COLS 8
static const struct {
	const char *table;
	int ncols;
} multi_def[M_COUNT] = {
    [M_HOLDING] = {"holding", 8},
    [M_REQ] = {"requirement", 5},
    [M_REQ_SKILL] = {"requirement_skill", 5},
    [M_CREDREQ] = {"credential_requirement", 5},
};

struct store {
	sqlite3 *db;
	char *path;
	char *snap; /* PATH-snap; NULL for an in-memory or URI store */
	/* the file is known sound as of print (checked at open, or vouched
	 * for by the opener), so this handle's writes keep the record */
	bool sound;
	fileprint print;
	sqlite3_stmt *stmt[Q_STMT_COUNT];
	/* why stmt() last failed (PW_ERR_NOMEM when SQLite ran out of
	 * memory), for its callers to return */
	pw_status stmt_st;
	pw_error *err; /* where db_fail reports, for the call in progress */
	/* many-row inserts of child rows, by table and number of rows */
	sqlite3_stmt *multi[M_COUNT][MULTI_MAX + 1];
	/* a bulk write (store_begin_bulk) is in progress: the page cache as
	 * it was before, and which child tables were empty when it began */
	bool bulk;
	long long cache_was;
	bool was_empty[Q_STMT_COUNT]; /* by the DELETE statement of the table */
};

/* SQLite's message for the last error; for a failed read or write of a
 * file, with the system's reason ("disk I/O error" says nothing of a full
 * disk or a file size limit). */
static const char *db_message(store *s, char *out, size_t size)
{
	int code = sqlite3_errcode(s->db), sys = sqlite3_system_errno(s->db);
	const char *msg = sqlite3_errmsg(s->db);
	if (code == SQLITE_FULL && sys == 0)
		sys = ENOSPC;
	if ((code == SQLITE_IOERR || code == SQLITE_FULL ||
	     code == SQLITE_CANTOPEN) &&
	    sys != 0) {
		snprintf(out, size, "%s (%s)", msg, strerror(sys));
		return out;
	}
	return msg;
}

static pw_status db_fail(store *s, pw_error *err, const char *what)
{
	int code = sqlite3_errcode(s->db);
	char mb[256];
	if (code == SQLITE_NOMEM)
		return pw_oom(err);
	/* damage is the file's: name it, so the user knows which to restore */
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return pw_fail(err, PW_ERR_DB, "'%s' is damaged: %s: %s",
		               s->path, what, sqlite3_errmsg(s->db));
	const char *msg = db_message(s, mb, sizeof mb);
	/* a full disk or a file size limit: which file could not grow */
	if (code == SQLITE_FULL || code == SQLITE_IOERR)
		return pw_fail(err, PW_ERR_IO, "'%s': %s: %s", s->path, what,
		               msg);
	return pw_fail(err, PW_ERR_DB, "%s: %s", what, msg);
}

static sqlite3_stmt *stmt(store *s, enum stmt_id id, pw_error *err)
{
	if (!s->stmt[id]) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
		                       SQLITE_PREPARE_PERSISTENT, &s->stmt[id],
		                       NULL) != SQLITE_OK) {
			s->stmt_st =
			    db_fail(s, err, "cannot prepare a statement");
			return NULL;
		}
	} else {
		sqlite3_reset(s->stmt[id]);
		sqlite3_clear_bindings(s->stmt[id]);
	}
	return s->stmt[id];
}

/* ---- opening and migrating ---- */

static pw_status exec(store *s, const char *sql, pw_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char mb[256];
		pw_status st =
		    sqlite3_errcode(s->db) == SQLITE_NOMEM
		        ? pw_oom(err)
		        : pw_fail(err, PW_ERR_DB, "'%s': %s", s->path,
		                  db_message(s, mb, sizeof mb));
		sqlite3_free(msg);
		return st;
	}
	return PW_OK;
}

static pw_status user_version(store *s, int *out, pw_error *err)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) !=
	    SQLITE_OK)
		goto fail;
	if (sqlite3_step(q) != SQLITE_ROW)
		goto fail;
	*out = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return PW_OK;
fail:
	sqlite3_finalize(q);
	if (sqlite3_errcode(s->db) == SQLITE_NOTADB ||
	    sqlite3_errcode(s->db) == SQLITE_CORRUPT)
		return pw_fail(err, PW_ERR_DB,
		               "'%s' is not a pathway database: %s", s->path,
		               sqlite3_errmsg(s->db));
	int code = sqlite3_errcode(s->db);
	return db_fail(s, err,
	               code == SQLITE_IOERR || code == SQLITE_FULL ||
	                       code == SQLITE_CANTOPEN
	                   ? "cannot open it"
	                   : s->path);
}

static pw_status migrate(store *s, int from, pw_error *err)
{
	pw_status st = exec(s, "BEGIN IMMEDIATE", err);
	if (st)
		return st;
	for (int v = from; v < SCHEMA_VERSION; v++) {
		char pragma[64];
		for (size_t i = 0; migrations[v][i]; i++)
			if ((st = exec(s, migrations[v][i], err)))
				goto fail;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
		         v + 1);
		if ((st = exec(s, pragma, err)))
			goto fail;
	}
	return exec(s, "COMMIT", err);
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return st;
}

static bool print_of(const char *path, fileprint *out)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return false;
	*out = (fileprint){
	    .dev = (uint64_t)sb.st_dev,
	    .ino = (uint64_t)sb.st_ino,
	    .size = (uint64_t)sb.st_size,
	    .mtime_s = (int64_t)sb.st_mtim.tv_sec,
	    .mtime_ns = (int64_t)sb.st_mtim.tv_nsec,
	    .ctime_s = (int64_t)sb.st_ctim.tv_sec,
	    .ctime_ns = (int64_t)sb.st_ctim.tv_nsec,
	};
	return true;
}

bool store_file_print(const store *s, fileprint *out)
{
	return s->snap && print_of(s->path, out);
}

const char *store_snapshot_path(const store *s)
{
	return s->snap;
}

/* After pathway changed the file (a commit, which may checkpoint the WAL
 * into it, or the close that does): the file as it is now is the one
 * known sound, recorded in the snapshot for the next command. */
static void note_sound(store *s)
{
	fileprint fp;
	if (!s->sound || !s->snap || !print_of(s->path, &fp) ||
	    memcmp(&fp, &s->print, sizeof fp) == 0)
		return;
	s->print = fp;
	snapshot_sound_put(s->snap, &fp);
}

/* Damage in the middle of the file (a disk's, a copy's, an editor's) is
 * found by SQLite only when a query reads the damaged page, and never
 * behind a valid snapshot: so a file that is not as pathway last left it
 * (or has no record of that) is checked before anything is read from it.
 * PRAGMA quick_check reads every page and checks the b-trees' structure,
 * not each index against its table: about 1.5 s on a 530 MB store whose
 * pages are cached, paid after a crash or an outside change only. */
static pw_status check_file(store *s, pw_error *err)
{
	fileprint now, was;
	if (!s->snap || !print_of(s->path, &now))
		return PW_OK;
	if (snapshot_sound_get(s->snap, &was) &&
	    memcmp(&was, &now, sizeof now) == 0) {
		s->print = now;
		return PW_OK;
	}
	sqlite3_stmt *q = NULL;
	int rc =
	    sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q);
	bool ok = rc == SQLITE_ROW &&
	          strcmp((const char *)sqlite3_column_text(q, 0), "ok") == 0;
	pw_status st = PW_OK;
	if (!ok && rc == SQLITE_ROW) {
		/* the first problem, on one line */
		char first[160];
		snprintf(first, sizeof first, "%s",
		         (const char *)sqlite3_column_text(q, 0));
		first[strcspn(first, "\n")] = '\0';
		st = pw_fail(err, PW_ERR_DB,
		             "'%s' is damaged (%s); restore it from a backup",
		             s->path, first);
	} else if (!ok)
		st = rc == SQLITE_NOMEM ? pw_oom(err)
		     : rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB
		         ? pw_fail(err, PW_ERR_DB,
		                   "'%s' is damaged (%s); restore it from a "
		                   "backup",
		                   s->path, sqlite3_errmsg(s->db))
		         : db_fail(s, err, "cannot check the store");
	sqlite3_finalize(q);
	if (!st) {
		s->print = now;
		snapshot_sound_put(s->snap, &now);
	}
	return st;
}

pw_status store_open(const char *path, unsigned flags, store **out,
                     pw_error *err)
{
	bool create = flags & STORE_CREATE;
	pw_status st;
	struct stat sb;
	bool existed = stat(path, &sb) == 0;
	if (!existed && !create)
		return pw_fail(err, PW_ERR_IO, "no database at '%s'", path);
	if (existed && S_ISDIR(sb.st_mode))
		return pw_fail(err, PW_ERR_IO,
		               "cannot open '%s': is a directory", path);

	store *s = calloc(1, sizeof *s);
	if (!s)
		return pw_oom(err);
	s->path = strdup(path);
	bool in_file = path[0] && strcmp(path, ":memory:") != 0 &&
	               strncmp(path, "file:", 5) != 0;
	if (s->path && in_file) {
		size_t n = strlen(path);
		if ((s->snap = malloc(n + sizeof SNAPSHOT_SUFFIX))) {
			memcpy(s->snap, path, n);
			memcpy(s->snap + n, SNAPSHOT_SUFFIX,
			       sizeof SNAPSHOT_SUFFIX);
		}
	}
	if (!s->path || (in_file && !s->snap)) {
		st = pw_oom(err);
		goto fail;
	}
	/* a new store holds personal data: readable by the owner only (its
	 * -wal and -shm take the same mode) */
	if (!existed && create && in_file) {
		int fd =
		    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
	}
	int how = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	          (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, how, NULL) != SQLITE_OK) {
		if (!s->db) {
			st = pw_oom(err);
			goto fail;
		}
		st = pw_fail(err, PW_ERR_IO, "cannot open '%s': %s", path,
		             sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 0);
	sqlite3_busy_timeout(s->db, 5000);

	int version = 0;
	if ((st = user_version(s, &version, err)))
		goto fail;
	if (version > SCHEMA_VERSION) {
		st = pw_fail(
		    err, PW_ERR_DB,
		    "'%s' has schema version %d; this pathway knows up to "
		    "%d",
		    path, version, SCHEMA_VERSION);
		goto fail;
	}
	if (version == 0 && !create) {
		st = pw_fail(
		    err, PW_ERR_DB,
		    "'%s' is not a pathway database (run 'pathway init')",
		    path);
		goto fail;
	}
	/* a file this call created is sound; one the caller vouches for is
	 * taken as it is */
	if (existed && (flags & STORE_CHECK) && (st = check_file(s, err)))
		goto fail;
	s->sound = true;
	if (!existed || !(flags & STORE_CHECK))
		print_of(path, &s->print);
	/* the WAL and its index stay beside the store (emptied) after the
	 * last close, so that a disk that fills up later still lets every
	 * command read: only writes need room */
	int persist = 1;
	if (in_file)
		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL,
		                     &persist);
	if ((st = exec(s, "PRAGMA journal_mode = WAL", err)) ||
	    (st = exec(s, "PRAGMA journal_size_limit = 0", err)) ||
	    (st = exec(s, "PRAGMA synchronous = FULL", err)) ||
	    (st = exec(s, "PRAGMA foreign_keys = ON", err)))
		goto fail;
	if (version < SCHEMA_VERSION && (st = migrate(s, version, err)))
		goto fail;
	*out = s;
	return PW_OK;
fail:
	store_close(s);
	if (!existed && create)
		remove(path);
	return st;
}

void store_close(store *s)
{
	if (!s)
		return;
	for (int i = 0; i < Q_STMT_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	for (int t = 0; t < M_COUNT; t++)
		for (int k = 0; k <= MULTI_MAX; k++)
			sqlite3_finalize(s->multi[t][k]);
	sqlite3_close(s->db);
	note_sound(s); /* the last close checkpoints the WAL into the file */
	free(s->snap);
	free(s->path);
	free(s);
}

const char *store_path(const store *s)
{
	return s->path;
}

/* ---- small statement helpers ---- */

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static void bind_real_if(sqlite3_stmt *q, int i, bool has, double v)
{
	if (has)
		sqlite3_bind_double(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

static void bind_date(sqlite3_stmt *q, int i, pw_date d, char tmp[static 11])
{
	if (d == PW_DATE_NONE) {
		sqlite3_bind_null(q, i);
		return;
	}
	pw_date_format(d, tmp);
	sqlite3_bind_text(q, i, tmp, -1, SQLITE_TRANSIENT);
}

/* Runs a statement that returns no rows. */
static pw_status done(store *s, sqlite3_stmt *q, pw_error *err)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_fail(s, err, "cannot write to the database");
	return PW_OK;
}

static pw_status run_id(store *s, enum stmt_id id, const char *key,
                        pw_error *err)
{
	/* a DELETE of the rows of an entity from a table that was empty when
	 * the bulk write began: the write puts each entity once, so there is
	 * nothing to delete */
	if (s->bulk && s->was_empty[id])
		return PW_OK;
	sqlite3_stmt *q = stmt(s, id, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, key);
	return done(s, q, err);
}

static pw_status add_strs(store *s, enum stmt_id id, const char *owner,
                          const rec_strs *v, pw_error *err)
{
	for (size_t i = 0; i < v->n; i++) {
		sqlite3_stmt *q = stmt(s, id, err);
		if (!q)
			return s->stmt_st;
		bind_text(q, 1, owner);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
		bind_text(q, 3, v->v[i]);
		pw_status st = done(s, q, err);
		if (st)
			return st;
	}
	return PW_OK;
}

static const char *col_text(arena *a, sqlite3_stmt *q, int i)
{
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return NULL;
	return arena_strdup(a, (const char *)sqlite3_column_text(q, i));
}

static pw_date col_date(sqlite3_stmt *q, int i)
{
	pw_date d;
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return PW_DATE_NONE;
	if (pw_date_parse((const char *)sqlite3_column_text(q, i), &d, NULL))
		return PW_DATE_NONE;
	return d;
}

/* Reads the one-column rows of a child query into v. */
static pw_status get_strs(store *s, arena *a, enum stmt_id id,
                          const char *owner, rec_strs *v, pw_error *err)
{
	ptrvec tmp = {0};
	pw_status st = PW_OK;
	sqlite3_stmt *q = stmt(s, id, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, owner);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *t = col_text(a, q, 0);
		if (!t || !ptrvec_push(&tmp, (void *)t)) {
			st = pw_oom(err);
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		st = db_fail(s, err, "cannot read the database");
		goto out;
	}
	v->n = tmp.len;
	v->v = tmp.len ? arena_memdup(a, tmp.items, tmp.len * sizeof(char *))
	               : NULL;
	if (tmp.len && !v->v)
		st = pw_oom(err);
out:
	sqlite3_reset(q);
	ptrvec_release(&tmp);
	return st;
}

/* ---- transactions and bookkeeping ---- */

pw_status store_begin(store *s, pw_error *err)
{
	/* the statements that end the transaction are prepared before it
	 * begins: a rollback after an allocation failure must not need
	 * memory, or the transaction would stay open on the connection */
	if (!stmt(s, Q_ROLLBACK, err) || !stmt(s, Q_COMMIT, err))
		return s->stmt_st;
	sqlite3_stmt *q = stmt(s, Q_BEGIN, err);
	if (!q)
		return s->stmt_st;
	return done(s, q, err);
}

static void end_bulk(store *s);

/* The child tables that writes replace an entity's rows in, by the DELETE
 * that clears them; a bulk write skips the DELETE on a table that was empty
 * when it began. */
static const struct {
	enum stmt_id del;
	const char *probe;
} child_tables[] = {
    {Q_DEL_SKILL_ALIAS, "SELECT 1 FROM skill_alias LIMIT 1"},
    {Q_DEL_SKILL_BROADER, "SELECT 1 FROM skill_broader LIMIT 1"},
    {Q_DEL_SKILL_RELATED, "SELECT 1 FROM skill_related LIMIT 1"},
    {Q_DEL_SKILL_CODE, "SELECT 1 FROM skill_code LIMIT 1"},
    {Q_DEL_CRED_SKILL, "SELECT 1 FROM credential_skill LIMIT 1"},
    {Q_DEL_CRED_ALIAS, "SELECT 1 FROM credential_alias LIMIT 1"},
    {Q_DEL_CRED_OCC, "SELECT 1 FROM credential_occupation LIMIT 1"},
    {Q_DEL_CRED_PREREQ, "SELECT 1 FROM credential_prereq LIMIT 1"},
    {Q_DEL_CRED_COMP, "SELECT 1 FROM credential_component LIMIT 1"},
    {Q_DEL_OCC_ALIAS, "SELECT 1 FROM occupation_alias LIMIT 1"},
    {Q_DEL_OCC_RELATED, "SELECT 1 FROM occupation_related LIMIT 1"},
    {Q_DEL_REQ, "SELECT 1 FROM requirement LIMIT 1"},
    {Q_DEL_REQ_SKILL, "SELECT 1 FROM requirement_skill LIMIT 1"},
    {Q_DEL_CREDREQ, "SELECT 1 FROM credential_requirement LIMIT 1"},
    {Q_DEL_HOLDING, "SELECT 1 FROM holding LIMIT 1"},
};

/* One-off statements of a bulk write: a pragma, or a probe whose only
 * answer is whether it returns a row. */
static pw_status run_once(store *s, const char *sql, bool *row, pw_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q);
	if (row)
		*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		sqlite3_finalize(q);
		return PW_OK;
	}
	pw_status st = db_fail(s, err, "cannot write to the database");
	sqlite3_finalize(q);
	return st;
}

/* A bulk write's pages outgrow SQLite's default page cache (2 MB) long
 * before it commits: evicted pages are spilled to the WAL and read back
 * while the b-trees grow. The cache grows for the write and shrinks back
 * after. Foreign keys are not enforced meanwhile: the caller has resolved
 * every reference (the loader's validation), rows are only added or
 * replaced, never deleted, and an enforced key costs a look-up per row. */
pw_status store_begin_bulk(store *s, size_t cache_mib, pw_error *err)
{
	char sql[64];
	sqlite3_stmt *q = NULL;
	pw_status st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA cache_size", -1, &q, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_finalize(q);
		return db_fail(s, err, "cannot read the database");
	}
	s->cache_was = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	s->bulk = true;
	memset(s->was_empty, 0, sizeof s->was_empty);
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%zu", cache_mib * 1024);
	if ((st = run_once(s, sql, NULL, err)) ||
	    (st = run_once(s, "PRAGMA foreign_keys = OFF", NULL, err)))
		goto fail;
	if ((st = store_begin(s, err)))
		goto fail;
	for (size_t i = 0; i < PW_ARRAY_LEN(child_tables); i++) {
		bool row;
		if ((st = run_once(s, child_tables[i].probe, &row, err))) {
			store_rollback(s);
			return st;
		}
		s->was_empty[child_tables[i].del] = !row;
	}
	return PW_OK;
fail:
	end_bulk(s);
	return st;
}

static void end_bulk(store *s)
{
	char sql[64];
	if (!s->bulk)
		return;
	s->bulk = false;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", s->cache_was);
	sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
}

pw_status store_commit(store *s, pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_BUMP, err);
	pw_status st;
	if (!q)
		return s->stmt_st;
	if ((st = done(s, q, err)))
		return st;
	if (!(q = stmt(s, Q_COMMIT, err)))
		return s->stmt_st;
	if ((st = done(s, q, err)))
		return st;
	end_bulk(s);
	note_sound(s);
	return PW_OK;
}

void store_rollback(store *s)
{
	if (!sqlite3_get_autocommit(s->db)) {
		sqlite3_stmt *q = stmt(s, Q_ROLLBACK, NULL);
		if (q)
			done(s, q, NULL);
	}
	end_bulk(s);
}

pw_status store_read_begin(store *s, pw_error *err)
{
	/* prepared first, for the reason given at store_begin */
	if (!stmt(s, Q_END_READ, err))
		return s->stmt_st;
	sqlite3_stmt *q = stmt(s, Q_BEGIN_READ, err);
	if (!q)
		return s->stmt_st;
	return done(s, q, err);
}

void store_read_end(store *s)
{
	sqlite3_stmt *q;
	if (!sqlite3_get_autocommit(s->db) && (q = stmt(s, Q_END_READ, NULL)))
		done(s, q, NULL);
}

bool store_id(store *s, char out[static 40])
{
	sqlite3_stmt *q = stmt(s, Q_STORE_ID, NULL);
	bool ok = false;
	if (q && sqlite3_step(q) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(q, 0);
		if (v && strlen((const char *)v) < 40) {
			strcpy(out, (const char *)v);
			ok = true;
		}
	}
	if (q)
		sqlite3_reset(q);
	return ok;
}

pw_status store_version(store *s, long long *out, pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_WRITES, err);
	if (!q)
		return s->stmt_st;
	if (sqlite3_step(q) != SQLITE_ROW) {
		sqlite3_reset(q);
		return db_fail(s, err, "cannot read the database");
	}
	*out = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return PW_OK;
}

pw_status store_exists(store *s, pw_kind kind, const char *id, bool *out,
                       pw_error *err)
{
	static const enum stmt_id by_kind[PW_KIND_COUNT] = {
	    [PW_KIND_SKILL] = Q_EXISTS_SKILL,
	    [PW_KIND_CREDENTIAL] = Q_EXISTS_CREDENTIAL,
	    [PW_KIND_OCCUPATION] = Q_EXISTS_OCCUPATION,
	    [PW_KIND_JOB] = Q_EXISTS_JOB,
	    [PW_KIND_LEARNER] = Q_EXISTS_LEARNER,
	};
	sqlite3_stmt *q = stmt(s, by_kind[kind], err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(s, err, "cannot read the database");
	*out = rc == SQLITE_ROW;
	return PW_OK;
}

pw_status store_each_edge(store *s, const char *relation,
                          void (*fn)(void *, const char *, const char *),
                          void *ctx, pw_error *err)
{
	enum stmt_id id = strcmp(relation, "broader") == 0 ? Q_EDGES_BROADER
	                  : strcmp(relation, "prerequisites") == 0
	                      ? Q_EDGES_PREREQ
	                      : Q_EDGES_COMPONENT;
	sqlite3_stmt *q = stmt(s, id, err);
	if (!q)
		return s->stmt_st;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(q, 0),
		   (const char *)sqlite3_column_text(q, 1));
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_fail(s, err, "cannot read the database");
	return PW_OK;
}

/* ---- writing ---- */

pw_status store_put_skill(store *s, const rec_skill *r, pw_error *err)
{
	pw_status st = store_put_skill_row(s, r, err);
	return st ? st : store_put_skill_edges(s, r, err);
}

pw_status store_put_skill_row(store *s, const rec_skill *r, pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_PUT_SKILL, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, r->id);
	bind_text(q, 2, r->name);
	bind_text(q, 3, r->pattern);
	return done(s, q, err);
}

pw_status store_put_skill_edges(store *s, const rec_skill *r, pw_error *err)
{
	pw_status st;
	sqlite3_stmt *q;
	if ((st = run_id(s, Q_DEL_SKILL_ALIAS, r->id, err)) ||
	    (st = run_id(s, Q_DEL_SKILL_BROADER, r->id, err)) ||
	    (st = run_id(s, Q_DEL_SKILL_RELATED, r->id, err)) ||
	    (st = run_id(s, Q_DEL_SKILL_CODE, r->id, err)) ||
	    (st = add_strs(s, Q_ADD_SKILL_ALIAS, r->id, &r->aliases, err)) ||
	    (st = add_strs(s, Q_ADD_SKILL_BROADER, r->id, &r->broader, err)))
		return st;
	for (size_t i = 0; i < r->nrelated; i++) {
		if (!(q = stmt(s, Q_ADD_SKILL_RELATED, err)))
			return s->stmt_st;
		bind_text(q, 1, r->id);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
		bind_text(q, 3, r->related[i].skill);
		sqlite3_bind_double(q, 4, r->related[i].weight);
		if ((st = done(s, q, err)))
			return st;
	}
	for (size_t i = 0; i < r->ncodes; i++) {
		if (!(q = stmt(s, Q_ADD_SKILL_CODE, err)))
			return s->stmt_st;
		bind_text(q, 1, r->id);
		bind_text(q, 2, r->codes[i].framework);
		bind_text(q, 3, r->codes[i].code);
		if ((st = done(s, q, err)))
			return st;
	}
	return PW_OK;
}

static void bind_location(sqlite3_stmt *q, int first, const rec_location *l)
{
	sqlite3_bind_int(q, first, l->present);
	bind_real_if(q, first + 1, l->has_lat, l->lat);
	bind_real_if(q, first + 2, l->has_lon, l->lon);
	bind_text(q, first + 3, l->county);
	bind_text(q, first + 4, l->city);
	bind_text(q, first + 5, l->state);
}

pw_status store_put_credential(store *s, const rec_credential *r, pw_error *err)
{
	pw_status st = store_put_credential_row(s, r, err);
	return st ? st : store_put_credential_edges(s, r, err);
}

pw_status store_put_credential_row(store *s, const rec_credential *r,
                                   pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_PUT_CRED, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, r->id);
	bind_text(q, 2, r->name);
	bind_text(q, 3, r->provider);
	bind_text(q, 4, r->url);
	bind_text(q, 5, r->description);
	bind_text(q, 6, r->type);
	bind_real_if(q, 7, r->has_hours, r->hours);
	bind_real_if(q, 8, r->has_cost, r->cost);
	sqlite3_bind_int(q, 9, r->listed);
	if (r->has_expires_months)
		sqlite3_bind_int(q, 10, r->expires_months);
	else
		sqlite3_bind_null(q, 10);
	bind_text(q, 11, r->modality);
	bind_real_if(q, 12, r->has_college_credits, r->college_credits);
	bind_location(q, 13, &r->location);
	return done(s, q, err);
}

pw_status store_put_credential_edges(store *s, const rec_credential *r,
                                     pw_error *err)
{
	pw_status st;
	sqlite3_stmt *q;
	if ((st = run_id(s, Q_DEL_CRED_SKILL, r->id, err)) ||
	    (st = run_id(s, Q_DEL_CRED_ALIAS, r->id, err)) ||
	    (st = run_id(s, Q_DEL_CRED_OCC, r->id, err)) ||
	    (st = run_id(s, Q_DEL_CRED_PREREQ, r->id, err)) ||
	    (st = run_id(s, Q_DEL_CRED_COMP, r->id, err)) ||
	    (st = add_strs(s, Q_ADD_CRED_ALIAS, r->id, &r->aliases, err)) ||
	    (st = add_strs(s, Q_ADD_CRED_OCC, r->id, &r->occupations, err)) ||
	    (st = add_strs(s, Q_ADD_CRED_PREREQ, r->id, &r->prerequisites,
	                   err)) ||
	    (st = add_strs(s, Q_ADD_CRED_COMP, r->id, &r->components, err)))
		return st;
	for (size_t i = 0; i < r->nskills; i++) {
		if (!(q = stmt(s, Q_ADD_CRED_SKILL, err)))
			return s->stmt_st;
		bind_text(q, 1, r->id);
		sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
		bind_text(q, 3, r->skills[i].skill);
		sqlite3_bind_int(q, 4, r->skills[i].level);
		if ((st = done(s, q, err)))
			return st;
	}
	return PW_OK;
}

/* ---- many-row inserts ---- */

typedef struct cell {
	enum { CELL_NULL, CELL_INT, CELL_TEXT, CELL_DATE } kind;
	long long i;   /* CELL_INT, or the pw_date of CELL_DATE */
	const char *s; /* CELL_TEXT (NULL writes NULL), valid until flushed */
} cell;

/* Rows of one child table waiting to go in together. */
typedef struct rowset {
	store *s;
	enum multi_id t;
	size_t n;
	cell c[MULTI_MAX][MULTI_COLS];
	char dates[MULTI_MAX][MULTI_COLS][11]; /* bound without a copy */
} rowset;

static pw_status multi_stmt(store *s, enum multi_id t, size_t k,
                            sqlite3_stmt **out, pw_error *err)
{
	sqlite3_stmt **slot = &s->multi[t][k];
	if (*slot) {
		/* every parameter is bound anew, so none needs clearing */
		sqlite3_reset(*slot);
		*out = *slot;
		return PW_OK;
	}
	buf b;
	buf_init(&b);
	buf_printf(&b, "INSERT INTO %s VALUES ", multi_def[t].table);
	for (size_t r = 0; r < k; r++) {
		buf_puts(&b, r ? ",(?" : "(?");
		for (int j = 1; j < multi_def[t].ncols; j++)
			buf_puts(&b, ",?");
		buf_putc(&b, ')');
	}
	if (b.failed) {
		buf_release(&b);
		return pw_oom(err);
	}
	int rc = sqlite3_prepare_v3(s->db, b.data, (int)b.len,
	                            SQLITE_PREPARE_PERSISTENT, slot, NULL);
	buf_release(&b);
	if (rc != SQLITE_OK)
		return db_fail(s, err, "cannot prepare a statement");
	*out = *slot;
	return PW_OK;
}

static pw_status rows_flush(rowset *b, pw_error *err)
{
	sqlite3_stmt *q = NULL;
	if (!b->n)
		return PW_OK;
	pw_status st = multi_stmt(b->s, b->t, b->n, &q, err);
	if (st)
		return st;
	int ncols = multi_def[b->t].ncols, col = 1;
	for (size_t r = 0; r < b->n; r++)
		for (int j = 0; j < ncols; j++, col++) {
			const cell *x = &b->c[r][j];
			switch (x->kind) {
			case CELL_NULL: sqlite3_bind_null(q, col); break;
			case CELL_INT: sqlite3_bind_int64(q, col, x->i); break;
			case CELL_TEXT: bind_text(q, col, x->s); break;
			case CELL_DATE:
				if ((pw_date)x->i == PW_DATE_NONE) {
					sqlite3_bind_null(q, col);
					break;
				}
				pw_date_format((pw_date)x->i, b->dates[r][j]);
				sqlite3_bind_text(q, col, b->dates[r][j], -1,
				                  SQLITE_STATIC);
				break;
			}
		}
	b->n = 0;
	return done(b->s, q, err);
}

/* Queues a row of the table's width; a full batch goes in first. */
static pw_status rows_add(rowset *b, const cell *row, pw_error *err)
{
	if (b->n == MULTI_MAX) {
		pw_status st = rows_flush(b, err);
		if (st)
			return st;
	}
	memcpy(b->c[b->n++], row, (size_t)multi_def[b->t].ncols * sizeof *row);
	return PW_OK;
}

#define C_INT(x)  ((cell){.kind = CELL_INT, .i = (long long)(x)})
#define C_TEXT(x) ((cell){.kind = CELL_TEXT, .s = (x)})
#define C_DATE(x) ((cell){.kind = CELL_DATE, .i = (x)})
#define C_NULL    ((cell){.kind = CELL_NULL})

static pw_status put_requirements(store *s, const rec_target *r, pw_error *err)
{
	pw_status st;
	rowset req = {.s = s, .t = M_REQ}, alt = {.s = s, .t = M_REQ_SKILL},
	       cred = {.s = s, .t = M_CREDREQ};
	if ((st = run_id(s, Q_DEL_REQ, r->id, err)) ||
	    (st = run_id(s, Q_DEL_REQ_SKILL, r->id, err)) ||
	    (st = run_id(s, Q_DEL_CREDREQ, r->id, err)))
		return st;
	for (size_t i = 0; i < r->nreqs; i++) {
		const rec_requirement *q = &r->reqs[i];
		cell row[] = {C_TEXT(r->id), C_INT(i), C_INT(q->importance),
		              C_INT(q->required), C_INT(q->nalts > 0)};
		if ((st = rows_add(&req, row, err)))
			return st;
		size_t nalts = q->nalts ? q->nalts : 1;
		for (size_t k = 0; k < nalts; k++) {
			cell a[] = {
			    C_TEXT(r->id), C_INT(i), C_INT(k),
			    C_TEXT(q->nalts ? q->alts[k].skill : q->skill),
			    C_INT(q->nalts ? q->alts[k].level : q->level)};
			if ((st = rows_add(&alt, a, err)))
				return st;
		}
	}
	for (size_t i = 0; i < r->ncredreqs; i++) {
		const rec_credreq *cr = &r->credreqs[i];
		for (size_t k = 0; k < cr->creds.n; k++) {
			cell row[] = {C_TEXT(r->id), C_INT(i), C_INT(k),
			              C_INT(cr->any_of),
			              C_TEXT(cr->creds.v[k])};
			if ((st = rows_add(&cred, row, err)))
				return st;
		}
	}
	if ((st = rows_flush(&req, err)) || (st = rows_flush(&alt, err)) ||
	    (st = rows_flush(&cred, err)))
		return st;
	return PW_OK;
}

static void bind_wage(sqlite3_stmt *q, int first, const rec_wage *w)
{
	sqlite3_bind_int(q, first, w->present);
	bind_real_if(q, first + 1, w->has_min, w->min);
	bind_real_if(q, first + 2, w->has_max, w->max);
	bind_text(q, first + 3, w->unit);
}

pw_status store_put_occupation(store *s, const rec_target *r, pw_error *err)
{
	pw_status st;
	sqlite3_stmt *q = stmt(s, Q_PUT_OCC, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, r->id);
	bind_text(q, 2, r->title);
	bind_text(q, 3, r->description);
	if (r->job_zone)
		sqlite3_bind_int(q, 4, r->job_zone);
	else
		sqlite3_bind_null(q, 4);
	bind_text(q, 5, r->education);
	bind_wage(q, 6, &r->wage);
	if (r->has_openings)
		sqlite3_bind_int64(q, 10, r->openings);
	else
		sqlite3_bind_null(q, 10);
	bind_real_if(q, 11, r->has_growth, r->growth_pct);
	if ((st = done(s, q, err)) ||
	    (st = run_id(s, Q_DEL_OCC_ALIAS, r->id, err)) ||
	    (st = add_strs(s, Q_ADD_OCC_ALIAS, r->id, &r->aliases, err)) ||
	    (st = run_id(s, Q_DEL_OCC_RELATED, r->id, err)) ||
	    (st = add_strs(s, Q_ADD_OCC_RELATED, r->id, &r->related, err)))
		return st;
	return put_requirements(s, r, err);
}

pw_status store_put_job(store *s, const rec_target *r, pw_error *err)
{
	char d1[11], d2[11];
	pw_status st;
	sqlite3_stmt *q = stmt(s, Q_PUT_JOB, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, r->id);
	bind_text(q, 2, r->title);
	bind_text(q, 3, r->employer);
	bind_text(q, 4, r->description);
	bind_text(q, 5, r->url);
	bind_text(q, 6, r->owner);
	bind_text(q, 7, r->soc);
	bind_location(q, 8, &r->location);
	sqlite3_bind_int(q, 14, r->remote);
	bind_wage(q, 15, &r->wage);
	sqlite3_bind_int64(q, 19, r->has_openings ? r->openings : 1);
	bind_date(q, 20, r->posted, d1);
	bind_date(q, 21, r->expires, d2);
	if ((st = done(s, q, err)))
		return st;
	return put_requirements(s, r, err);
}

pw_status store_put_learner(store *s, const rec_learner *r, pw_error *err)
{
	pw_status st;
	sqlite3_stmt *q = stmt(s, Q_PUT_LEARNER, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, r->id);
	bind_text(q, 2, r->name);
	bind_text(q, 3, r->contact);
	sqlite3_bind_int(q, 4, r->home.present);
	bind_real_if(q, 5, r->home.has_lat, r->home.lat);
	bind_real_if(q, 6, r->home.has_lon, r->home.lon);
	bind_text(q, 7, r->home.county);
	bind_text(q, 8, r->home.city);
	bind_text(q, 9, r->home.state);
	bind_real_if(q, 10, r->has_max_commute, r->max_commute_miles);
	bind_real_if(q, 11, r->has_hours_per_week, r->hours_per_week);
	sqlite3_bind_int(q, 12, r->discoverable);
	sqlite3_bind_int(q, 13, r->share_contact);
	sqlite3_bind_int(q, 14, r->has_demographics);
	bind_text(q, 15, r->gender);
	bind_text(q, 16, r->race_ethnicity);
	bind_text(q, 17, r->age_band);
	if ((st = done(s, q, err)) ||
	    (st = run_id(s, Q_DEL_HOLDING, r->id, err)))
		return st;
	rowset hold = {.s = s, .t = M_HOLDING};
	for (size_t i = 0; i < r->nholdings; i++) {
		const rec_holding *h = &r->holdings[i];
		cell row[] = {C_TEXT(r->id),
		              C_INT(i),
		              C_TEXT(h->credential),
		              C_DATE(h->earned),
		              C_DATE(h->expires),
		              C_TEXT(h->has_source ? h->source_format : NULL),
		              C_TEXT(h->has_source ? h->source_id : NULL),
		              h->has_source && h->has_source_verified
		                  ? C_INT(h->source_verified)
		                  : C_NULL};
		if ((st = rows_add(&hold, row, err)))
			return st;
	}
	return rows_flush(&hold, err);
}

/* ---- reading one entity ---- */

/* Steps the main row of a get; NOT_FOUND when there is none. */
static pw_status main_row(store *s, sqlite3_stmt *q, const char *kind,
                          const char *id, pw_error *err)
{
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		return PW_OK;
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return pw_fail(err, PW_ERR_NOT_FOUND, "no %s '%s'", kind, id);
	return db_fail(s, err, "cannot read the database");
}

static bool col_has(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) != SQLITE_NULL;
}

static void col_location(arena *a, sqlite3_stmt *q, int first, rec_location *l)
{
	l->present = sqlite3_column_int(q, first) != 0;
	l->has_lat = col_has(q, first + 1);
	l->lat = sqlite3_column_double(q, first + 1);
	l->has_lon = col_has(q, first + 2);
	l->lon = sqlite3_column_double(q, first + 2);
	l->county = col_text(a, q, first + 3);
	l->city = col_text(a, q, first + 4);
	l->state = col_text(a, q, first + 5);
}

static void col_wage(arena *a, sqlite3_stmt *q, int first, rec_wage *w)
{
	w->present = sqlite3_column_int(q, first) != 0;
	w->has_min = col_has(q, first + 1);
	w->min = sqlite3_column_double(q, first + 1);
	w->has_max = col_has(q, first + 2);
	w->max = sqlite3_column_double(q, first + 2);
	w->unit = col_text(a, q, first + 3);
}

pw_status store_get_skill(store *s, arena *a, const char *id, rec_skill *out,
                          pw_error *err)
{
	pw_status st;
	rec_skill r = {0};
	sqlite3_stmt *q = stmt(s, Q_GET_SKILL, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, id);
	if ((st = main_row(s, q, "skill", id, err)))
		return st;
	r.id = arena_strdup(a, id);
	r.name = col_text(a, q, 0);
	r.pattern = col_text(a, q, 1);
	sqlite3_reset(q);
	if ((st = get_strs(s, a, Q_GET_SKILL_ALIAS, id, &r.aliases, err)) ||
	    (st = get_strs(s, a, Q_GET_SKILL_BROADER, id, &r.broader, err)))
		return st;

	ptrvec rel = {0}, codes = {0};
	int rc;
	if (!(q = stmt(s, Q_GET_SKILL_RELATED, err)))
		return s->stmt_st;
	bind_text(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		rec_related *x = arena_alloc(a, sizeof *x);
		if (!x || !(x->skill = col_text(a, q, 0)) ||
		    !ptrvec_push(&rel, x))
			goto oom;
		x->weight = sqlite3_column_double(q, 1);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		goto dbfail;
	if (!(q = stmt(s, Q_GET_SKILL_CODE, err)))
		goto dbfail;
	bind_text(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		rec_code *x = arena_alloc(a, sizeof *x);
		if (!x || !(x->framework = col_text(a, q, 0)) ||
		    !(x->code = col_text(a, q, 1)) || !ptrvec_push(&codes, x))
			goto oom;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		goto dbfail;
	r.nrelated = rel.len;
	r.related = arena_alloc(a, (rel.len + 1) * sizeof *r.related);
	r.ncodes = codes.len;
	r.codes = arena_alloc(a, (codes.len + 1) * sizeof *r.codes);
	if (!r.related || !r.codes)
		goto oom;
	for (size_t i = 0; i < rel.len; i++)
		r.related[i] = *(rec_related *)rel.items[i];
	for (size_t i = 0; i < codes.len; i++)
		r.codes[i] = *(rec_code *)codes.items[i];
	ptrvec_release(&rel);
	ptrvec_release(&codes);
	*out = r;
	return PW_OK;
oom:
	sqlite3_reset(q);
	ptrvec_release(&rel);
	ptrvec_release(&codes);
	return pw_oom(err);
dbfail:
	ptrvec_release(&rel);
	ptrvec_release(&codes);
	return db_fail(s, err, "cannot read the database");
}

pw_status store_get_credential(store *s, arena *a, const char *id,
                               rec_credential *out, pw_error *err)
{
	pw_status st;
	rec_credential r = {0};
	sqlite3_stmt *q = stmt(s, Q_GET_CRED, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, id);
	if ((st = main_row(s, q, "credential", id, err)))
		return st;
	r.id = arena_strdup(a, id);
	r.name = col_text(a, q, 0);
	r.provider = col_text(a, q, 1);
	r.url = col_text(a, q, 2);
	r.description = col_text(a, q, 3);
	r.type = col_text(a, q, 4);
	r.has_hours = col_has(q, 5);
	r.hours = sqlite3_column_double(q, 5);
	r.has_cost = col_has(q, 6);
	r.cost = sqlite3_column_double(q, 6);
	r.listed = sqlite3_column_int(q, 7) != 0;
	r.has_expires_months = col_has(q, 8);
	r.expires_months = sqlite3_column_int(q, 8);
	r.modality = col_text(a, q, 9);
	r.has_college_credits = col_has(q, 10);
	r.college_credits = sqlite3_column_double(q, 10);
	col_location(a, q, 11, &r.location);
	sqlite3_reset(q);
	if ((st = get_strs(s, a, Q_GET_CRED_ALIAS, id, &r.aliases, err)) ||
	    (st = get_strs(s, a, Q_GET_CRED_OCC, id, &r.occupations, err)) ||
	    (st = get_strs(s, a, Q_GET_CRED_PREREQ, id, &r.prerequisites,
	                   err)) ||
	    (st = get_strs(s, a, Q_GET_CRED_COMP, id, &r.components, err)))
		return st;

	ptrvec tmp = {0};
	int rc;
	if (!(q = stmt(s, Q_GET_CRED_SKILL, err)))
		return s->stmt_st;
	bind_text(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		rec_level *x = arena_alloc(a, sizeof *x);
		if (!x || !(x->skill = col_text(a, q, 0)) ||
		    !ptrvec_push(&tmp, x)) {
			sqlite3_reset(q);
			ptrvec_release(&tmp);
			return pw_oom(err);
		}
		x->level = sqlite3_column_int(q, 1);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		ptrvec_release(&tmp);
		return db_fail(s, err, "cannot read the database");
	}
	r.nskills = tmp.len;
	r.skills = arena_alloc(a, (tmp.len + 1) * sizeof *r.skills);
	if (!r.skills) {
		ptrvec_release(&tmp);
		return pw_oom(err);
	}
	for (size_t i = 0; i < tmp.len; i++)
		r.skills[i] = *(rec_level *)tmp.items[i];
	ptrvec_release(&tmp);
	*out = r;
	return PW_OK;
}

static pw_status get_requirements(store *s, arena *a, const char *id,
                                  rec_target *r, pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_GET_REQ, err);
	int rc;
	size_t n = 0, cap = 8;
	if (!q)
		return s->stmt_st;
	/* Rows are few per target: grow in the arena, the old copies are
	 * released with it. */
	rec_requirement *reqs = arena_alloc(a, cap * sizeof *reqs);
	if (!reqs)
		goto oom;
	bind_text(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			rec_requirement *more =
			    arena_alloc(a, 2 * cap * sizeof *more);
			if (!more)
				goto oom;
			memcpy(more, reqs, n * sizeof *reqs);
			reqs = more;
			cap *= 2;
		}
		reqs[n].importance = sqlite3_column_int(q, 0);
		reqs[n].required = sqlite3_column_int(q, 1) != 0;
		reqs[n].nalts =
		    sqlite3_column_int(q, 2) ? 1 : 0; /* marks any_of */
		n++;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_fail(s, err, "cannot read the database");

	/* Alternatives: count per requirement first, then fill. */
	size_t *count = arena_alloc(a, (n + 1) * sizeof *count);
	bool *any = arena_alloc(a, (n + 1) * sizeof *any);
	if (!count || !any)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		any[i] = reqs[i].nalts != 0;
		reqs[i].nalts = 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		if (!(q = stmt(s, Q_GET_REQ_SKILL, err)))
			return s->stmt_st;
		bind_text(q, 1, id);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			sqlite3_int64 pos = sqlite3_column_int64(q, 0);
			if (pos < 0 || (size_t)pos >= n)
				continue;
			rec_requirement *req = &reqs[pos];
			if (pass == 0) {
				count[pos]++;
				continue;
			}
			if (!any[pos]) {
				req->skill = col_text(a, q, 1);
				req->level = sqlite3_column_int(q, 2);
				if (!req->skill)
					goto oom;
				continue;
			}
			if (!req->alts &&
			    !(req->alts = arena_alloc(
			          a, count[pos] * sizeof(rec_level))))
				goto oom;
			rec_level *alt = &req->alts[req->nalts++];
			alt->skill = col_text(a, q, 1);
			alt->level = sqlite3_column_int(q, 2);
			if (!alt->skill)
				goto oom;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return db_fail(s, err, "cannot read the database");
	}
	r->nreqs = n;
	r->reqs = reqs;

	/* Credential requirements, grouped by pos. */
	if (!(q = stmt(s, Q_GET_CREDREQ, err)))
		return s->stmt_st;
	bind_text(q, 1, id);
	ptrvec rows = {0};
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct {
			sqlite3_int64 pos;
			int any;
			const char *cred;
		} *row = arena_alloc(a, sizeof *row);
		if (!row || !ptrvec_push(&rows, row)) {
			ptrvec_release(&rows);
			goto oom;
		}
		row->pos = sqlite3_column_int64(q, 0);
		row->any = sqlite3_column_int(q, 1);
		row->cred = col_text(a, q, 2);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		ptrvec_release(&rows);
		return db_fail(s, err, "cannot read the database");
	}
	size_t ncr = 0;
	for (size_t i = 0; i < rows.len; i++) {
		sqlite3_int64 pos = *(sqlite3_int64 *)rows.items[i];
		if ((size_t)pos + 1 > ncr)
			ncr = (size_t)pos + 1;
	}
	r->ncredreqs = ncr;
	r->credreqs = arena_alloc(a, (ncr + 1) * sizeof *r->credreqs);
	const char **ids = arena_alloc(a, (rows.len + 1) * sizeof *ids);
	if (!r->credreqs || !ids) {
		ptrvec_release(&rows);
		goto oom;
	}
	for (size_t i = 0; i < rows.len; i++) {
		struct {
			sqlite3_int64 pos;
			int any;
			const char *cred;
		} *row = rows.items[i];
		rec_credreq *cr = &r->credreqs[row->pos];
		if (!cr->creds.v)
			cr->creds.v = &ids[i];
		cr->creds.v[cr->creds.n++] = row->cred;
		cr->any_of = row->any != 0;
	}
	ptrvec_release(&rows);
	return PW_OK;
oom:
	sqlite3_reset(q);
	return pw_oom(err);
}

pw_status store_get_target(store *s, arena *a, pw_kind kind, const char *id,
                           rec_target *out, pw_error *err)
{
	pw_status st;
	rec_target r = {0};
	r.posted = r.expires = PW_DATE_NONE;
	sqlite3_stmt *q;
	if (kind == PW_KIND_OCCUPATION) {
		if (!(q = stmt(s, Q_GET_OCC, err)))
			return s->stmt_st;
		bind_text(q, 1, id);
		if ((st = main_row(s, q, "occupation", id, err)))
			return st;
		r.title = col_text(a, q, 0);
		r.description = col_text(a, q, 1);
		r.job_zone = sqlite3_column_int(q, 2);
		r.education = col_text(a, q, 3);
		col_wage(a, q, 4, &r.wage);
		r.has_openings = col_has(q, 8);
		r.openings = sqlite3_column_int64(q, 8);
		r.has_growth = col_has(q, 9);
		r.growth_pct = sqlite3_column_double(q, 9);
		sqlite3_reset(q);
		if ((st = get_strs(s, a, Q_GET_OCC_ALIAS, id, &r.aliases,
		                   err)) ||
		    (st = get_strs(s, a, Q_GET_OCC_RELATED, id, &r.related,
		                   err)))
			return st;
	} else {
		if (!(q = stmt(s, Q_GET_JOB, err)))
			return s->stmt_st;
		bind_text(q, 1, id);
		if ((st = main_row(s, q, "job", id, err)))
			return st;
		r.title = col_text(a, q, 0);
		r.employer = col_text(a, q, 1);
		r.description = col_text(a, q, 2);
		r.url = col_text(a, q, 3);
		r.owner = col_text(a, q, 4);
		r.soc = col_text(a, q, 5);
		col_location(a, q, 6, &r.location);
		r.remote = sqlite3_column_int(q, 12) != 0;
		col_wage(a, q, 13, &r.wage);
		r.has_openings = true;
		r.openings = sqlite3_column_int64(q, 17);
		r.posted = col_date(q, 18);
		r.expires = col_date(q, 19);
		sqlite3_reset(q);
	}
	r.id = arena_strdup(a, id);
	if ((st = get_requirements(s, a, id, &r, err)))
		return st;
	*out = r;
	return PW_OK;
}

pw_status store_get_learner(store *s, arena *a, const char *id,
                            rec_learner *out, pw_error *err)
{
	pw_status st;
	rec_learner r = {0};
	sqlite3_stmt *q = stmt(s, Q_GET_LEARNER, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, id);
	if ((st = main_row(s, q, "learner", id, err)))
		return st;
	r.id = arena_strdup(a, id);
	r.name = col_text(a, q, 0);
	r.contact = col_text(a, q, 1);
	r.home.present = sqlite3_column_int(q, 2) != 0;
	r.home.has_lat = col_has(q, 3);
	r.home.lat = sqlite3_column_double(q, 3);
	r.home.has_lon = col_has(q, 4);
	r.home.lon = sqlite3_column_double(q, 4);
	r.home.county = col_text(a, q, 5);
	r.home.city = col_text(a, q, 6);
	r.home.state = col_text(a, q, 7);
	r.has_max_commute = col_has(q, 8);
	r.max_commute_miles = sqlite3_column_double(q, 8);
	r.has_hours_per_week = col_has(q, 9);
	r.hours_per_week = sqlite3_column_double(q, 9);
	r.discoverable = sqlite3_column_int(q, 10) != 0;
	r.share_contact = sqlite3_column_int(q, 11) != 0;
	r.has_demographics = sqlite3_column_int(q, 12) != 0;
	r.gender = col_text(a, q, 13);
	r.race_ethnicity = col_text(a, q, 14);
	r.age_band = col_text(a, q, 15);
	sqlite3_reset(q);

	ptrvec tmp = {0};
	int rc;
	if (!(q = stmt(s, Q_GET_HOLDING, err)))
		return s->stmt_st;
	bind_text(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		rec_holding *h = arena_alloc(a, sizeof *h);
		if (!h || !(h->credential = col_text(a, q, 0)) ||
		    !ptrvec_push(&tmp, h)) {
			sqlite3_reset(q);
			ptrvec_release(&tmp);
			return pw_oom(err);
		}
		h->earned = col_date(q, 1);
		h->expires = col_date(q, 2);
		h->has_source = col_has(q, 3) || col_has(q, 4) || col_has(q, 5);
		h->source_format = col_text(a, q, 3);
		h->source_id = col_text(a, q, 4);
		h->has_source_verified = col_has(q, 5);
		h->source_verified = sqlite3_column_int(q, 5) != 0;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		ptrvec_release(&tmp);
		return db_fail(s, err, "cannot read the database");
	}
	r.nholdings = tmp.len;
	r.holdings = arena_alloc(a, (tmp.len + 1) * sizeof *r.holdings);
	if (!r.holdings) {
		ptrvec_release(&tmp);
		return pw_oom(err);
	}
	for (size_t i = 0; i < tmp.len; i++)
		r.holdings[i] = *(rec_holding *)tmp.items[i];
	ptrvec_release(&tmp);
	*out = r;
	return PW_OK;
}

/* ---- scans ---- */

/* Whole-table reads for the model builder and list. Each query's column order
 * is part of its contract with the caller (see store_scan_id). Rows of child
 * tables come ordered by owner, then position. */
static const char *const scan_sql[SCAN_COUNT] = {
    [SCAN_SKILLS] = "SELECT id, name FROM skill ORDER BY id",
    [SCAN_SKILL_BROADER] =
        "SELECT skill, broader FROM skill_broader ORDER BY skill, pos",
    [SCAN_SKILL_RELATED] =
        "SELECT skill, other, weight FROM skill_related ORDER BY skill, pos",
    [SCAN_CREDS] =
        "SELECT id, name, hours, cost, listed, expires_months, modality,"
        " college_credits, has_location, lat, lon, county, state"
        " FROM credential ORDER BY id",
    [SCAN_CRED_SKILLS] = "SELECT credential, skill, level FROM credential_skill"
                         " ORDER BY credential, pos",
    [SCAN_CRED_PREREQS] = "SELECT credential, prereq FROM credential_prereq"
                          " ORDER BY credential, pos",
    [SCAN_CRED_COMPONENTS] =
        "SELECT credential, component FROM credential_component"
        " ORDER BY credential, pos",
    [SCAN_JOBS] =
        "SELECT id, title, employer, has_location, lat, lon, county, state,"
        " remote, has_wage, wage_min, wage_max, wage_unit, openings, expires"
        " FROM job ORDER BY id",
    [SCAN_OCCS] = "SELECT id, title, has_wage, wage_min, wage_max, wage_unit,"
                  " openings FROM occupation ORDER BY id",
    [SCAN_REQS] = "SELECT target, pos, importance, required, any_of"
                  " FROM requirement ORDER BY target, pos",
    [SCAN_REQ_SKILLS] = "SELECT target, pos, skill, level FROM"
                        " requirement_skill ORDER BY target, pos, alt",
    [SCAN_CREDREQS] = "SELECT target, pos, credential FROM"
                      " credential_requirement ORDER BY target, pos, alt",
    [SCAN_LEARNERS] =
        "SELECT id, name, contact, has_home, lat, lon, county, state,"
        " max_commute_miles, hours_per_week, discoverable, share_contact"
        " FROM learner ORDER BY id",
    [SCAN_HOLDINGS] = "SELECT learner, credential, earned, expires FROM"
                      " holding ORDER BY learner, pos",
    [SCAN_NAMES_SKILL] =
        "SELECT s.id, s.name, (SELECT group_concat(alias, char(31)) FROM"
        " skill_alias a WHERE a.skill = s.id) FROM skill s ORDER BY s.id",
    [SCAN_NAMES_CRED] =
        "SELECT c.id, c.name, (SELECT group_concat(alias, char(31)) FROM"
        " credential_alias a WHERE a.credential = c.id) FROM credential c"
        " ORDER BY c.id",
    [SCAN_NAMES_CRED_LISTED] =
        "SELECT c.id, c.name, (SELECT group_concat(alias, char(31)) FROM"
        " credential_alias a WHERE a.credential = c.id) FROM credential c"
        " WHERE c.listed ORDER BY c.id",
    [SCAN_NAMES_OCC] =
        "SELECT o.id, o.title, (SELECT group_concat(alias, char(31)) FROM"
        " occupation_alias a WHERE a.occupation = o.id) FROM occupation o"
        " ORDER BY o.id",
    [SCAN_NAMES_JOB] =
        "SELECT id, title, NULL, county, remote FROM job ORDER BY id",
    [SCAN_NAMES_LEARNER] = "SELECT id, name, NULL FROM learner ORDER BY id",
    [SCAN_TOKENS] = "SELECT id, role, subject, created, revoked FROM token"
                    " ORDER BY created, id",
    [SCAN_SKILL_CODES] = "SELECT skill, framework, code FROM skill_code"
                         " ORDER BY skill, framework",
    [SCAN_SKILL_PATTERNS] = "SELECT id, name, pattern FROM skill"
                            " WHERE pattern IS NOT NULL ORDER BY id",
    [SCAN_CRED_URLS] = "SELECT id, url FROM credential"
                       " WHERE url IS NOT NULL ORDER BY id",
    [SCAN_DEMOGRAPHICS] =
        "SELECT id, gender, race_ethnicity, age_band FROM learner"
        " WHERE has_demographics ORDER BY id",
    [SCAN_JOB_SOC] = "SELECT id, soc FROM job WHERE soc IS NOT NULL"
                     " ORDER BY id",
    [SCAN_OCC_OUTLOOK] = "SELECT id, openings, growth_pct FROM occupation"
                         " ORDER BY id",
};

struct scan_row {
	sqlite3_stmt *q;
};

pw_status store_scan(store *s, enum scan_id id,
                     pw_status (*fn)(void *ctx, const scan_row *row), void *ctx,
                     pw_error *err)
{
	sqlite3_stmt *q = NULL;
	pw_status st = PW_OK;
	if (sqlite3_prepare_v2(s->db, scan_sql[id], -1, &q, NULL) != SQLITE_OK)
		return db_fail(s, err, "cannot prepare a statement");
	scan_row row = {q};
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((st = fn(ctx, &row)))
			break;
	if (!st && rc != SQLITE_DONE)
		st = db_fail(s, err, "cannot read the database");
	sqlite3_finalize(q);
	return st;
}

bool row_null(const scan_row *r, int i)
{
	return sqlite3_column_type(r->q, i) == SQLITE_NULL;
}

const char *row_text(const scan_row *r, int i)
{
	return (const char *)sqlite3_column_text(r->q, i);
}

double row_real(const scan_row *r, int i)
{
	return sqlite3_column_double(r->q, i);
}

long long row_int(const scan_row *r, int i)
{
	return sqlite3_column_int64(r->q, i);
}

pw_date row_date(const scan_row *r, int i)
{
	return col_date(r->q, i);
}

/* ---- tokens ---- */

pw_status store_put_token(store *s, const char *id, const uint8_t *digest,
                          size_t len, const char *role, const char *subject,
                          const char *created, pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_PUT_TOKEN, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, id);
	sqlite3_bind_blob(q, 2, digest, (int)len, SQLITE_STATIC);
	bind_text(q, 3, role);
	bind_text(q, 4, subject);
	bind_text(q, 5, created);
	return done(s, q, err);
}

pw_status store_get_token(store *s, const char *id, uint8_t *digest, size_t len,
                          char *role, size_t rolesz, char *subject,
                          size_t subjectsz, bool *revoked, pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_GET_TOKEN, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc == SQLITE_DONE)
			return pw_fail(err, PW_ERR_NOT_FOUND, "no token '%s'",
			               id);
		return db_fail(s, err, "cannot read the database");
	}
	const void *blob = sqlite3_column_blob(q, 0);
	size_t n = (size_t)sqlite3_column_bytes(q, 0);
	memset(digest, 0, len);
	if (blob)
		memcpy(digest, blob, n < len ? n : len);
	snprintf(role, rolesz, "%s", (const char *)sqlite3_column_text(q, 1));
	snprintf(subject, subjectsz, "%s",
	         col_has(q, 2) ? (const char *)sqlite3_column_text(q, 2) : "");
	*revoked = col_has(q, 3);
	sqlite3_reset(q);
	return PW_OK;
}

pw_status store_revoke_token(store *s, const char *id, const char *when,
                             bool *changed, pw_error *err)
{
	sqlite3_stmt *q = stmt(s, Q_REVOKE_TOKEN, err);
	if (!q)
		return s->stmt_st;
	bind_text(q, 1, id);
	bind_text(q, 2, when);
	pw_status st = done(s, q, err);
	*changed = !st && sqlite3_changes(s->db) > 0;
	return st;
}

pw_status store_delete_job(store *s, const char *id, bool *deleted,
                           pw_error *err)
{
	pw_status st;
	sqlite3_stmt *q;
	*deleted = false;
	if ((st = run_id(s, Q_DEL_REQ, id, err)) ||
	    (st = run_id(s, Q_DEL_REQ_SKILL, id, err)) ||
	    (st = run_id(s, Q_DEL_CREDREQ, id, err)))
		return st;
	if (!(q = stmt(s, Q_DEL_JOB, err)))
		return s->stmt_st;
	bind_text(q, 1, id);
	if ((st = done(s, q, err)))
		return st;
	*deleted = sqlite3_changes(s->db) > 0;
	return PW_OK;
}
