/* gen.c - the synthetic dataset generator: skills in a taxonomy, credentials
 * with prerequisites and stacks, occupations, jobs around real county
 * centres and learners near them, streamed as native JSON.
 *
 * Reproducible bytes: randomness comes only from xoshiro256** streams seeded
 * by splitmix64 (one stream per part, so a change of the job count leaves
 * skills and credentials alone), and every number is computed in integers
 * and printed with fixed decimals; no floating point, no libm. */
#include "gen.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONE UINT32_MAX
/* Printed in README.txt; bump it whenever the output for a seed changes. */
#define GEN_FORMAT 1

static pw_status gen_fail(pw_error *err, pw_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static pw_status gen_fail(pw_error *err, pw_status st, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->status = st;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* ---- random numbers ---- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Streams of one seed are told apart by a small tag. */
static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed;
	x = splitmix(&x) ^ (stream * UINT64_C(0xD1B54A32D192ED03));
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n): rejection removes the modulo bias. */
static uint64_t below(rng *r, uint64_t n)
{
	if (n <= 1)
		return 0;
	uint64_t lim = (0 - n) % n;
	for (;;) {
		uint64_t x = next(r);
		if (x >= lim)
			return x % n;
	}
}

static int64_t range(rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)below(r, (uint64_t)(hi - lo) + 1);
}

static bool chance(rng *r, unsigned per_mille)
{
	return below(r, 1000) < per_mille;
}

/* lo..hi with small values likelier (the smaller of two draws). */
static int64_t low_biased(rng *r, int64_t lo, int64_t hi)
{
	int64_t a = range(r, lo, hi), b = range(r, lo, hi);
	return a < b ? a : b;
}

/* lo..hi peaked in the middle (the mean of two draws). */
static int64_t middling(rng *r, int64_t lo, int64_t hi)
{
	return (range(r, lo, hi) + range(r, lo, hi)) / 2;
}

static unsigned pick(rng *r, const unsigned *w, unsigned n)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += w[i];
	uint64_t u = below(r, sum);
	for (unsigned i = 0; i < n; i++) {
		if (u < w[i])
			return i;
		u -= w[i];
	}
	return n - 1;
}

static void shuffle(uint32_t *v, size_t n, rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)below(r, i);
		uint32_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* ---- Zipf ---- */

/* Items ranked by a seeded shuffle (r NULL: in the order given); rank k
 * (from 1) has weight
 * 2^32 / (k + offset), an exponent-1 Zipf law (offset 0) in integers. A
 * draw is a binary search of the cumulative weights. */
typedef struct zipf {
	size_t n;
	uint64_t *cum;
	uint32_t *item;
} zipf;

static bool zipf_init(zipf *z, const uint32_t *items, size_t n, uint64_t offset,
                      rng *r)
{
	z->n = 0;
	z->cum = malloc((n ? n : 1) * sizeof *z->cum);
	z->item = malloc((n ? n : 1) * sizeof *z->item);
	if (!z->cum || !z->item)
		return false;
	if (n)
		memcpy(z->item, items, n * sizeof *items);
	if (r)
		shuffle(z->item, n, r);
	uint64_t total = 0;
	for (size_t k = 0; k < n; k++) {
		total += (UINT64_C(1) << 32) / (k + 1 + offset);
		z->cum[k] = total;
	}
	z->n = n;
	return true;
}

static void zipf_free(zipf *z)
{
	free(z->cum);
	free(z->item);
	z->cum = NULL;
	z->item = NULL;
	z->n = 0;
}

/* The caller checks z->n > 0. */
static uint32_t zipf_draw(const zipf *z, rng *r)
{
	uint64_t u = below(r, z->cum[z->n - 1]);
	size_t lo = 0, hi = z->n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return z->item[lo];
}

/* ---- dates ---- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(int32_t days, int *y, unsigned *m, unsigned *d)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

pw_date gen_default_ref(void)
{
	return 20780; /* 2026-11-23 */
}

/* ---- buffered JSON writer ---- */

#define WBUF (1u << 20)

typedef struct gw {
	FILE *f;
	char *buf;
	size_t len;
	uint64_t total;
	int err_no; /* the first write error, 0 while all is well */
	char path[4096];
} gw;

static void w_flush(gw *w)
{
	if (w->len && !w->err_no && fwrite(w->buf, 1, w->len, w->f) != w->len)
		w->err_no = errno ? errno : EIO;
	w->total += w->len;
	w->len = 0;
}

static void w_raw(gw *w, const char *s, size_t n)
{
	if (w->len + n > WBUF)
		w_flush(w);
	if (n > WBUF) {
		if (!w->err_no && fwrite(s, 1, n, w->f) != n)
			w->err_no = errno ? errno : EIO;
		w->total += n;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void w_s(gw *w, const char *s)
{
	w_raw(w, s, strlen(s));
}

static void w_c(gw *w, char ch)
{
	if (w->len == WBUF)
		w_flush(w);
	w->buf[w->len++] = ch;
}

/* A JSON string: quotes, and escapes for what JSON requires. */
static void w_str(gw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	w_c(w, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			w_c(w, '\\');
			w_c(w, (char)*p);
		} else if (*p < 0x20) {
			char e[6] = {'\\', 'u',          '0',
			             '0',  hex[*p >> 4], hex[*p & 15]};
			w_raw(w, e, 6);
		} else
			w_c(w, (char)*p);
	}
	w_c(w, '"');
}

static void w_u(gw *w, uint64_t v)
{
	char t[24];
	int n = 0;
	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		w_c(w, t[--n]);
}

/* v / 10^dec with exactly dec decimals (a fixed-point number). */
static void w_fix(gw *w, int64_t v, int dec)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, p = 1;
	for (int i = 0; i < dec; i++)
		p *= 10;
	if (v < 0)
		w_c(w, '-');
	w_u(w, a / p);
	if (!dec)
		return;
	w_c(w, '.');
	uint64_t f = a % p;
	for (uint64_t q = p / 10; q; q /= 10) {
		w_c(w, (char)('0' + f / q));
		f %= q;
	}
}

static void w_date(gw *w, int32_t days)
{
	int y;
	unsigned m, d;
	civil(days, &y, &m, &d);
	char t[11] = {(char)('0' + y / 1000 % 10),
	              (char)('0' + y / 100 % 10),
	              (char)('0' + y / 10 % 10),
	              (char)('0' + y % 10),
	              '-',
	              (char)('0' + m / 10),
	              (char)('0' + m % 10),
	              '-',
	              (char)('0' + d / 10),
	              (char)('0' + d % 10),
	              '\0'};
	w_c(w, '"');
	w_raw(w, t, 10);
	w_c(w, '"');
}

