/* jsonw.c - a small streaming JSON writer: exact key order, shortest number
 * forms, optional two-space indentation. Documents of SPEC §8 go through it. */
#include "internal.h"

#include <string.h>

void jw_init(jsonw *w, unsigned flags)
{
	memset(w, 0, sizeof *w);
	buf_init(&w->out);
	w->pretty = (flags & PW_JSON_PRETTY) != 0;
}

static void newline(jsonw *w)
{
	if (!w->pretty)
		return;
	buf_putc(&w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		buf_append(&w->out, "  ", 2);
}

/* Separates a value from the one before it in its container. */
static void pre_value(jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		buf_putc(&w->out, ',');
	w->first[w->depth] = false;
	newline(w);
}

static void open(jsonw *w, char c)
{
	pre_value(w);
	buf_putc(&w->out, c);
	if (w->depth + 1 < (int)PW_ARRAY_LEN(w->first))
		w->depth++;
	else
		w->out.failed = true;
	w->first[w->depth] = true;
}

static void close_(jsonw *w, char c)
{
	bool empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		newline(w);
	buf_putc(&w->out, c);
}

void jw_obj(jsonw *w)
{
	open(w, '{');
}
void jw_obj_end(jsonw *w)
{
	close_(w, '}');
}
void jw_arr(jsonw *w)
{
	open(w, '[');
}
void jw_arr_end(jsonw *w)
{
	close_(w, ']');
}

static void put_string(buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	buf_putc(b, '"');
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': buf_append(b, "\\\"", 2); break;
		case '\\': buf_append(b, "\\\\", 2); break;
		case '\n': buf_append(b, "\\n", 2); break;
		case '\r': buf_append(b, "\\r", 2); break;
		case '\t': buf_append(b, "\\t", 2); break;
		default: {
			char e[6] = {'\\', 'u',         '0',
			             '0',  hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 6);
		}
		}
	}
	buf_append(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

void jw_key(jsonw *w, const char *k)
{
	pre_value(w);
	put_string(&w->out, k);
	buf_append(&w->out, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = true;
}

void jw_str(jsonw *w, const char *s)
{
	pre_value(w);
	if (s)
		put_string(&w->out, s);
	else
		buf_append(&w->out, "null", 4);
}

void jw_real(jsonw *w, double x)
{
	char tmp[32];
	pre_value(w);
	num_format(tmp, x);
	buf_puts(&w->out, tmp);
}

void jw_int(jsonw *w, long long x)
{
	pre_value(w);
	buf_printf(&w->out, "%lld", x);
}

void jw_bool(jsonw *w, bool b)
{
	pre_value(w);
	buf_puts(&w->out, b ? "true" : "false");
}

void jw_null(jsonw *w)
{
	pre_value(w);
	buf_append(&w->out, "null", 4);
}

void jw_date(jsonw *w, pw_date d)
{
	if (d == PW_DATE_NONE) {
		jw_null(w);
		return;
	}
	char tmp[11];
	pw_date_format(d, tmp);
	jw_str(w, tmp);
}

char *jw_finish(jsonw *w)
{
	if (w->pretty)
		buf_putc(&w->out, '\n');
	return buf_detach(&w->out);
}
