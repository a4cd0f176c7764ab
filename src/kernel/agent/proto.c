// SPDX-License-Identifier: MIT
/*
 * The text protocol with Node (see supervisor.c): answers built in a growing buffer and
 * written once per request, requests split into space-separated tokens.
 */
#include "supervisor.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- answers --------------------------------------------------------------------------- */

static void out_reserve(struct out *o, size_t more)
{
	if (o->cap - o->len > more)
		return;
	o->cap = (o->cap + more + 1) * 2;
	o->p = realloc(o->p, o->cap);
	if (!o->p)
		die("out of memory");
}

void out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf failed");
	out_reserve(o, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

void out_hex(struct out *o, const char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	out_reserve(o, 2 * len + 1);
	o->p[o->len++] = 'x';
	for (size_t i = 0; i < len; i++) {
		o->p[o->len++] = digits[(unsigned char)data[i] >> 4];
		o->p[o->len++] = digits[(unsigned char)data[i] & 15];
	}
}

void out_flush(struct out *o)
{
	size_t off = 0;

	while (off < o->len) {
		ssize_t n = write(1, o->p + off, o->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0); /* Node is gone; PR_SET_PDEATHSIG finishes the rest */
		off += (size_t)n;
	}
	o->len = 0;
}

/* ---- requests ----------------------------------------------------------------------------- */

void split(char *line, struct args *a)
{
	char *save = NULL;

	a->n = 0;
	a->bad = NULL;
	for (char *t = strtok_r(line, " \n", &save); t && a->n < ARGS_MAX; t = strtok_r(NULL, " \n", &save))
		a->tok[a->n++] = t;
}

long long arg_int(struct args *a, int i)
{
	char *end;
	long long v;

	if (i >= a->n) {
		a->bad = "missing argument";
		return 0;
	}
	errno = 0;
	v = strtoll(a->tok[i], &end, 10);
	if (errno || *end) {
		a->bad = "not a number";
		return 0;
	}
	return v;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *arg_str(struct args *a, int i, size_t *len)
{
	char *s, *d;
	size_t n = 0;

	*len = 0;
	if (i >= a->n || a->tok[i][0] != 'x') {
		a->bad = "missing string";
		return NULL;
	}
	s = a->tok[i] + 1;
	d = a->tok[i]; /* decoded in place: the bytes are never longer than their hex */
	for (; s[0] && s[1]; s += 2) {
		int hi = hexval(s[0]), lo = hexval(s[1]);

		if (hi < 0 || lo < 0) {
			a->bad = "bad hex";
			return NULL;
		}
		if (n < AGENT_DATA_MAX)
			d[n++] = (char)(hi << 4 | lo);
	}
	*len = n;
	return d;
}