/* An id: prefix and a number zero-padded to width digits. */
static void w_id(gw *w, const char *prefix, size_t n, int width)
{
	char t[32];
	int k = 0;
	do {
		t[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (k < width)
		t[k++] = '0';
	w_c(w, '"');
	w_s(w, prefix);
	while (k)
		w_c(w, t[--k]);
	w_c(w, '"');
}

/* ---- the world: domains, county centres, names ---- */

#define NDOM      14
#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A field of work: its skill vocabulary, the titles and employers of its
 * postings, its SOC major groups and its pay. Domain 0 holds the
 * transversal skills every field asks for; it has no postings. */
typedef struct domain {
	const char *board;
	unsigned weight;      /* share of postings and learners, per mille */
	unsigned cred_weight; /* share of credentials, per mille */
	int major[3];         /* SOC major groups, 0-terminated */
	const char *const *areas;
	const char *const *stems;
	const char *const *titles;
	const char *const *employers;
	int wage_lo, wage_hi; /* hourly, cents */
	unsigned yearly_pm;   /* postings paid by the year, per mille */
	unsigned remote_pm;
} domain;

static const domain domains[NDOM] = {
    {.board = "Workplace Readiness",
     .cred_weight = 80,
     .areas = LIST("Workplace Foundations", "Communication", "Digital Literacy",
                   "Workplace Safety", "Applied Mathematics"),
     .stems = LIST("Verbal communication", "Written communication",
                   "Customer service", "Teamwork", "Time management",
                   "Problem solving", "Workplace safety", "First aid", "CPR",
                   "Basic computer use", "Email and calendars", "Spreadsheets",
                   "Word processing", "Applied math", "Reading for information",
                   "Conflict resolution", "Professional ethics",
                   "Following procedures", "Record keeping",
                   "Spanish for the workplace", "Active listening",
                   "Critical thinking", "Data entry", "Hazard communication")},
    {.board = "Health Care",
     .weight = 180,
     .cred_weight = 180,
     .major = {31, 29},
     .areas = LIST("Patient Care", "Clinical Procedures", "Health Information",
                   "Pharmacy Services", "Behavioral Health"),
     .stems = LIST(
         "Vital signs", "Patient transfer", "Activities of daily living",
         "Infection control", "Venipuncture", "Specimen handling",
         "EKG lead placement", "Medication administration",
         "Electronic health records", "Medical terminology", "HIPAA compliance",
         "Dementia care", "Wound care", "Patient communication", "Phlebotomy",
         "Point-of-care testing", "Pharmacy calculations",
         "Prescription processing", "Medical billing", "Medical coding",
         "Care planning", "Patient intake", "Sterile technique",
         "Home health visits", "Crisis de-escalation"),
     .titles =
         LIST("Certified Nursing Assistant", "Home Health Aide",
              "Patient Care Technician", "Phlebotomist", "Medical Assistant",
              "Pharmacy Technician", "EKG Technician", "Medical Records Clerk",
              "Licensed Practical Nurse", "Peer Support Specialist",
              "Medication Aide"),
     .employers = LIST("Regional Hospital", "Health Center",
                       "Nursing and Rehabilitation", "Home Health Services",
                       "Family Clinic", "Pharmacy"),
     .wage_lo = 1450,
     .wage_hi = 2900,
     .yearly_pm = 50,
     .remote_pm = 20},
    {.board = "Early Childhood",
     .weight = 70,
     .cred_weight = 70,
     .major = {39, 25},
     .areas = LIST("Early Childhood Education", "Child Development",
                   "Child Safety and Health", "Family Engagement"),
     .stems =
         LIST("Child development", "Safe sleep practices",
              "Child abuse reporting", "Developmentally appropriate practice",
              "Early literacy", "Classroom routines", "Positive guidance",
              "Observation and assessment", "Infant and toddler care",
              "Family communication", "Nutrition for young children",
              "Inclusive care", "Play-based learning", "Early math",
              "Daily health checks", "Preschool lesson planning",
              "Child care licensing rules", "Social-emotional learning",
              "Transition planning", "Outdoor play supervision"),
     .titles = LIST("Child Care Worker", "Preschool Teacher",
                    "Early Head Start Teacher", "Pre-K Assistant Teacher",
                    "Family Child Care Provider", "Child Care Center Director",
                    "Infant Room Teacher"),
     .employers =
         LIST("Early Learning Center", "Head Start", "Child Development Center",
              "Kids Academy", "Family Child Care Network"),
     .wage_lo = 1200,
     .wage_hi = 2000,
     .yearly_pm = 100},
    {.board = "Teaching",
     .weight = 80,
     .cred_weight = 70,
     .major = {25},
     .areas = LIST("Education and Training", "Instruction", "Student Support",
                   "Educational Technology"),
     .stems =
         LIST("Lesson planning", "Classroom management",
              "Differentiated instruction", "Formative assessment",
              "Reading instruction", "Math instruction", "Science instruction",
              "Special education support", "Individualized education programs",
              "Student data analysis", "Instructional technology",
              "Parent communication", "Behavior intervention",
              "English learner support", "Curriculum design", "Tutoring",
              "Project-based learning", "Test administration",
              "Career and technical education", "Restorative practices"),
     .titles = LIST("Paraprofessional", "Instructional Aide",
                    "Substitute Teacher", "Elementary Teacher",
                    "Middle School Math Teacher", "Special Education Teacher",
                    "Reading Interventionist", "CTE Instructor", "Tutor"),
     .employers = LIST("Public Schools", "County Schools", "Academy",
                       "Christian School", "Education Cooperative"),
     .wage_lo = 1300,
     .wage_hi = 3400,
     .yearly_pm = 600,
     .remote_pm = 30},
    {.board = "Manufacturing",
     .weight = 140,
     .cred_weight = 130,
     .major = {51, 49},
     .areas = LIST("Production and Processing", "Industrial Maintenance",
                   "Quality Assurance", "Machining"),
     .stems = LIST(
         "Blueprint reading", "Precision measurement", "CNC operation",
         "CNC programming", "Lean manufacturing", "Quality inspection",
         "Statistical process control", "Preventive maintenance", "Hydraulics",
         "Pneumatics", "PLC troubleshooting", "Motor controls",
         "Lockout/tagout", "Forklift operation", "Assembly", "Machine setup",
         "Industrial safety", "Mechanical troubleshooting", "Robot operation",
         "Materials handling", "Inventory control", "Shipping and receiving",
         "Packaging operations", "5S workplace organization"),
     .titles =
         LIST("Production Technician", "Machine Operator", "CNC Machinist",
              "Maintenance Technician", "Quality Inspector", "Assembler",
              "Industrial Electrician", "Warehouse Associate",
              "Forklift Operator", "Maintenance Mechanic"),
     .employers = LIST("Manufacturing", "Industries", "Plastics",
                       "Precision Parts", "Distribution Center", "Foods"),
     .wage_lo = 1400,
     .wage_hi = 3000,
     .yearly_pm = 50},
    {.board = "Commercial Driving",
     .weight = 90,
     .cred_weight = 70,
     .major = {53},
     .areas = LIST("Transportation", "Commercial Driving", "Logistics",
                   "Vehicle Inspection"),
     .stems = LIST(
         "Commercial driving", "Pre-trip inspection", "Hours-of-service rules",
         "Backing and maneuvering", "Hazardous materials transport",
         "Tanker operation", "Route planning", "Cargo securement",
         "Electronic logging devices", "Defensive driving",
         "Passenger transport", "School bus operation", "Trip records",
         "Dispatch communication", "Coupling and uncoupling",
         "Air brake systems", "Load planning", "DOT compliance"),
     .titles = LIST("CDL-A Truck Driver", "Regional Truck Driver",
                    "Delivery Driver", "School Bus Driver", "Tanker Driver",
                    "Dispatcher", "Log Truck Driver", "Local CDL-B Driver"),
     .employers = LIST("Trucking", "Freight Lines", "Transport", "Logistics",
                       "Bus Company"),
     .wage_lo = 1600,
     .wage_hi = 3200,
     .yearly_pm = 150},
    {.board = "Construction and Welding",
     .weight = 80,
     .cred_weight = 80,
     .major = {47, 51},
     .areas = LIST("Building and Construction", "Welding and Fabrication",
                   "Construction Safety"),
     .stems = LIST(
         "SMAW welding", "GMAW welding", "FCAW welding", "GTAW welding",
         "Pipe welding", "Weld inspection", "Welding symbols",
         "Metal fabrication", "Oxy-fuel cutting", "Plasma cutting", "Rigging",
         "Carpentry", "Concrete work", "Framing", "Scaffold safety",
         "Fall protection", "Construction math", "Heavy equipment operation",
         "Excavation safety", "Power tools", "Plumbing basics", "Drywall"),
     .titles =
         LIST("Welder", "Welder/Fabricator", "Pipe Welder",
              "Construction Laborer", "Carpenter", "Heavy Equipment Operator",
              "Plumber Apprentice", "Ironworker"),
     .employers = LIST("Construction", "Steel Fabrication", "Builders",
                       "Contracting", "Pipeline Services"),
     .wage_lo = 1500,
     .wage_hi = 3400,
     .yearly_pm = 50},
    {.board = "Information Technology",
     .weight = 60,
     .cred_weight = 90,
     .major = {15},
     .areas = LIST("Computers and Electronics", "IT Support", "Networking",
                   "Cybersecurity", "Software"),
     .stems = LIST(
         "Help desk support", "Hardware troubleshooting",
         "Windows administration", "Linux basics", "Network configuration",
         "Cabling and termination", "Directory services", "Cloud services",
         "Cybersecurity fundamentals", "Ticketing systems", "Scripting",
         "SQL queries", "Web development", "Mobile device management",
         "Backup and recovery", "Virtualization", "Fiber optic splicing",
         "Wireless networking", "Incident response", "Remote technical support",
         "Python programming", "Data visualization"),
     .titles = LIST("IT Support Specialist", "Help Desk Technician",
                    "Network Technician", "Computer Repair Technician",
                    "Cybersecurity Analyst", "Junior Web Developer",
                    "Fiber Optic Technician", "Systems Administrator",
                    "Data Analyst"),
     .employers = LIST("Technologies", "IT Services", "Broadband",
                       "Data Systems", "Computer Solutions"),
     .wage_lo = 1700,
     .wage_hi = 4200,
     .yearly_pm = 400,
     .remote_pm = 250},
    {.board = "Office and Business",
     .weight = 90,
     .cred_weight = 70,
     .major = {43, 13},
     .areas = LIST("Administration and Management", "Office Administration",
                   "Finance and Accounting", "Customer Relations"),
     .stems =
         LIST("Scheduling", "Bookkeeping", "Accounts payable", "Payroll",
              "Office software", "Records management", "Front desk reception",
              "Phone etiquette", "Billing", "Office administration",
              "Business writing", "Project coordination",
              "Human resources basics", "Accounting software", "Cash handling",
              "Purchasing", "Grant reporting", "Meeting coordination"),
     .titles = LIST("Administrative Assistant", "Office Clerk", "Receptionist",
                    "Bookkeeper", "Payroll Clerk",
                    "Customer Service Representative", "Billing Specialist",
                    "Office Manager", "Human Resources Assistant"),
     .employers = LIST("Services", "Associates", "Insurance Agency",
                       "Credit Union", "County Government", "Bank"),
     .wage_lo = 1300,
     .wage_hi = 2600,
     .yearly_pm = 250,
     .remote_pm = 150},
    {.board = "Energy and Utilities",
     .weight = 40,
     .cred_weight = 40,
     .major = {47, 49, 51},
     .areas = LIST("Engineering and Technology", "Electrical",
                   "Energy and Utilities"),
     .stems = LIST("Electrical theory", "Residential wiring",
                   "Commercial wiring", "Electrical code", "Conduit bending",
                   "Arc flash safety", "Solar panel installation", "Line work",
                   "Meter reading", "Water treatment", "Wastewater operations",
                   "Power plant operations", "Substation maintenance",
                   "Generator maintenance", "Instrumentation",
                   "Electrical troubleshooting", "Mine safety",
                   "Mine electrical systems"),
     .titles =
         LIST("Electrician Apprentice", "Journeyman Electrician",
              "Solar Installer", "Line Worker", "Water Treatment Operator",
              "Utility Technician", "Mine Electrician", "Power Plant Operator"),
     .employers = LIST("Electric", "Power Cooperative", "Utilities",
                       "Water District", "Solar", "Energy"),
     .wage_lo = 1700,
     .wage_hi = 3800,
     .yearly_pm = 100},
    {.board = "Agriculture",
     .weight = 40,
     .cred_weight = 30,
     .major = {45, 19},
     .areas = LIST("Food Production", "Agriculture", "Natural Resources"),
     .stems =
         LIST("Crop production", "Livestock care", "Farm equipment operation",
              "Pesticide application", "Precision agriculture",
              "GPS guidance systems", "Irrigation", "Soil testing", "Forestry",
              "Timber harvesting", "Grain handling", "Produce safety",
              "Greenhouse operations", "Animal health",
              "Agricultural mechanics", "Conservation practices"),
     .titles = LIST("Farmworker", "Agricultural Equipment Operator",
                    "Precision Agriculture Technician", "Forestry Technician",
                    "Grain Elevator Operator", "Livestock Technician",
                    "Greenhouse Worker"),
     .employers =
         LIST("Farms", "Ag Cooperative", "Grain", "Timber", "Orchards"),
     .wage_lo = 1300,
     .wage_hi = 2600,
     .yearly_pm = 100},
    {.board = "Hospitality and Retail",
     .weight = 60,
     .cred_weight = 40,
     .major = {35, 41, 37},
     .areas =
         LIST("Sales and Marketing", "Food Service", "Retail", "Hospitality"),
     .stems = LIST(
         "Food handling", "Food safety", "Point-of-sale systems",
         "Merchandising", "Inventory counts", "Cooking", "Food preparation",
         "Suggestive selling", "Guest services", "Housekeeping",
         "Cash register operation", "Opening and closing procedures",
         "Responsible alcohol service", "Store operations", "Loss prevention"),
     .titles =
         LIST("Cashier", "Line Cook", "Retail Sales Associate",
              "Shift Supervisor", "Front Desk Agent", "Food Service Worker",
              "Store Manager Trainee", "Housekeeper"),
     .employers =
         LIST("Market", "Diner", "General Store", "Inn", "Foods", "Grocery"),
     .wage_lo = 1100,
     .wage_hi = 2000,
     .yearly_pm = 50,
     .remote_pm = 10},
    {.board = "Public Safety",
     .weight = 40,
     .cred_weight = 50,
     .major = {33, 29, 43},
     .areas = LIST("Public Safety and Security", "Emergency Medical Services",
                   "Corrections"),
     .stems = LIST("Emergency care", "Patient assessment", "Airway management",
                   "Trauma care", "Emergency vehicle operation",
                   "Fire suppression", "Hazmat awareness", "Incident command",
                   "Dispatch procedures", "Security patrol", "Report writing",
                   "Use of force policy", "Search and rescue",
                   "Radio communication", "Corrections procedures"),
     .titles = LIST("EMT", "Paramedic", "Emergency Dispatcher", "Firefighter",
                    "Security Officer", "Corrections Officer",
                    "Emergency Medical Responder"),
     .employers = LIST("Ambulance Service", "Fire Department", "County 911",
                       "Detention Center", "Security Services"),
     .wage_lo = 1400,
     .wage_hi = 2800,
     .yearly_pm = 200},
    {.board = "Mechanical Trades",
     .weight = 30,
     .cred_weight = 50,
     .major = {49},
     .areas = LIST("Mechanical", "HVAC", "Automotive"),
     .stems =
         LIST("Refrigerant handling", "HVAC installation", "Heat pump service",
              "Furnace maintenance", "Duct fabrication", "Brazing",
              "Electrical diagnostics", "Engine repair", "Brake systems",
              "Diesel engine service", "Vehicle diagnostics",
              "Small engine repair", "Tire service", "Steering and suspension",
              "Automotive electrical systems", "Oil burner service"),
     .titles =
         LIST("HVAC Technician", "HVAC Installer", "Automotive Technician",
              "Diesel Mechanic", "Lube Technician", "Heavy Equipment Mechanic",
              "Service Technician"),
     .employers = LIST("Heating and Air", "Auto Service", "Truck Repair",
                       "Mechanical", "Equipment"),
     .wage_lo = 1500,
     .wage_hi = 3200,
     .yearly_pm = 50},
};

static size_t count_list(const char *const *l)
{
	size_t n = 0;
	while (l && l[n])
		n++;
	return n;
}

static const char *const qualifiers[] = {
    "fundamentals",    "advanced practice",  "documentation",  "safety",
    "troubleshooting", "quality checks",     "regulations",    "field practice",
    "equipment",       "procedures",         "communication",  "digital tools",
    "inspection",      "planning",           "rural settings", "emergencies",
    "maintenance",     "assessment",         "supervision",    "record keeping",
    "customer focus",  "standards",          "calculations",   "setup",
    "teamwork",        "mentoring",          "reporting",      "compliance",
    "small employers", "bilingual settings", "night shifts",   "mobile units"};
#define NQUAL (sizeof qualifiers / sizeof qualifiers[0])

static const char *const first_names[] = {
    "Dana",    "Marcus",   "Rhonda",  "Jordan",   "Travis", "Kayla",
    "Loretta", "Derek",    "Keisha",  "Linda",    "Ryan",   "Sam",
    "Tasha",   "Bobby",    "Rosa",    "Tyler",    "Denise", "Maria",
    "James",   "Ashley",   "Michael", "Brittany", "Jose",   "Emily",
    "David",   "Jasmine",  "Chris",   "Megan",    "Luis",   "Tiffany",
    "Brandon", "Amber",    "Justin",  "Crystal",  "Kevin",  "Heather",
    "Carlos",  "Nicole",   "Dustin",  "Shawna",   "Andre",  "Misty",
    "Wesley",  "Tonya",    "Cody",    "Latoya",   "Ethan",  "Hannah",
    "Noah",    "Olivia",   "Mason",   "Ava",      "Elijah", "Sophia",
    "Logan",   "Isabella", "Caleb",   "Mia",      "Hunter", "Abigail",
    "Jesse",   "Taylor",   "Casey",   "Morgan",   "Riley",  "Avery"};
static const char *const last_names[] = {
    "Whitaker",  "Hall",      "Caudill",  "Smith",    "Johnson",   "Williams",
    "Brown",     "Jones",     "Garcia",   "Miller",   "Davis",     "Rodriguez",
    "Martinez",  "Hernandez", "Lopez",    "Gonzalez", "Wilson",    "Anderson",
    "Thomas",    "Taylor",    "Moore",    "Jackson",  "Martin",    "Lee",
    "Perez",     "Thompson",  "White",    "Harris",   "Sanchez",   "Clark",
    "Ramirez",   "Lewis",     "Robinson", "Walker",   "Young",     "Allen",
    "King",      "Wright",    "Scott",    "Torres",   "Nguyen",    "Hill",
    "Flores",    "Green",     "Adams",    "Nelson",   "Baker",     "Campbell",
    "Mitchell",  "Carter",    "Roberts",  "Combs",    "Sizemore",  "Napier",
    "Slone",     "Begley",    "Fugate",   "Couch",    "Pelletier", "Ouellette",
    "Thibodeau", "Dubois",    "Begay",    "Yazzie",   "Tso",       "Kekona",
    "Akana",     "Okafor",    "Boateng",  "Haddad"};
#define NFIRST (sizeof first_names / sizeof first_names[0])
#define NLAST  (sizeof last_names / sizeof last_names[0])

static const char *const online_providers[] = {
    "Online Skills Academy", "National Workforce Institute",
    "Open Career College",   "Distance Learning Cooperative",
    "Skills Network Online", "Rural Learning Collaborative"};
#define NONLINE (sizeof online_providers / sizeof online_providers[0])

/* Credential types and their shares, per mille. */
enum {
	CT_MICRO,
	CT_CERTIFICATE,
	CT_CERTIFICATION,
	CT_COURSE,
	CT_BADGE,
	CT_LICENSE,
	CT_PRIOR,
	NCT
};
static const char *const ctype_names[NCT] = {
    "micro-credential", "certificate",   "certification", "course", "badge",
    "license",          "prior-learning"};
static const unsigned ctype_weights[NCT] = {300, 180, 160, 160, 100, 60, 40};
/* Hours and cost ranges per type (cost in dollars), and the share that is
 * free. */
static const int ctype_hours[NCT][2] = {{8, 40}, {60, 400}, {20, 200}, {8, 60},
                                        {8, 20}, {40, 400}, {8, 40}};
static const int ctype_cost[NCT][2] = {{25, 150}, {300, 3000}, {50, 600},
                                       {50, 400}, {10, 50},    {25, 300},
                                       {0, 200}};
/* Tuition in dollars an hour for the types that charge by the hour (0: a
 * fee from ctype_cost instead). */
static const int ctype_rate[NCT][2] = {{1, 6}, {4, 12}, {0, 0}, {2, 10},
                                       {0, 3}, {0, 0},  {0, 5}};
static const unsigned ctype_free_pm[NCT] = {300, 0, 0, 200, 600, 0, 300};

enum { MOD_ONLINE, MOD_IN_PERSON, MOD_HYBRID };
static const char *const modality_names[] = {"online", "in-person", "hybrid"};
static const unsigned modality_weights[] = {40, 35, 25};

/* A county centre: the county seat or a town near the county's middle,
 * coordinates in 1e-4 degrees. */
typedef struct county {
	char fips[6];
	char state[3];
	const char *name; /* short county name, for employer names */
	const char *city; /* NULL when unknown (gazetteer counties) */
	int32_t lat, lon;
	int32_t coslat; /* cos(lat) * 10000 */
} county;

/* Rural and small-metro county centres: 5-digit FIPS, state, county, town,
 * latitude and longitude of the town (public facts). */
static const struct {
	const char *fips, *state, *name, *city;
	int32_t lat, lon;
} builtin_counties[] = {
    {"21193", "KY", "Perry", "Hazard", 372498, -831932},
    {"21195", "KY", "Pike", "Pikeville", 374793, -825188},
    {"21071", "KY", "Floyd", "Prestonsburg", 376656, -827716},
    {"21095", "KY", "Harlan", "Harlan", 368431, -833219},
    {"21133", "KY", "Letcher", "Whitesburg", 371184, -828268},
    {"21013", "KY", "Bell", "Pineville", 367620, -836949},
    {"21125", "KY", "Laurel", "London", 371290, -840833},
    {"21199", "KY", "Pulaski", "Somerset", 370920, -846041},
    {"21227", "KY", "Warren", "Bowling Green", 369685, -864808},
    {"54081", "WV", "Raleigh", "Beckley", 377782, -811882},
    {"54055", "WV", "Mercer", "Princeton", 373662, -811026},
    {"54059", "WV", "Mingo", "Williamson", 376743, -822774},
    {"54047", "WV", "McDowell", "Welch", 374329, -815848},
    {"51195", "VA", "Wise", "Wise", 369759, -825757},
    {"51027", "VA", "Buchanan", "Grundy", 372776, -820990},
    {"47025", "TN", "Claiborne", "Tazewell", 364543, -835693},
    {"47013", "TN", "Campbell", "Jacksboro", 363301, -841838},
    {"47151", "TN", "Scott", "Huntsville", 364098, -844894},
    {"47035", "TN", "Cumberland", "Crossville", 359490, -850269},
    {"47141", "TN", "Putnam", "Cookeville", 361628, -855016},
    {"13277", "GA", "Tift", "Tifton", 314505, -835085},
    {"13299", "GA", "Ware", "Waycross", 312136, -823540},
    {"13069", "GA", "Coffee", "Douglas", 315088, -828499},
    {"13095", "GA", "Dougherty", "Albany", 315785, -841557},
    {"13275", "GA", "Thomas", "Thomasville", 308366, -839788},
    {"01049", "AL", "DeKalb", "Fort Payne", 344443, -857197},
    {"01077", "AL", "Lauderdale", "Florence", 347998, -876773},
    {"28081", "MS", "Lee", "Tupelo", 342576, -887034},
    {"28151", "MS", "Washington", "Greenville", 334101, -910618},
    {"05031", "AR", "Craighead", "Jonesboro", 358423, -907043},
    {"22079", "LA", "Rapides", "Alexandria", 313113, -924451},
    {"23003", "ME", "Aroostook", "Presque Isle", 466812, -680159},
    {"23029", "ME", "Washington", "Machias", 447151, -674614},
    {"23025", "ME", "Somerset", "Skowhegan", 447651, -697193},
    {"23021", "ME", "Piscataquis", "Dover-Foxcroft", 451834, -692267},
    {"50005", "VT", "Caledonia", "St. Johnsbury", 444193, -720151},
    {"36089", "NY", "St. Lawrence", "Canton", 445956, -751691},
    {"42033", "PA", "Clearfield", "Clearfield", 410273, -784392},
    {"39009", "OH", "Athens", "Athens", 393292, -821013},
    {"26103", "MI", "Marquette", "Marquette", 465436, -873954},
    {"55073", "WI", "Marathon", "Wausau", 449591, -896301},
    {"27111", "MN", "Otter Tail", "Fergus Falls", 462830, -960776},
    {"19033", "IA", "Cerro Gordo", "Mason City", 431536, -932010},
    {"38105", "ND", "Williams", "Williston", 481470, -1036180},
    {"46103", "SD", "Pennington", "Rapid City", 440805, -1032310},
    {"31157", "NE", "Scotts Bluff", "Scottsbluff", 418666, -1036672},
    {"20057", "KS", "Ford", "Dodge City", 377528, -1000171},
    {"40071", "OK", "Kay", "Ponca City", 367070, -970856},
    {"48465", "TX", "Val Verde", "Del Rio", 293627, -1008968},
    {"35031", "NM", "McKinley", "Gallup", 355281, -1087426},
    {"04017", "AZ", "Navajo", "Holbrook", 349022, -1101582},
    {"08077", "CO", "Mesa", "Grand Junction", 390639, -1085506},
    {"49021", "UT", "Iron", "Cedar City", 376775, -1130619},
    {"32007", "NV", "Elko", "Elko", 408324, -1157631},
    {"16019", "ID", "Bonneville", "Idaho Falls", 434917, -1120339},
    {"30013", "MT", "Cascade", "Great Falls", 475053, -1113008},
    {"56037", "WY", "Sweetwater", "Rock Springs", 415875, -1092029},
    {"53077", "WA", "Yakima", "Yakima", 466021, -1205059},
    {"41035", "OR", "Klamath", "Klamath Falls", 422249, -1217817},
    {"06093", "CA", "Siskiyou", "Yreka", 417354, -1226345},
    {"37189", "NC", "Watauga", "Boone", 362168, -816746},
    {"37155", "NC", "Robeson", "Lumberton", 346182, -790086},
    {"45041", "SC", "Florence", "Florence", 341954, -797626},
    {"12121", "FL", "Suwannee", "Live Oak", 302949, -829840},
    {"29105", "MO", "Laclede", "Lebanon", 376806, -926638},
    {"17199", "IL", "Williamson", "Marion", 377306, -889331},
    {"18083", "IN", "Knox", "Vincennes", 386773, -875286},
    {"02090", "AK", "Fairbanks North Star", "Fairbanks", 648378, -1477164},
    {"15001", "HI", "Hawaii", "Hilo", 197241, -1550868},
};
#define NBUILTIN (sizeof builtin_counties / sizeof builtin_counties[0])

/* cos(latitude) * 10000 by Bhaskara I's rational approximation (within
 * 0.2%), in integers so that every machine agrees. */
static int32_t cos_e4(int32_t lat_e4)
{
	int64_t x = lat_e4 < 0 ? -(int64_t)lat_e4 : lat_e4;
	const int64_t pi2 = INT64_C(3240000000000); /* 180^2 in (1e-4 deg)^2 */
	int64_t c = (pi2 - 4 * x * x) * 10000 / (pi2 + x * x);
	return c < 100 ? 100 : (int32_t)c;
}

/* ---- the generator's state ---- */

typedef struct skill {
	uint8_t level, domain; /* level 1 = a root of the taxonomy */
	uint16_t stem, q1, q2; /* name parts: stem index, qualifiers + 1 */
	uint32_t parent, parent2;
} skill;

typedef struct cred {
	uint8_t domain, type, modality;
	uint8_t nskills, nprereq, ncomp;
	bool known; /* hours and cost known */
	uint32_t skill[8];
	uint8_t level[8];
	uint32_t prereq[2];
	uint32_t comp[4];
	uint32_t hours, cost, credits;
	uint16_t expires_months;
	uint32_t occ;    /* the occupation it prepares for, or NONE */
	uint32_t county; /* where it is taught, or NONE */
} cred;

typedef struct occ {
	char code[11];
	uint8_t domain;
	uint16_t title, variant; /* variant: 0, else an area index + 1 */
	uint32_t nreq;
	uint32_t *req; /* its plain requirement skills (its profile) */
	uint8_t *req_level;
	uint32_t ncred, capcred, *cred; /* credentials that prepare for it */
	uint32_t ncore;  /* o->req[0..ncore): the skills postings require */
	uint32_t cursor; /* the next core skill a credential takes */
} occ;

/* One requirement of a job or occupation: one skill, or any_of two or
 * three. */
typedef struct req {
	uint32_t skill[3];
	uint8_t nalt; /* 1 for a plain requirement */
	uint8_t level, importance;
	bool preferred;
} req;

typedef struct gen {
	const gen_config *cfg;
	pw_error *err;
	county *counties;
	size_t ncounties;
	char **owned; /* strings read from a counties file */
	size_t nowned;
	zipf geo;
	skill *skills;
	size_t nskills;
	uint32_t *child_off, *child; /* children by first parent, CSR */
	uint32_t *lvl[NDOM][2];      /* roots and level-2 skills by domain */
	size_t nlvl[NDOM][2];
	zipf sk[NDOM]; /* levels 2-4 of each domain */
	occ *occs;
	size_t nocc;
	uint32_t *occ_dom[NDOM];
	size_t nocc_dom[NDOM];
	zipf occz[NDOM];     /* postings and learners pick occupations */
	zipf occ_flat[NDOM]; /* the same ranks, flatter: credentials */
	cred *creds;
	size_t ncreds;
	uint32_t *cred_dom[NDOM];
	size_t ncred_dom[NDOM];
	zipf credz[NDOM], cred_all;
	uint32_t *mark, stamp;   /* skills taken by the entity being made */
	uint32_t *cmark, cstamp; /* credentials likewise */
	uint64_t bytes;
	size_t files;
} gen;

enum { ST_GEO = 1, ST_SKILLS, ST_OCC, ST_CREDS, ST_JOBS, ST_LEARNERS };

/* ---- output files ---- */

static pw_status file_open(gen *g, gw *w, const char *name)
{
	memset(w, 0, sizeof *w);
	if ((size_t)snprintf(w->path, sizeof w->path, "%s/%s", g->cfg->out,
	                     name) >= sizeof w->path)
		return gen_fail(g->err, PW_ERR_INVALID,
		                "output directory name '%.200s' is too long",
		                g->cfg->out);
	w->buf = malloc(WBUF);
	if (!w->buf)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	w->f = fopen(w->path, "w");
	if (!w->f) {
		int e = errno;
		free(w->buf);
		w->buf = NULL;
		return gen_fail(g->err, PW_ERR_IO, "cannot create '%s': %s",
		                w->path, strerror(e));
	}
	return PW_OK;
}

/* Flushes and closes; reports the first write error. */
static pw_status file_close(gen *g, gw *w)
{
	if (!w->f)
		return PW_OK;
	w_flush(w);
	if (fclose(w->f) != 0 && !w->err_no)
		w->err_no = errno ? errno : EIO;
	w->f = NULL;
	free(w->buf);
	w->buf = NULL;
	g->bytes += w->total;
	if (w->err_no)
		return gen_fail(g->err, PW_ERR_IO, "cannot write '%s': %s",
		                w->path, strerror(w->err_no));
	return PW_OK;
}

/* Closes after a failure elsewhere, keeping the first error. */
static void file_abandon(gw *w)
{
	if (w->f)
		fclose(w->f);
	w->f = NULL;
	free(w->buf);
	w->buf = NULL;
}

/* mkdir -p */
static pw_status make_dir(gen *g, const char *path)
{
	char tmp[4096];
	struct stat sb;
	if ((size_t)snprintf(tmp, sizeof tmp, "%s", path) >= sizeof tmp)
		return gen_fail(g->err, PW_ERR_INVALID,
		                "output directory name '%.200s' is too long",
		                path);
	for (char *p = tmp + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char keep = *p;
		*p = '\0';
		if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
			return gen_fail(g->err, PW_ERR_IO,
			                "cannot create '%s': %s", tmp,
			                strerror(errno));
		*p = keep;
		if (!keep)
			break;
	}
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return gen_fail(g->err, PW_ERR_IO, "cannot create '%s': %s",
		                path, strerror(ENOTDIR));
	return PW_OK;
}

/* ---- county centres ---- */

static bool utf8_valid(const unsigned char *s)
{
	while (*s) {
		int n = *s < 0x80             ? 0
		        : (*s & 0xE0) == 0xC0 ? 1
		        : (*s & 0xF0) == 0xE0 ? 2
		        : (*s & 0xF8) == 0xF0 ? 3
		                              : -1;
		if (n < 0 || (n == 1 && *s < 0xC2))
			return false;
		s++;
		for (int i = 0; i < n; i++, s++)
			if ((*s & 0xC0) != 0x80)
				return false;
	}
	return true;
}

/* A decimal degree ("-83.1932", " 37.25") to 1e-4 degrees, rounded
 * half away from zero, within +-limit degrees. */
static bool parse_degrees(const char *s, int32_t limit, int32_t *out)
{
	while (*s == ' ')
		s++;
	bool neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	int64_t ip = 0, frac = 0;
	int nd = 0, nf = 0;
	for (; *s >= '0' && *s <= '9' && nd < 4; s++, nd++)
		ip = ip * 10 + (*s - '0');
	if (!nd)
		return false;
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++, nf++)
			if (nf < 5)
				frac = frac * 10 + (*s - '0');
	}
	while (*s == ' ')
		s++;
	if (*s)
		return false;
	for (int k = nf < 5 ? nf : 5; k < 5; k++)
		frac *= 10;
	int64_t v = ip * 10000 + (frac + 5) / 10;
	if (v > (int64_t)limit * 10000)
		return false;
	*out = (int32_t)(neg ? -v : v);
	return true;
}

