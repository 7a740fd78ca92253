/*
 * libFuzzer harness for what ctempfile parses: templates of the mktemp
 * form, mode values, directory paths, and the quoting of names.  The first
 * byte picks the target; the rest is the input.  Each target checks the
 * properties its result must have, and aborts if one does not hold.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "src/ctempfile.h"

#define CHECK(c) \
	do { \
		if (!(c)) \
			abort(); \
	} while (0)

/*
 * Quoting runs in C.UTF-8 (see LLVMFuzzerInitialize): whatever the bytes,
 * the result is valid UTF-8 between curved quotes, every character of it
 * printable.
 */
static void fuzz_quote(const char *s)
{
	const char *q = quote(s);
	size_t n = strlen(q), len;
	mbstate_t st;
	wchar_t wc;

	CHECK(n >= 6 && memcmp(q, "\xe2\x80\x98", 3) == 0 &&
	    memcmp(q + n - 3, "\xe2\x80\x99", 3) == 0);
	CHECK(n <= 4 * strlen(s) + 6);
	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < n; i += len) {
		len = mbrtowc(&wc, q + i, n - i, &st);
		CHECK(len != (size_t)-1 && len != (size_t)-2 && len != 0);
		CHECK(iswprint((wint_t)wc));
	}
}

static void fuzz_mode(const char *s)
{
	int v = mode_value(s);

	if (v < 0)
		return;
	CHECK(v <= 0777);
	CHECK(*s != '\0' && strspn(s, "01234567") == strlen(s));
	CHECK(strtol(s, NULL, 8) == v);
}

static void fuzz_absolute(const char *s)
{
	char *p = path_absolute(s);
	size_t n = strlen(p);
	size_t lead = strspn(p, "/");

	CHECK(p[0] == '/' && (lead == 1 || (lead == 2 && n > 2) || n == lead));
	CHECK(lead <= 2);
	CHECK(strstr(p + lead, "//") == NULL);
	CHECK(strstr(p, "/./") == NULL && strstr(p, "/../") == NULL);
	CHECK(n == lead || p[n - 1] != '/');
	CHECK(!(n >= 2 && strcmp(p + n - 2, "/.") == 0));
	CHECK(!(n >= 3 && strcmp(p + n - 3, "/..") == 0));
	free(p);
}

static void fuzz_join(const char *s)
{
	char *p = path_join_gnu(s, "name");
	size_t n = strlen(p), pre = n - 4, slen = strlen(s), keep;

	CHECK(n >= 4 && strcmp(p + pre, "name") == 0);
	CHECK(pre == 0 ? slen == 0 : p[pre - 1] == '/');
	/* All but an added slash comes from S; what was dropped is slashes. */
	keep = pre <= slen && strncmp(p, s, pre) == 0 ? pre : pre - 1;
	CHECK(strncmp(p, s, keep) == 0);
	CHECK(strspn(s + keep, "/") == slen - keep);
	free(p);
}

static void fuzz_template(const char *s, uint8_t flags)
{
	const char *sep = strchr(s, '\001');
	char *arg = strdup(s), *t;
	const char *suffix = NULL;
	size_t slen, xlen, len;

	if (sep != NULL) {
		arg[sep - s] = '\0';
		suffix = sep + 1;
	}
	if (suffix != NULL) {
		t = malloc(strlen(arg) + strlen(suffix) + 1);
		strcpy(t, arg);
		strcat(t, suffix);
	} else {
		t = strdup(arg);
	}
	if (check_template(arg, suffix, t, flags & 1, flags & 2, &slen,
		&xlen)) {
		len = strlen(t);
		CHECK(xlen >= 3 && slen + xlen <= len);
		for (size_t i = len - slen - xlen; i < len - slen; i++)
			CHECK(t[i] == 'X');
		CHECK(slen == 0 || t[len - slen - 1] == 'X');
		CHECK(suffix == NULL || slen == strlen(suffix));
		CHECK(suffix != NULL || strchr(t + len - slen, 'X') == NULL);
	}
	free(t);
	free(arg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("LC_ALL", "C.UTF-8", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0: fuzz_quote(s); break;
	case 1: fuzz_mode(s); break;
	case 2: fuzz_absolute(s); break;
	case 3: fuzz_join(s); break;
	default: fuzz_template(s, data[0] / 5); break;
	}
	free(s);
	return 0;
}
