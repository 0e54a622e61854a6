/* date.c - civil dates as day numbers, and calendar-month arithmetic with the
 * day clamped to the month's end (SPEC §2). */
#include "internal.h"

#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant's
 * days_from_civil). */
static pw_date days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (pw_date)(era * 146097 + doe - 719468);
}

static void civil_from_days(pw_date z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yy + (*m <= 2);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

pw_status pw_date_parse(const char *text, pw_date *out, pw_error *err)
{
	if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		goto bad;
	int v[3] = {0, 0, 0};
	const int at[3] = {0, 5, 8}, len[3] = {4, 2, 2};
	for (int f = 0; f < 3; f++)
		for (int i = 0; i < len[f]; i++) {
			char c = text[at[f] + i];
			if (c < '0' || c > '9')
				goto bad;
			v[f] = v[f] * 10 + (c - '0');
		}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > month_days(v[0], v[1]))
		goto bad;
	*out = days_from_civil(v[0], v[1], v[2]);
	return PW_OK;
bad:
	return pw_fail(err, PW_ERR_INVALID, "'%s' is not a date (YYYY-MM-DD)",
	               text ? text : "");
}

void pw_date_format(pw_date d, char out[static 11])
{
	int y, m, dd;
	civil_from_days(d, &y, &m, &dd);
	unsigned yy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y);
	out[0] = (char)('0' + yy / 1000);
	out[1] = (char)('0' + yy / 100 % 10);
	out[2] = (char)('0' + yy / 10 % 10);
	out[3] = (char)('0' + yy % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = '\0';
}

pw_date pw_today(void)
{
	time_t now = time(NULL);
	return (pw_date)(now / 86400);
}

pw_date pw_date_add_months(pw_date d, int months)
{
	int y, m, dd;
	civil_from_days(d, &y, &m, &dd);
	long total = (long)y * 12 + (m - 1) + months;
	y = (int)(total / 12);
	m = (int)(total % 12) + 1;
	int last = month_days(y, m);
	return days_from_civil(y, m, dd > last ? last : dd);
}