static pw_status keep_string(gen *g, const char *s, size_t n, const char **out)
{
	char *p = malloc(n + 1);
	if (!p)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	memcpy(p, s, n);
	p[n] = '\0';
	g->owned[g->nowned++] = p;
	*out = p;
	return PW_OK;
}

/* The Census gazetteer counties file, pipe-separated without a header:
 * USPS|GEOID|ANSICODE|NAME|ALAND|AWATER|ALAND_SQMI|AWATER_SQMI|INTPTLAT|
 * INTPTLONG. */
#define COUNTIES_MAX 100000
#define LINE_MAX_LEN 4096

static pw_status read_counties(gen *g, const char *path)
{
	pw_status st = PW_OK;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return gen_fail(g->err, PW_ERR_IO, "cannot open '%s': %s", path,
		                strerror(errno));
	g->counties = calloc(COUNTIES_MAX, sizeof *g->counties);
	g->owned = calloc(COUNTIES_MAX, sizeof *g->owned);
	if (!g->counties || !g->owned) {
		st = gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
		goto done;
	}
	ssize_t len;
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		               line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		if (!len)
			continue;
		char *fld[11];
		int nf = 0;
		const char *why = NULL;
		if (len > LINE_MAX_LEN)
			why = "line is too long";
		else if (strlen(line) != (size_t)len)
			why = "line holds a NUL byte";
		else if (!utf8_valid((const unsigned char *)line))
			why = "line is not valid UTF-8";
		else if (g->ncounties == COUNTIES_MAX)
			why = "more than 100000 counties";
		if (!why) {
			for (char *p = line; nf < 11;) {
				fld[nf++] = p;
				char *bar = strchr(p, '|');
				if (!bar)
					break;
				*bar = '\0';
				p = bar + 1;
			}
			if (nf != 10)
				why = "expected 10 fields separated by '|'";
		}
		county *c = &g->counties[g->ncounties];
		if (!why) {
			const char *s = fld[0], *id = fld[1];
			bool ok = strlen(s) == 2 && s[0] >= 'A' &&
			          s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
			if (!ok)
				why = "field 1 (USPS) is not a two-letter "
				      "state code";
			ok = strlen(id) == 5;
			for (int i = 0; ok && i < 5; i++)
				ok = id[i] >= '0' && id[i] <= '9';
			if (!why && !ok)
				why = "field 2 (GEOID) is not a 5-digit county "
				      "FIPS code";
			if (!why && !*fld[3])
				why = "field 4 (NAME) is empty";
			if (!why && !parse_degrees(fld[8], 90, &c->lat))
				why = "field 9 (INTPTLAT) is not a latitude";
			if (!why && !parse_degrees(fld[9], 180, &c->lon))
				why = "field 10 (INTPTLONG) is not a "
				      "longitude";
		}
		if (why) {
			st = gen_fail(g->err, PW_ERR_INVALID,
			              "%s: line %zu: %s", path, lineno, why);
			goto done;
		}
		memcpy(c->fips, fld[1], 6);
		memcpy(c->state, fld[0], 3);
		/* "Perry County" -> "Perry": the name employers take. */
		size_t nl = strlen(fld[3]);
		static const char *const tails[] = {" County", " Parish",
		                                    " Borough", NULL};
		for (int k = 0; tails[k]; k++) {
			size_t tl = strlen(tails[k]);
			if (nl > tl &&
			    strcmp(fld[3] + nl - tl, tails[k]) == 0) {
				nl -= tl;
				break;
			}
		}
		if ((st = keep_string(g, fld[3], nl, &c->name)))
			goto done;
		c->city = NULL;
		c->coslat = cos_e4(c->lat);
		g->ncounties++;
		errno = 0;
	}
	if (ferror(f)) {
		st = gen_fail(g->err, PW_ERR_IO, "cannot read '%s': %s", path,
		              strerror(errno ? errno : EIO));
		goto done;
	}
	if (!g->ncounties)
		st = gen_fail(g->err, PW_ERR_INVALID, "%s: holds no counties",
		              path);
done:
	free(line);
	fclose(f);
	return st;
}

static pw_status load_counties(gen *g)
{
	if (g->cfg->counties)
		return read_counties(g, g->cfg->counties);
	g->counties = calloc(NBUILTIN, sizeof *g->counties);
	if (!g->counties)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < NBUILTIN; i++) {
		county *c = &g->counties[i];
		memcpy(c->fips, builtin_counties[i].fips, 6);
		memcpy(c->state, builtin_counties[i].state, 3);
		c->name = builtin_counties[i].name;
		c->city = builtin_counties[i].city;
		c->lat = builtin_counties[i].lat;
		c->lon = builtin_counties[i].lon;
		c->coslat = cos_e4(c->lat);
	}
	g->ncounties = NBUILTIN;
	return PW_OK;
}

/* A point within radius (hundredths of a mile) of county c, uniform over
 * the disc; a degree of latitude is 69.0 miles, of longitude 69.17 cos. */
static void place(rng *r, const county *c, int64_t radius, int32_t *lat,
                  int32_t *lon)
{
	int64_t x, y;
	do {
		x = range(r, -radius, radius);
		y = range(r, -radius, radius);
	} while (x * x + y * y > radius * radius);
	int64_t la = c->lat + y * 10000 / 6900;
	int64_t lo = c->lon + x * 100000000 / (6917 * (int64_t)c->coslat);
	la = la > 900000 ? 900000 : la < -900000 ? -900000 : la;
	lo = lo > 1800000 ? 1800000 : lo < -1800000 ? -1800000 : lo;
	*lat = (int32_t)la;
	*lon = (int32_t)lo;
}

static void w_location(gw *w, const county *c, int32_t lat, int32_t lon)
{
	w_s(w, "{\"lat\":");
	w_fix(w, lat, 4);
	w_s(w, ",\"lon\":");
	w_fix(w, lon, 4);
	w_s(w, ",\"county\":");
	w_str(w, c->fips);
	if (c->city) {
		w_s(w, ",\"city\":");
		w_str(w, c->city);
	}
	w_s(w, ",\"state\":");
	w_str(w, c->state);
	w_c(w, '}');
}

/* ---- skills ---- */

/* The taxonomy: roots (level 1, a domain's broad areas), broad groups
 * (level 2), skills (level 3) and specific skills (level 4); every parent
 * sits one level up, so `broader` is acyclic and at most four deep. */
static pw_status make_skills(gen *g)
{
	rng r;
	size_t n = g->cfg->skills;
	rng_seed(&r, g->cfg->seed, ST_SKILLS);
	g->skills = calloc(n, sizeof *g->skills);
	g->mark = calloc(n, sizeof *g->mark);
	g->child_off = calloc(n + 1, sizeof *g->child_off);
	g->child = calloc(n, sizeof *g->child);
	if (!g->skills || !g->mark || !g->child_off || !g->child)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	g->nskills = n;
	size_t n1 = n / 80 > NDOM ? n / 80 : NDOM;
	size_t n2 = n / 20 > n1 ? n / 20 : n1;
	size_t n3 = n * 3 / 10;
	size_t start[5] = {0, 0, n1, n1 + n2, n1 + n2 + n3};
	for (size_t i = 0; i < n; i++) {
		skill *s = &g->skills[i];
		s->parent = s->parent2 = NONE;
		s->level = i < start[2]   ? 1
		           : i < start[3] ? 2
		           : i < start[4] ? 3
		                          : 4;
		if (s->level == 1) {
			s->domain = (uint8_t)(i % NDOM);
			s->stem = (uint16_t)(i / NDOM);
			continue;
		}
		size_t lo = start[s->level - 1], hi = start[s->level] - 1;
		const skill *p;
		s->parent = (uint32_t)range(&r, (int64_t)lo, (int64_t)hi);
		p = &g->skills[s->parent];
		s->domain = p->domain;
		const domain *d = &domains[s->domain];
		if (s->level == 2)
			s->stem = (uint16_t)below(&r, count_list(d->stems));
		else
			s->stem = p->stem;
		if (s->level >= 3)
			s->q1 = s->level == 3 ? (uint16_t)(1 + below(&r, NQUAL))
			                      : p->q1;
		if (s->level == 4)
			s->q2 = (uint16_t)(1 + below(&r, NQUAL));
		/* A second parent for one in ten: another of the level above,
		 * in the same domain two times out of three. */
		if (chance(&r, 100)) {
			for (int t = 0; t < 20; t++) {
				uint32_t q = (uint32_t)range(&r, (int64_t)lo,
				                             (int64_t)hi);
				if (q == s->parent)
					continue;
				if (t < 19 &&
				    g->skills[q].domain != s->domain &&
				    !chance(&r, 333))
					continue;
				s->parent2 = q;
				break;
			}
		}
	}
	/* children by first parent, for siblings */
	for (size_t i = 0; i < n; i++)
		if (g->skills[i].parent != NONE)
			g->child_off[g->skills[i].parent + 1]++;
	for (size_t i = 0; i < n; i++)
		g->child_off[i + 1] += g->child_off[i];
	{
		uint32_t *fill = calloc(n, sizeof *fill);
		if (!fill)
			return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
		for (size_t i = 0; i < n; i++) {
			uint32_t p = g->skills[i].parent;
			if (p != NONE)
				g->child[g->child_off[p] + fill[p]++] =
				    (uint32_t)i;
		}
		free(fill);
	}
	/* lists by domain: roots, level 2, and the Zipf over levels 2-4 */
	uint32_t *tmp = malloc(n * sizeof *tmp);
	if (!tmp)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	for (int d = 0; d < NDOM; d++) {
		for (int l = 0; l < 2; l++) {
			size_t k = 0;
			for (size_t i = 0; i < n; i++)
				if (g->skills[i].domain == d &&
				    g->skills[i].level == l + 1)
					tmp[k++] = (uint32_t)i;
			g->lvl[d][l] = malloc((k ? k : 1) * sizeof(uint32_t));
			if (!g->lvl[d][l]) {
				free(tmp);
				return gen_fail(g->err, PW_ERR_NOMEM,
				                "out of memory");
			}
			memcpy(g->lvl[d][l], tmp, k * sizeof(uint32_t));
			g->nlvl[d][l] = k;
		}
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (g->skills[i].domain == d && g->skills[i].level > 1)
				tmp[k++] = (uint32_t)i;
		if (!zipf_init(&g->sk[d], tmp, k, 0, &r)) {
			free(tmp);
			return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
		}
	}
	free(tmp);
	return PW_OK;
}

static void w_skill_name(gw *w, const gen *g, uint32_t i)
{
	const skill *s = &g->skills[i];
	const domain *d = &domains[s->domain];
	char buf[160];
	if (s->level == 1) {
		size_t na = count_list(d->areas);
		if (s->stem < na)
			snprintf(buf, sizeof buf, "%s", d->areas[s->stem]);
		else
			snprintf(buf, sizeof buf, "%s, group %u",
			         d->areas[s->stem % na],
			         s->stem / (unsigned)na + 1);
	} else if (s->level == 2)
		snprintf(buf, sizeof buf, "%s", d->stems[s->stem]);
	else if (s->level == 3)
		snprintf(buf, sizeof buf, "%s: %s", d->stems[s->stem],
		         qualifiers[s->q1 - 1]);
	else
		snprintf(buf, sizeof buf, "%s: %s, %s", d->stems[s->stem],
		         qualifiers[s->q1 - 1], qualifiers[s->q2 - 1]);
	w_str(w, buf);
}

/* A skill not yet taken by the entity being made: from the occupation's
 * profile (when given, profile_pm of the time; *plevel then gets the
 * profile's level, else 0), else the domain's Zipf (four times in five),
 * else the transversal skills'. After a few collisions it walks the list
 * for a free one, so it always ends. */
static uint32_t draw_skill(gen *g, rng *r, int dom, const occ *o,
                           unsigned profile_pm, int *plevel)
{
	int profile_misses = o && o->nreq ? 0 : 3;
	if (plevel)
		*plevel = 0;
	for (int t = 0; t < 32; t++) {
		uint32_t s;
		int lv = 0;
		if (profile_misses < 3 && chance(r, profile_pm)) {
			size_t k = (size_t)below(r, o->nreq);
			s = o->req[k];
			lv = o->req_level[k];
			if (g->mark[s] == g->stamp) {
				profile_misses++;
				continue;
			}
		} else if (dom != 0 && g->sk[dom].n && chance(r, 800))
			s = zipf_draw(&g->sk[dom], r);
		else if (g->sk[0].n)
			s = zipf_draw(&g->sk[0], r);
		else
			continue;
		if (g->mark[s] != g->stamp) {
			g->mark[s] = g->stamp;
			if (plevel)
				*plevel = lv;
			return s;
		}
	}
	size_t n = g->nskills, i = (size_t)below(r, n);
	for (size_t k = 0; k < n; k++, i = (i + 1) % n)
		if (g->skills[i].level > 1 && g->mark[i] != g->stamp) {
			g->mark[i] = g->stamp;
			return (uint32_t)i;
		}
	return NONE; /* unreachable: more skills than any entity takes */
}

/* An alternative to skill s: a sibling under the same parent when one is
 * free, else another draw. */
static uint32_t draw_alternative(gen *g, rng *r, int dom, uint32_t s)
{
	uint32_t p = g->skills[s].parent;
	if (p != NONE && chance(r, 700)) {
		uint32_t lo = g->child_off[p], n = g->child_off[p + 1] - lo;
		for (int t = 0; t < 6 && n > 1; t++) {
			uint32_t c = g->child[lo + below(r, n)];
			if (g->mark[c] != g->stamp) {
				g->mark[c] = g->stamp;
				return c;
			}
		}
	}
	return draw_skill(g, r, dom, NULL, 0, NULL);
}

static const unsigned req_level_w[4] = {30, 45, 20, 5};
static const unsigned importance_w[5] = {5, 15, 35, 30, 15};

/* 8-25 requirements, levels mostly 1-2, one in twelve an any_of of two or
 * three alternatives (at most three such). A posting of an occupation
 * requires most of the occupation's core at the core's level; its other
 * requirements, half from the occupation's profile, are mostly
 * preferred. */
static size_t make_reqs(gen *g, rng *r, int dom, const occ *o, req *out)
{
	size_t n = (size_t)middling(r, 8, 25), nany = 0, i = 0;
	g->stamp++;
	for (uint32_t k = 0; o && k < o->ncore; k++) {
		if (!chance(r, 850))
			continue;
		req *q = &out[i++];
		q->nalt = 1;
		q->skill[0] = o->req[k];
		g->mark[q->skill[0]] = g->stamp;
		q->level = o->req_level[k];
		q->importance = (uint8_t)(3 + pick(r, importance_w + 2, 3));
		q->preferred = chance(r, 100);
	}
	for (; i < n; i++) {
		req *q = &out[i];
		int plevel;
		q->nalt = 1;
		q->skill[0] = draw_skill(g, r, dom, o, 500, &plevel);
		if (nany < 3 && chance(r, 85)) {
			q->nalt = chance(r, 300) ? 3 : 2;
			for (int a = 1; a < q->nalt; a++)
				q->skill[a] =
				    draw_alternative(g, r, dom, q->skill[0]);
			nany++;
		}
		q->level = (uint8_t)(plevel ? plevel
		                            : 1 + (int)pick(r, req_level_w, 4));
		q->importance = (uint8_t)(1 + pick(r, importance_w, 5));
		q->preferred = chance(r, o ? 700 : 250);
	}
	return n;
}

static void w_reqs(gw *w, const req *q, size_t n)
{
	w_s(w, ",\"requirements\":[");
	for (size_t i = 0; i < n; i++, q++) {
		if (i)
			w_c(w, ',');
		if (q->nalt == 1) {
			w_s(w, "{\"skill\":");
			w_id(w, "s-", q->skill[0] + 1, 5);
			w_s(w, ",\"level\":");
			w_u(w, q->level);
		} else {
			w_s(w, "{\"any_of\":[");
			for (int a = 0; a < q->nalt; a++) {
				w_s(w, a ? ",{\"skill\":" : "{\"skill\":");
				w_id(w, "s-", q->skill[a] + 1, 5);
				w_s(w, ",\"level\":");
				w_u(w, q->level);
				w_c(w, '}');
			}
			w_c(w, ']');
		}
		w_s(w, ",\"importance\":");
		w_u(w, q->importance);
		if (q->preferred)
			w_s(w, ",\"required\":false");
		w_c(w, '}');
	}
	w_c(w, ']');
}

static pw_status write_skills(gen *g)
{
	rng r;
	gw w;
	pw_status st;
	rng_seed(&r, g->cfg->seed, ST_SKILLS + 100);
	if ((st = file_open(g, &w, "skills.json")))
		return st;
	w_s(&w, "{\"skills\":[\n");
	for (uint32_t i = 0; i < g->nskills; i++) {
		const skill *s = &g->skills[i];
		if (i)
			w_s(&w, ",\n");
		w_s(&w, "{\"id\":");
		w_id(&w, "s-", i + 1, 5);
		w_s(&w, ",\"name\":");
		w_skill_name(&w, g, i);
		if (s->parent != NONE) {
			w_s(&w, ",\"broader\":[");
			w_id(&w, "s-", s->parent + 1, 5);
			if (s->parent2 != NONE) {
				w_c(&w, ',');
				w_id(&w, "s-", s->parent2 + 1, 5);
			}
			w_c(&w, ']');
		}
		/* related: one in sixteen of levels 2-4, to a sibling or a
		 * skill of the same domain, weight 0.30-0.90 */
		if (s->level > 1 && chance(&r, 60)) {
			int n = chance(&r, 300) ? 2 : 1;
			g->stamp++;
			g->mark[i] = g->stamp;
			w_s(&w, ",\"related\":[");
			for (int k = 0; k < n; k++) {
				uint32_t t =
				    draw_alternative(g, &r, s->domain, i);
				if (k)
					w_c(&w, ',');
				w_s(&w, "{\"skill\":");
				w_id(&w, "s-", t + 1, 5);
				w_s(&w, ",\"weight\":");
				w_fix(&w, range(&r, 6, 18) * 5, 2);
				w_c(&w, '}');
			}
			w_c(&w, ']');
		}
		w_c(&w, '}');
	}
	w_s(&w, "\n]}\n");
	g->files++;
	return file_close(g, &w);
}

/* ---- occupations ---- */

static const unsigned zone_w[5] = {10, 35, 35, 15, 5};
static const char *const education_by_zone[5] = {
    "No formal educational credential", "High school diploma or equivalent",
    "Postsecondary nondegree award", "Bachelor's degree", "Master's degree"};

/* O*NET-SOC codes: a domain's major group, then a detail code made unique
 * per major group (1010 + 11 k + a random digit). */
static pw_status write_occupations(gen *g)
{
	rng r;
	gw w;
	pw_status st;
	size_t n = g->cfg->occupations;
	unsigned next_detail[100] = {0};
	req *reqs = malloc(32 * sizeof *reqs);
	g->occs = calloc(n, sizeof *g->occs);
	if (!reqs || !g->occs) {
		free(reqs);
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	}
	g->nocc = n;
	rng_seed(&r, g->cfg->seed, ST_OCC);
	if ((st = file_open(g, &w, "occupations.json"))) {
		free(reqs);
		return st;
	}
	w_s(&w, "{\"occupations\":[\n");
	unsigned title_uses[NDOM][16] = {{0}};
	for (size_t i = 0; i < n; i++) {
		occ *o = &g->occs[i];
		int dom = 1 + (int)(i % (NDOM - 1));
		const domain *d = &domains[dom];
		o->domain = (uint8_t)dom;
		/* the major group with the fewest codes so far */
		int major = d->major[0];
		for (int k = 1; k < 3 && d->major[k]; k++)
			if (next_detail[d->major[k]] < next_detail[major])
				major = d->major[k];
		unsigned detail =
		    1010 + 11 * next_detail[major]++ + (unsigned)below(&r, 10);
		snprintf(o->code, sizeof o->code, "%02d-%04u.%s", major, detail,
		         chance(&r, 100) ? "01" : "00");
		size_t nt = count_list(d->titles);
		o->title = (uint16_t)(i / (NDOM - 1) % nt);
		unsigned use = title_uses[dom][o->title]++;
		o->variant =
		    use ? (uint16_t)(1 + (use - 1) % count_list(d->areas)) : 0;
		size_t nr = make_reqs(g, &r, dom, NULL, reqs);
		/* what postings of it draw from: its plain requirements */
		o->req = malloc(nr * sizeof *o->req);
		o->req_level = malloc(nr);
		if (!o->req || !o->req_level) {
			file_abandon(&w);
			free(reqs);
			return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
		}
		/* the core: the 4-8 most important plain requirements, all
		 * required; they come first in o->req */
		size_t want = (size_t)middling(&r, 4, 8);
		for (int imp = 5; imp >= 1; imp--)
			for (size_t k = 0; k < nr; k++)
				if (reqs[k].nalt == 1 &&
				    reqs[k].importance == imp &&
				    o->ncore < want) {
					reqs[k].preferred = false;
					reqs[k].nalt = 0; /* taken, for now */
					o->req_level[o->nreq] = reqs[k].level;
					o->req[o->nreq++] = reqs[k].skill[0];
					o->ncore++;
				}
		for (size_t k = 0; k < nr; k++) {
			if (reqs[k].nalt == 0) {
				reqs[k].nalt = 1;
				continue;
			}
			if (reqs[k].nalt == 1) {
				o->req_level[o->nreq] = reqs[k].level;
				o->req[o->nreq++] = reqs[k].skill[0];
			}
		}
		/* O*NET-style generic elements: a root or broad group of the
		 * domain, usually preferred */
		size_t ngen = (size_t)range(&r, 1, 3);
		for (size_t k = 0; k < ngen && nr < 28; k++) {
			int l = chance(&r, 500) ? 0 : 1;
			if (!g->nlvl[dom][l])
				continue;
			uint32_t s = g->lvl[dom][l][below(&r, g->nlvl[dom][l])];
			if (g->mark[s] == g->stamp)
				continue;
			g->mark[s] = g->stamp;
			reqs[nr].nalt = 1;
			reqs[nr].skill[0] = s;
			reqs[nr].level = (uint8_t)range(&r, 2, 3);
			reqs[nr].importance = (uint8_t)range(&r, 3, 5);
			reqs[nr].preferred = chance(&r, 800);
			nr++;
		}
		if (i)
			w_s(&w, ",\n");
		w_s(&w, "{\"id\":");
		w_str(&w, o->code);
		char title[160];
		if (o->variant)
			snprintf(title, sizeof title, "%s, %s",
			         d->titles[o->title], d->areas[o->variant - 1]);
		else
			snprintf(title, sizeof title, "%s",
			         d->titles[o->title]);
		w_s(&w, ",\"title\":");
		w_str(&w, title);
		w_s(&w, ",\"description\":");
		char desc[256];
		snprintf(desc, sizeof desc,
		         "Synthetic occupation in %s; its requirements are "
		         "drawn for testing.",
		         d->board);
		w_str(&w, desc);
		if (chance(&r, 500)) {
			char alias[160];
			snprintf(alias, sizeof alias, "%s %s",
			         chance(&r, 500) ? "Senior" : "Entry-Level",
			         d->titles[o->title]);
			w_s(&w, ",\"aliases\":[");
			w_str(&w, alias);
			w_c(&w, ']');
		}
		unsigned zone = 1 + pick(&r, zone_w, 5);
		w_s(&w, ",\"job_zone\":");
		w_u(&w, zone);
		w_s(&w, ",\"education\":");
		w_str(&w, education_by_zone[zone - 1]);
		w_reqs(&w, reqs, nr);
		int64_t hourly = range(&r, d->wage_lo, d->wage_hi);
		w_s(&w, ",\"wage\":{\"min\":");
		int64_t year = hourly * 2080 / 100 / 10 * 10;
		w_u(&w, (uint64_t)year);
		w_s(&w, ",\"max\":");
		w_u(&w, (uint64_t)year);
		w_s(&w, ",\"unit\":\"year\"}");
		w_s(&w, ",\"openings\":");
		w_u(&w, (uint64_t)(10 * range(&r, 1, 20) * range(&r, 1, 20) *
		                   range(&r, 1, 10)));
		w_s(&w, ",\"growth_pct\":");
		w_fix(&w, middling(&r, -50, 150), 1);
		w_c(&w, '}');
	}
	w_s(&w, "\n]}\n");
	free(reqs);
	g->files++;
	if ((st = file_close(g, &w)))
		return st;
	/* postings of a domain pick its occupations by a Zipf law */
	uint32_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
	if (!tmp)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	for (int d = 0; d < NDOM; d++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (g->occs[i].domain == d)
				tmp[k++] = (uint32_t)i;
		if (!zipf_init(&g->occz[d], tmp, k, 1, &r) ||
		    !zipf_init(&g->occ_flat[d], g->occz[d].item, k, 5, NULL)) {
			free(tmp);
			return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
		}
	}
	free(tmp);
	return PW_OK;
}

/* ---- credentials ---- */

static const unsigned cred_level_w[4] = {20, 40, 30, 10};

/* Draws the catalog: each credential belongs to a domain and usually
 * prepares for one of its occupations (half its skills come from that
 * occupation's profile). Prerequisites and components point only to
 * earlier credentials of the same domain, so both graphs are acyclic. */
static pw_status make_creds(gen *g)
{
	rng r;
	size_t n = g->cfg->credentials;
	unsigned dw[NDOM];
	rng_seed(&r, g->cfg->seed, ST_CREDS);
	g->creds = calloc(n, sizeof *g->creds);
	g->cmark = calloc(n, sizeof *g->cmark);
	for (int d = 0; d < NDOM; d++) {
		g->cred_dom[d] = malloc(n * sizeof(uint32_t));
		if (!g->cred_dom[d])
			return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
		dw[d] = domains[d].cred_weight;
	}
	if (!g->creds || !g->cmark)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	g->ncreds = n;
	for (size_t i = 0; i < n; i++) {
		cred *c = &g->creds[i];
		int dom = (int)pick(&r, dw, NDOM);
		c->domain = (uint8_t)dom;
		c->occ = NONE;
		c->county = NONE;
		if (g->occ_flat[dom].n && chance(&r, 750))
			c->occ = zipf_draw(&g->occ_flat[dom], &r);
		occ *o = c->occ == NONE ? NULL : &g->occs[c->occ];
		c->type = (uint8_t)pick(&r, ctype_weights, NCT);
		size_t *nd = &g->ncred_dom[dom];
		/* earlier credentials to build on: the occupation's own when
		 * it has two, else the domain's */
		const uint32_t *pool = g->cred_dom[dom];
		size_t npool = *nd;
		if (o && o->ncred >= 2) {
			pool = o->cred;
			npool = o->ncred;
		}
		/* a stack: two to four of them, rarely a stack itself */
		if (npool >= 2 && chance(&r, 40)) {
			size_t want = (size_t)range(&r, 2, 4);
			g->cstamp++;
			for (int t = 0; t < 12 && c->ncomp < want; t++) {
				uint32_t k = pool[below(&r, npool)];
				if (g->cmark[k] == g->cstamp ||
				    (g->creds[k].ncomp && !chance(&r, 100)))
					continue;
				g->cmark[k] = g->cstamp;
				c->comp[c->ncomp++] = k;
			}
			if (c->ncomp < 2)
				c->ncomp = 0;
		}
		if (c->ncomp)
			c->type =
			    chance(&r, 600) ? CT_CERTIFICATE : CT_CERTIFICATION;
		/* skills: most from the occupation's profile, at its level or
		 * one above */
		c->nskills = (uint8_t)middling(&r, 2, 8);
		g->stamp++;
		for (int k = 0; k < c->nskills; k++) {
			int plevel;
			/* most walk the occupation's core in turn, so that
			 * its credentials cover the core between them */
			uint32_t at = o && o->ncore ? o->cursor % o->ncore : 0;
			if (o && o->ncore && chance(&r, 600) &&
			    g->mark[o->req[at]] != g->stamp) {
				c->skill[k] = o->req[at];
				g->mark[c->skill[k]] = g->stamp;
				plevel = o->req_level[at];
				o->cursor++;
			} else
				c->skill[k] =
				    draw_skill(g, &r, dom, o, 700, &plevel);
			if (plevel)
				c->level[k] =
				    (uint8_t)(plevel < 4 && chance(&r, 350)
				                  ? plevel + 1
				                  : plevel);
			else
				c->level[k] =
				    (uint8_t)(1 + pick(&r, cred_level_w, 4));
		}
		int t = c->type;
		c->known = !(t == CT_LICENSE && chance(&r, 100));
		if (c->ncomp) {
			c->known = true;
			for (int k = 0; k < c->ncomp; k++) {
				const cred *p = &g->creds[c->comp[k]];
				c->known = c->known && p->known;
				c->hours += p->hours;
				c->cost += p->cost;
			}
		} else {
			c->hours = (uint32_t)low_biased(&r, ctype_hours[t][0],
			                                ctype_hours[t][1]);
			if (chance(&r, ctype_free_pm[t]))
				c->cost = 0;
			else if (ctype_rate[t][1]) {
				/* tuition: dollars an hour, to $5, at most
				 * $3,000 */
				uint32_t v =
				    c->hours *
				    (uint32_t)range(&r, ctype_rate[t][0],
				                    ctype_rate[t][1]);
				v = v / 5 * 5;
				c->cost = v > 3000 ? 3000 : v;
			} else
				c->cost = (uint32_t)low_biased(
				              &r, ctype_cost[t][0] / 5,
				              ctype_cost[t][1] / 5) *
				          5;
		}
		if (t == CT_PRIOR)
			c->credits = 3 * (uint32_t)range(&r, 1, 4);
		static const uint16_t cert_exp[] = {24, 36, 60},
		                      lic_exp[] = {12, 24},
		                      other_exp[] = {24, 36};
		if (t == CT_CERTIFICATION && chance(&r, 600))
			c->expires_months = cert_exp[below(&r, 3)];
		else if (t == CT_LICENSE && chance(&r, 700))
			c->expires_months = lic_exp[below(&r, 2)];
		else if (t != CT_PRIOR && chance(&r, 80))
			c->expires_months = other_exp[below(&r, 2)];
		c->modality = (uint8_t)pick(&r, modality_weights, 3);
		if (c->modality != MOD_ONLINE)
			c->county = zipf_draw(&g->geo, &r);
		/* prerequisites: one in five, of earlier credentials */
		if (!c->ncomp && npool && chance(&r, 200)) {
			size_t want = chance(&r, 300) ? 2 : 1;
			g->cstamp++;
			for (int k = 0; k < 6 && c->nprereq < want; k++) {
				uint32_t p = pool[below(&r, npool)];
				if (g->cmark[p] == g->cstamp)
					continue;
				g->cmark[p] = g->cstamp;
				c->prereq[c->nprereq++] = p;
			}
		}
		g->cred_dom[dom][(*nd)++] = (uint32_t)i;
		if (o) {
			if (o->ncred == o->capcred) {
				uint32_t cap = o->capcred ? 2 * o->capcred : 8;
				uint32_t *v =
				    realloc(o->cred, cap * sizeof *o->cred);
				if (!v)
					return gen_fail(g->err, PW_ERR_NOMEM,
					                "out of memory");
				o->cred = v;
				o->capcred = cap;
			}
			o->cred[o->ncred++] = (uint32_t)i;
		}
	}
	uint32_t *all = malloc(n * sizeof *all);
	if (!all)
		return gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		all[i] = (uint32_t)i;
	bool ok = zipf_init(&g->cred_all, all, n, 2, &r);
	free(all);
	for (int d = 0; ok && d < NDOM; d++)
		ok = zipf_init(&g->credz[d], g->cred_dom[d], g->ncred_dom[d], 1,
		               &r);
	return ok ? PW_OK : gen_fail(g->err, PW_ERR_NOMEM, "out of memory");
}

static pw_status write_credentials(gen *g)
{
	gw w;
	pw_status st;
	rng r;
	rng_seed(&r, g->cfg->seed, ST_CREDS + 100);
	if ((st = file_open(g, &w, "credentials.json")))
		return st;
	w_s(&w, "{\"credentials\":[\n");
	for (uint32_t i = 0; i < g->ncreds; i++) {
		const cred *c = &g->creds[i];
		const domain *d = &domains[c->domain];
		const county *ct =
		    c->county == NONE ? NULL : &g->counties[c->county];
		const skill *lead = &g->skills[c->skill[0]];
		for (int k = c->nskills - 1; k >= 0; k--)
			if (g->skills[c->skill[k]].domain == c->domain)
				lead = &g->skills[c->skill[k]];
		const char *stem = domains[lead->domain].stems[lead->stem];
		int top = 1;
		for (int k = 0; k < c->nskills; k++)
			top = c->level[k] > top ? c->level[k] : top;
		char name[256], provider[200];
		if (c->ncomp)
			snprintf(name, sizeof name, "%s Stacked %s", stem,
			         c->type == CT_CERTIFICATE ? "Certificate"
			                                   : "Certification");
		else
			switch (c->type) {
			case CT_MICRO:
				snprintf(name, sizeof name,
				         "%s Micro-credential, Level %d", stem,
				         top);
				break;
			case CT_CERTIFICATE:
				snprintf(name, sizeof name, "%s Certificate",
				         stem);
				break;
			case CT_CERTIFICATION:
				snprintf(name, sizeof name,
				         "%s Certification, Level %d", stem,
				         top);
				break;
			case CT_COURSE:
				snprintf(name, sizeof name, "%s Course", stem);
				break;
			case CT_BADGE:
				snprintf(name, sizeof name, "%s Badge", stem);
				break;
			case CT_LICENSE:
				snprintf(name, sizeof name, "%s License", stem);
				break;
			default:
				snprintf(name, sizeof name,
				         "Credit for Prior Learning: %s", stem);
			}
		if (c->type == CT_CERTIFICATION)
			snprintf(provider, sizeof provider,
			         "National %s Certification Board", d->board);
		else if (c->type == CT_LICENSE)
			snprintf(provider, sizeof provider,
			         "State %s Licensing Board", d->board);
		else if (ct)
			snprintf(provider, sizeof provider,
			         "%s Area Technical College",
			         ct->city ? ct->city : ct->name);
		else
			snprintf(provider, sizeof provider, "%s",
			         online_providers[below(&r, NONLINE)]);
		if (i)
			w_s(&w, ",\n");
		w_s(&w, "{\"id\":");
		w_id(&w, "c-", i + 1, 5);
		w_s(&w, ",\"name\":");
		w_str(&w, name);
		w_s(&w, ",\"provider\":");
		w_str(&w, provider);
		w_s(&w, ",\"type\":\"");
		w_s(&w, ctype_names[c->type]);
		w_s(&w, "\",\"skills\":[");
		for (int k = 0; k < c->nskills; k++) {
			w_s(&w, k ? ",{\"skill\":" : "{\"skill\":");
			w_id(&w, "s-", c->skill[k] + 1, 5);
			w_s(&w, ",\"level\":");
			w_u(&w, c->level[k]);
			w_c(&w, '}');
		}
		w_c(&w, ']');
		if (c->known) {
			w_s(&w, ",\"hours\":");
			w_u(&w, c->hours);
			w_s(&w, ",\"cost\":");
			w_u(&w, c->cost);
		}
		if (c->credits) {
			w_s(&w, ",\"college_credits\":");
			w_u(&w, c->credits);
		}
		if (c->occ != NONE) {
			w_s(&w, ",\"occupations\":[");
			w_str(&w, g->occs[c->occ].code);
			w_c(&w, ']');
		}
		if (c->nprereq) {
			w_s(&w, ",\"prerequisites\":[");
			for (int k = 0; k < c->nprereq; k++) {
				if (k)
					w_c(&w, ',');
				w_id(&w, "c-", c->prereq[k] + 1, 5);
			}
			w_c(&w, ']');
		}
		if (c->ncomp) {
			w_s(&w, ",\"components\":[");
			for (int k = 0; k < c->ncomp; k++) {
				if (k)
					w_c(&w, ',');
				w_id(&w, "c-", c->comp[k] + 1, 5);
			}
			w_c(&w, ']');
		}
		if (c->expires_months) {
			w_s(&w, ",\"expires_months\":");
			w_u(&w, c->expires_months);
		}
		w_s(&w, ",\"modality\":\"");
		w_s(&w, modality_names[c->modality]);
		w_c(&w, '"');
		if (ct) {
			int32_t lat, lon;
			place(&r, ct, 300, &lat, &lon);
			w_s(&w, ",\"location\":");
			w_location(&w, ct, lat, lon);
		}
		w_c(&w, '}');
	}
	w_s(&w, "\n]}\n");
	g->files++;
	return file_close(g, &w);
}

/* ---- jobs ---- */

static const char *const title_tails[] = {
    " - Night Shift", " (PRN)", " - Part Time", " II", " Trainee", " Lead"};
#define NTAILS (sizeof title_tails / sizeof title_tails[0])

/* A credential for credentials_required: one that prepares for the
 * posting's occupation when there is one, else one of the domain's,
 * preferring certifications, licenses and certificates; NONE when none is
 * left. */
static uint32_t draw_required_cred(gen *g, rng *r, int dom, const occ *o)
{
	for (int t = 0; t < 12; t++) {
		uint32_t k;
		if (o && o->ncred && t < 6)
			k = o->cred[below(r, o->ncred)];
		else if (g->credz[dom].n)
			k = zipf_draw(&g->credz[dom], r);
		else
			return NONE;
		int ty = g->creds[k].type;
		if (g->cmark[k] == g->cstamp)
			continue;
		if (t % 6 < 4 && ty != CT_CERTIFICATION && ty != CT_LICENSE &&
		    ty != CT_CERTIFICATE)
			continue;
		g->cmark[k] = g->cstamp;
		return k;
	}
	return NONE;
}

static pw_status write_jobs(gen *g)
{
	rng r;
	gw w;
	pw_status st;
	unsigned dw[NDOM];
	req reqs[32];
	pw_date ref = g->cfg->ref;
	rng_seed(&r, g->cfg->seed, ST_JOBS);
	for (int d = 0; d < NDOM; d++)
		dw[d] = domains[d].weight;
	if ((st = file_open(g, &w, "jobs.json")))
		return st;
	w_s(&w, "{\"jobs\":[\n");
	for (size_t i = 0; i < g->cfg->jobs; i++) {
		int dom = (int)pick(&r, dw, NDOM);
		const domain *d = &domains[dom];
		const occ *o = NULL;
		if (g->occz[dom].n && chance(&r, 900))
			o = &g->occs[zipf_draw(&g->occz[dom], &r)];
		uint32_t ci = zipf_draw(&g->geo, &r);
		const county *ct = &g->counties[ci];
		size_t ne = count_list(d->employers);
		const char *emp = d->employers[below(&r, ne)];
		bool remote = chance(&r, d->remote_pm);
		bool located = !remote || chance(&r, 500);
		char title[200];
		const char *base =
		    o && chance(&r, 700)
		        ? d->titles[o->title]
		        : d->titles[below(&r, count_list(d->titles))];
		snprintf(title, sizeof title, "%s%s", base,
		         chance(&r, 200) ? title_tails[below(&r, NTAILS)] : "");
		if (i)
			w_s(&w, ",\n");
		w_s(&w, "{\"id\":");
		w_id(&w, "j-", i + 1, 6);
		w_s(&w, ",\"title\":");
		w_str(&w, title);
		char employer[200];
		snprintf(employer, sizeof employer, "%s %s", ct->name, emp);
		w_s(&w, ",\"employer\":");
		w_str(&w, employer);
		if (o) {
			w_s(&w, ",\"soc\":");
			w_str(&w, o->code);
		}
		if (located) {
			int32_t lat, lon;
			place(&r, ct, chance(&r, 600) ? 200 : 800, &lat, &lon);
			w_s(&w, ",\"location\":");
			w_location(&w, ct, lat, lon);
		}
		if (remote)
			w_s(&w, ",\"remote\":true");
		/* pay: hourly to the quarter dollar, or yearly to $500 */
		int64_t lo = range(&r, d->wage_lo, d->wage_hi);
		int64_t hi = lo + lo * range(&r, 0, 30) / 100;
		w_s(&w, ",\"wage\":{\"min\":");
		if (chance(&r, d->yearly_pm)) {
			w_u(&w, (uint64_t)(lo * 2080 / 100 / 500 * 500));
			w_s(&w, ",\"max\":");
			w_u(&w, (uint64_t)(hi * 2080 / 100 / 500 * 500));
			w_s(&w, ",\"unit\":\"year\"}");
		} else {
			w_fix(&w, lo / 25 * 25, 2);
			w_s(&w, ",\"max\":");
			w_fix(&w, hi / 25 * 25, 2);
			w_s(&w, ",\"unit\":\"hour\"}");
		}
		static const unsigned open_w[4] = {55, 30, 12, 3};
		static const int open_lo[4] = {1, 2, 4, 11},
		                 open_hi[4] = {1, 3, 10, 25};
		unsigned ob = pick(&r, open_w, 4);
		w_s(&w, ",\"openings\":");
		w_u(&w, (uint64_t)range(&r, open_lo[ob], open_hi[ob]));
		size_t nr = make_reqs(g, &r, dom, o, reqs);
		w_reqs(&w, reqs, nr);
		if (chance(&r, 250)) {
			size_t want = chance(&r, 200) ? 2 : 1, nw = 0;
			g->cstamp++;
			for (size_t k = 0; k < want; k++) {
				uint32_t a = draw_required_cred(g, &r, dom, o);
				if (a == NONE)
					break;
				w_s(&w,
				    nw++ ? "," : ",\"credentials_required\":[");
				if (!chance(&r, 300)) {
					w_id(&w, "c-", a + 1, 5);
					continue;
				}
				w_s(&w, "{\"any_of\":[");
				w_id(&w, "c-", a + 1, 5);
				int alts = chance(&r, 300) ? 2 : 1;
				for (int b = 0; b < alts; b++) {
					uint32_t x =
					    draw_required_cred(g, &r, dom, o);
					if (x == NONE)
						break;
					w_c(&w, ',');
					w_id(&w, "c-", x + 1, 5);
				}
				w_s(&w, "]}");
			}
			if (nw)
				w_c(&w, ']');
		}
		/* posted in the last four months; three in four expire, one in
		 * twenty-five already has */
		pw_date posted, expires = 0;
		bool has_exp = chance(&r, 750);
		if (has_exp && chance(&r, 40)) {
			expires = ref - (pw_date)range(&r, 1, 60);
			posted = expires - (pw_date)range(&r, 30, 120);
		} else {
			posted = ref - (pw_date)range(&r, 0, 120);
			expires = ref + (pw_date)range(&r, 30, 400);
		}
		w_s(&w, ",\"posted\":");
		w_date(&w, posted);
		if (has_exp) {
			w_s(&w, ",\"expires\":");
			w_date(&w, expires);
		}
		w_c(&w, '}');
	}
	w_s(&w, "\n]}\n");
	g->files++;
	return file_close(g, &w);
}

/* ---- learners ---- */

static const char *const genders[] = {"female", "male", "nonbinary",
                                      "prefer not to say"};
static const unsigned gender_w[] = {510, 460, 15, 15};
static const char *const races[] = {"White",
                                    "Black",
                                    "Hispanic or Latino",
                                    "Asian",
                                    "American Indian or Alaska Native",
                                    "Two or more"};
static const unsigned race_w[] = {60, 13, 17, 4, 2, 4};
static const char *const ages[] = {"18-24", "25-34", "35-44", "45-54", "55+"};
static const unsigned age_w[] = {18, 25, 22, 18, 17};
static const unsigned commute_miles[] = {10, 15, 20, 25, 30, 35,
                                         40, 45, 50, 60, 75};
static const unsigned commute_w[] = {3, 5, 10, 12, 25, 10, 12, 8, 8, 4, 3};

typedef struct holding {
	uint32_t cred;
	pw_date earned;
} holding;

/* Adds credential k earned on day `earned` and, before it, what it needs:
 * a stack becomes its components, a prerequisite is earned earlier. */
static void hold(gen *g, rng *r, uint32_t k, pw_date earned, holding *h,
                 size_t *n, size_t max, int depth)
{
	const cred *c = &g->creds[k];
	if (*n >= max || g->cmark[k] == g->cstamp || depth > 8)
		return;
	if (c->ncomp) {
		for (int i = 0; i < c->ncomp; i++)
			hold(g, r, c->comp[i],
			     earned - (pw_date)range(r, 0, 200), h, n, max,
			     depth + 1);
		return;
	}
	g->cmark[k] = g->cstamp;
	h[(*n)++] = (holding){k, earned};
	for (int i = 0; i < c->nprereq; i++)
		hold(g, r, c->prereq[i], earned - (pw_date)range(r, 30, 400), h,
		     n, max, depth + 1);
}

static pw_status write_learners(gen *g)
{
	rng r;
	gw w = {0};
	pw_status st = PW_OK;
	unsigned dw[NDOM];
	holding h[16];
	size_t per = g->cfg->learners_per_file, total = g->cfg->learners;
	size_t nfiles = total ? (total + per - 1) / per : 1;
	pw_date ref = g->cfg->ref;
	rng_seed(&r, g->cfg->seed, ST_LEARNERS);
	for (int d = 0; d < NDOM; d++)
		dw[d] = domains[d].weight;
	size_t i = 0;
	for (size_t f = 0; f < nfiles; f++) {
		char name[64];
		snprintf(name, sizeof name, "learners-%03zu.json", f);
		if ((st = file_open(g, &w, name)))
			return st;
		w_s(&w, "{\"learners\":[\n");
		size_t end = i + per < total ? i + per : total;
		for (size_t first = i; i < end; i++) {
			int dom = (int)pick(&r, dw, NDOM);
			const county *ct = &g->counties[zipf_draw(&g->geo, &r)];
			/* the occupation the learner works toward */
			const occ *target =
			    g->occz[dom].n
			        ? &g->occs[zipf_draw(&g->occz[dom], &r)]
			        : NULL;
			if (i > first)
				w_s(&w, ",\n");
			w_s(&w, "{\"id\":");
			w_id(&w, "l-", i + 1, 7);
			if (chance(&r, 900)) {
				const char *fn = first_names[below(&r, NFIRST)];
				const char *ln = last_names[below(&r, NLAST)];
				char buf[160];
				snprintf(buf, sizeof buf, "%s %s", fn, ln);
				w_s(&w, ",\"name\":");
				w_str(&w, buf);
				int k = snprintf(buf, sizeof buf,
				                 "%s.%s.%zu@example.org", fn,
				                 ln, i + 1);
				for (int j = 0; j < k; j++)
					if (buf[j] >= 'A' && buf[j] <= 'Z')
						buf[j] =
						    (char)(buf[j] - 'A' + 'a');
				w_s(&w, ",\"contact\":");
				w_str(&w, buf);
			}
			if (chance(&r, 970)) {
				int32_t lat, lon;
				place(&r, ct, chance(&r, 500) ? 400 : 1500,
				      &lat, &lon);
				w_s(&w, ",\"home\":");
				w_location(&w, ct, lat, lon);
			}
			if (chance(&r, 850)) {
				w_s(&w, ",\"max_commute_miles\":");
				w_u(&w, commute_miles[pick(&r, commute_w, 11)]);
			}
			if (chance(&r, 850)) {
				w_s(&w, ",\"hours_per_week\":");
				w_u(&w, (uint64_t)middling(&r, 2, 20));
			}
			if (chance(&r, 500)) {
				w_s(&w, ",\"discoverable\":true");
				if (chance(&r, 100))
					w_s(&w, ",\"share_contact\":true");
			}
			/* 2-15 credentials, small counts likelier: half
			 * toward the target occupation, then the learner's
			 * field, the transversal ones and any; earned before
			 * the reference date, recent ones likelier */
			size_t want = (size_t)low_biased(&r, 2, 15), nh = 0;
			g->cstamp++;
			for (int t = 0; t < 64 && nh < want; t++) {
				uint32_t k;
				unsigned u = (unsigned)below(&r, 100);
				if (u < 55 && target && target->ncred)
					k = target->cred[below(&r,
					                       target->ncred)];
				else if (u < 75 && g->credz[dom].n)
					k = zipf_draw(&g->credz[dom], &r);
				else if (u < 88 && g->credz[0].n)
					k = zipf_draw(&g->credz[0], &r);
				else
					k = zipf_draw(&g->cred_all, &r);
				int64_t a = range(&r, 1, 3650),
				        b = range(&r, 1, 3650);
				hold(g, &r, k,
				     ref - (pw_date)(a * b / 3650 + 1), h, &nh,
				     want, 0);
			}
			/* a tiny catalog may run dry: fill in order */
			for (uint32_t k = 0; nh < 2 && k < g->ncreds; k++)
				if (!g->creds[k].ncomp)
					hold(g, &r, k, ref - 365, h, &nh, 2, 0);
			w_s(&w, ",\"credentials\":[");
			for (size_t k = 0; k < nh; k++) {
				w_s(&w, k ? ",{\"credential\":"
				          : "{\"credential\":");
				w_id(&w, "c-", h[k].cred + 1, 5);
				w_s(&w, ",\"earned\":");
				w_date(&w, h[k].earned);
				if (chance(&r, 30)) {
					w_s(&w, ",\"expires\":");
					w_date(&w, h[k].earned +
					               (pw_date)range(&r, 365,
					                              1460));
				}
				w_c(&w, '}');
			}
			w_c(&w, ']');
			if (chance(&r, 850)) {
				bool all = chance(&r, 900);
				w_s(&w, ",\"demographics\":{");
				w_s(&w, "\"gender\":");
				w_str(&w, genders[pick(&r, gender_w, 4)]);
				if (all || chance(&r, 500)) {
					w_s(&w, ",\"race_ethnicity\":");
					w_str(&w, races[pick(&r, race_w, 6)]);
				}
				if (all || chance(&r, 500)) {
					w_s(&w, ",\"age_band\":");
					w_str(&w, ages[pick(&r, age_w, 5)]);
				}
				w_c(&w, '}');
			}
			w_c(&w, '}');
		}
		w_s(&w, "\n]}\n");
		g->files++;
		if ((st = file_close(g, &w)))
			return st;
	}
	/* learners-NNN.json left by an earlier, larger run would load too */
	for (size_t f = nfiles;; f++) {
		char name[64], path[4200];
		snprintf(name, sizeof name, "learners-%03zu.json", f);
		snprintf(path, sizeof path, "%s/%s", g->cfg->out, name);
		if (unlink(path) != 0) {
			if (errno == ENOENT)
				break;
			return gen_fail(g->err, PW_ERR_IO,
			                "cannot remove '%s': %s", path,
			                strerror(errno));
		}
	}
	return PW_OK;
}

/* ---- README.txt ---- */

static pw_status write_readme(gen *g)
{
	gw w;
	pw_status st;
	const gen_config *cfg = g->cfg;
	char line[512];
	int y;
	unsigned m, d;
	if ((st = file_open(g, &w, "README.txt")))
		return st;
	civil(cfg->ref, &y, &m, &d);
	size_t nfiles = cfg->learners
	                    ? (cfg->learners + cfg->learners_per_file - 1) /
	                          cfg->learners_per_file
	                    : 1;
	snprintf(line, sizeof line,
	         "Pathway synthetic dataset, written by `pathway gen` "
	         "(generator format %d)\n\n"
	         "scale        %s\n"
	         "seed         %llu\n",
	         GEN_FORMAT, cfg->scale, (unsigned long long)cfg->seed);
	w_s(&w, line);
	if (cfg->overrides) {
		w_s(&w, "overrides    ");
		w_s(&w, cfg->overrides);
		w_c(&w, '\n');
	}
	snprintf(line, sizeof line,
	         "reference    %04d-%02u-%02u (the dataset's today: holdings "
	         "are earned and\n"
	         "             postings posted before it; 3%% of postings "
	         "have closed)\n",
	         y, m, d);
	w_s(&w, line);
	if (cfg->counties) {
		const char *base = strrchr(cfg->counties, '/');
		snprintf(line, sizeof line,
		         "counties     %zu county centres from the Census "
		         "gazetteer file %.300s\n\n",
		         g->ncounties, base ? base + 1 : cfg->counties);
	} else
		snprintf(
		    line, sizeof line,
		    "counties     %zu built-in rural and small-metro county "
		    "centres\n\n",
		    g->ncounties);
	w_s(&w, line);
	snprintf(line, sizeof line,
	         "skills       %10zu  skills.json\n"
	         "credentials  %10zu  credentials.json\n"
	         "occupations  %10zu  occupations.json\n"
	         "jobs         %10zu  jobs.json\n"
	         "learners     %10zu  learners-000.json .. learners-%03zu.json"
	         " (at most %zu a file)\n\n",
	         cfg->skills, cfg->credentials, cfg->occupations, cfg->jobs,
	         cfg->learners, nfiles - 1, cfg->learners_per_file);
	w_s(&w, line);
	w_s(&w,
	    "Every name, employer, provider, posting and person is invented;\n"
	    "county FIPS codes and county-centre coordinates are public "
	    "facts.\n"
	    "The same seed and options give the same bytes on every machine.\n"
	    "\nLoad it:  pathway --db gen.db load DIR/*.json\n");
	return file_close(g, &w);
}

/* ---- entry ---- */

bool gen_preset(const char *scale, gen_config *cfg)
{
	if (strcmp(scale, "small") == 0) {
		cfg->skills = 2000;
		cfg->credentials = 1000;
		cfg->occupations = 300;
		cfg->jobs = 1000;
		cfg->learners = 10000;
	} else if (strcmp(scale, "state") == 0) {
		cfg->skills = 20000;
		cfg->credentials = 10000;
		cfg->occupations = 900;
		cfg->jobs = 100000;
		cfg->learners = 1000000;
	} else
		return false;
	cfg->scale = scale;
	cfg->learners_per_file = 100000;
	return true;
}

static void gen_release(gen *g)
{
	for (size_t i = 0; i < g->nowned; i++)
		free(g->owned[i]);
	free(g->owned);
	free(g->counties);
	zipf_free(&g->geo);
	for (int d = 0; d < NDOM; d++) {
		free(g->lvl[d][0]);
		free(g->lvl[d][1]);
		zipf_free(&g->sk[d]);
		zipf_free(&g->occz[d]);
		zipf_free(&g->occ_flat[d]);
		zipf_free(&g->credz[d]);
		free(g->cred_dom[d]);
	}
	zipf_free(&g->cred_all);
	for (size_t i = 0; g->occs && i < g->nocc; i++) {
		free(g->occs[i].req);
		free(g->occs[i].req_level);
		free(g->occs[i].cred);
	}
	free(g->occs);
	free(g->creds);
	free(g->skills);
	free(g->child_off);
	free(g->child);
	free(g->mark);
	free(g->cmark);
}

pw_status gen_write(const gen_config *cfg, gen_summary *sum, pw_error *err)
{
	gen g;
	pw_status st;
	memset(&g, 0, sizeof g);
	g.cfg = cfg;
	g.err = err;
	if (cfg->skills < GEN_SKILLS_MIN || cfg->skills > 1000000 ||
	    cfg->credentials < GEN_CREDENTIALS_MIN ||
	    cfg->credentials > 1000000 ||
	    cfg->occupations < GEN_OCCUPATIONS_MIN ||
	    cfg->occupations > GEN_OCCUPATIONS_MAX ||
	    cfg->jobs > GEN_COUNT_MAX || cfg->learners > GEN_COUNT_MAX ||
	    cfg->learners_per_file < 1 || !cfg->out || !*cfg->out)
		return gen_fail(err, PW_ERR_INVALID, "counts out of range");
	if ((st = make_dir(&g, cfg->out)))
		goto done;
	if ((st = load_counties(&g)))
		goto done;
	{
		rng r;
		uint32_t *idx = malloc(g.ncounties * sizeof *idx);
		if (!idx) {
			st = gen_fail(err, PW_ERR_NOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < g.ncounties; i++)
			idx[i] = (uint32_t)i;
		rng_seed(&r, cfg->seed, ST_GEO);
		/* a few busy labour markets, a long tail of quiet ones */
		bool ok = zipf_init(&g.geo, idx, g.ncounties, 4, &r);
		free(idx);
		if (!ok) {
			st = gen_fail(err, PW_ERR_NOMEM, "out of memory");
			goto done;
		}
	}
	if ((st = make_skills(&g)) || (st = write_skills(&g)) ||
	    (st = write_occupations(&g)) || (st = make_creds(&g)) ||
	    (st = write_credentials(&g)) || (st = write_jobs(&g)) ||
	    (st = write_learners(&g)) || (st = write_readme(&g)))
		goto done;
	memset(sum, 0, sizeof *sum);
	sum->count[PW_KIND_SKILL] = cfg->skills;
	sum->count[PW_KIND_CREDENTIAL] = cfg->credentials;
	sum->count[PW_KIND_OCCUPATION] = cfg->occupations;
	sum->count[PW_KIND_JOB] = cfg->jobs;
	sum->count[PW_KIND_LEARNER] = cfg->learners;
	sum->files = g.files;
	sum->counties = g.ncounties;
	sum->bytes = g.bytes;
done:
	gen_release(&g);
	return st;
}
