/*
 * Diagnostics: the one place where ctempfile reads the locale, and only
 * when a diagnostic is about to be printed, so that a call that succeeds
 * opens no locale file.  Names are quoted as GNU tools quote them in the
 * user's locale.  The messages the mktemp form shares with GNU mktemp,
 * the "Try ... --help" line and getopt's complaints come in the user's
 * language where GNU coreutils' and the C library's catalogs are
 * installed: the text is GNU's, so GNU's translations fit.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#include "src/ctempfile.h"

/* The catalog that holds GNU mktemp's messages. */
#define GNU_DOMAIN "coreutils"

/*
 * gnulib's own catalog (Debian's gnulib-l10n), from which coreutils 9.6
 * and later take the quotation marks and close_stdout's "write error".
 */
#define GNULIB_DOMAIN "gnulib"

int exit_failure = EXIT_FAILURE;

void diag_locale(void)
{
	static bool ready;
	int saved = errno;

	if (ready)
		return;
	ready = true;
	setlocale(LC_ALL, "");
	bindtextdomain(GNU_DOMAIN, GNU_LOCALEDIR);
	bindtextdomain(GNULIB_DOMAIN, GNU_LOCALEDIR);
	errno = saved;
}

const char *tr(const char *msgid)
{
	const char *s;
	int saved = errno;

	diag_locale();
	s = dgettext(GNU_DOMAIN, msgid);
	errno = saved;
	return s;
}

/*
 * MSGID from gnulib's catalog where it is installed and translates it, as
 * GNU 9.6 and later take it; else from coreutils', as GNU 9.1 does.
 */
const char *tr_gnulib(const char *msgid)
{
	const char *s;
	int saved = errno;

	diag_locale();
	s = dgettext(GNULIB_DOMAIN, msgid);
	if (s == msgid)
		s = dgettext(GNU_DOMAIN, msgid);
	errno = saved;
	return s;
}

void try_help(const char *subcommand)
{
	char *name = NULL;

	if (subcommand == NULL ||
	    asprintf(&name, "%s %s", getprogname(), subcommand) < 0)
		name = NULL;
	/* The mktemp form names itself as invoked, as getopt does. */
	fprintf(stderr, tr("Try '%s --help' for more information.\n"),
	    name				  ? name
		: program_invocation_name != NULL ? program_invocation_name
						  : getprogname());
	free(name);
	exit(exit_failure);
}

/* Standard output is fallible: --help and --version check it too. */
int close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("%s", tr_gnulib("write error"));
		return exit_failure;
	}
	return EXIT_SUCCESS;
}

/*
 * getopt_long, saying what is wrong in the user's language.  getopt
 * prints its complaint itself, before the caller could read the locale:
 * so the first pass is silent, and on an error the locale is read and the
 * arguments parsed again from the start, which meets the same error first
 * (options keep their order when getopt moves operands behind them).
 */
int diag_getopt(int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	int ch;

	opterr = 0;
	ch = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (ch != '?')
		return ch;
	diag_locale();
	optind = 0;
	opterr = 1;
	while (
	    (ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != '?' &&
	    ch != -1)
		continue;
	return '?';
}

/*
 * The quotation marks: GNU's catalogs may translate them ("„" and "“" in
 * German from coreutils', "»" and "«" from gnulib's); else a UTF-8 locale
 * has the curved ones, and any other the ASCII apostrophe.
 */
static const char *quote_mark(const char *msgid, const char *curved)
{
	const char *s = tr_gnulib(msgid);

	if (s != msgid)
		return s;
	if (strcasecmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return curved;
	return "'";
}

static char *octal(char *d, unsigned char c)
{
	*d++ = '\\';
	*d++ = (char)('0' + (c >> 6));
	*d++ = (char)('0' + ((c >> 3) & 7));
	*d++ = (char)('0' + (c & 7));
	return d;
}

static char *ascii(char *d, unsigned char c)
{
	static const char named[] = "\a\b\f\n\r\t\v";
	static const char letters[] = "abfnrtv";
	const char *p;

	if (c == '\\') {
		*d++ = '\\';
		*d++ = '\\';
	} else if (c >= ' ' && c < 0x7f) {
		*d++ = (char)c;
	} else if ((p = strchr(named, c)) != NULL) {
		*d++ = '\\';
		*d++ = letters[p - named];
	} else {
		d = octal(d, c);
	}
	return d;
}

/*
 * The length of the character at S (N bytes left, N > 0), and whether it
 * may be shown as it is; if not, each of its bytes is shown in octal.
 */
static size_t next_char(const char *s, size_t n, mbstate_t *st, bool *shown)
{
	wchar_t wc;
	size_t len;

	if (MB_CUR_MAX == 1) {
		*shown = isprint((unsigned char)*s);
		return 1;
	}
	len = mbrtowc(&wc, s, n, st);
	*shown = false;
	if (len == (size_t)-1 || len == (size_t)-2) {
		memset(st, 0, sizeof(*st));
		return len == (size_t)-1 ? 1 : n;
	}
	*shown = iswprint((wint_t)wc);
	return len;
}

/* Enough slots for every quoted name one diagnostic can hold. */
#define NSLOTS 4

/*
 * S quoted for a diagnostic: between the locale's quotation marks, with
 * a backslash before the closing mark and before a backslash inside, C's
 * escapes for control characters, and octal for any byte that is not
 * part of a printable character.  Nothing unprintable reaches the
 * terminal raw.
 */
const char *quote(const char *s)
{
	static char *slot[NSLOTS];
	static unsigned int next;
	const char *lq, *rq;
	size_t len = strlen(s), rlen, n;
	mbstate_t st;
	char *buf, *d;
	bool shown;
	int saved = errno;

	diag_locale();
	lq = quote_mark("`", "\xe2\x80\x98");
	rq = quote_mark("'", "\xe2\x80\x99");
	rlen = strlen(rq);
	/* Four bytes per input byte at most, and the marks. */
	buf = realloc(slot[next], 4 * len + strlen(lq) + rlen + 1);
	if (buf == NULL) {
		errno = saved;
		return "'...'";
	}
	slot[next] = buf;
	next = (next + 1) % NSLOTS;

	memset(&st, 0, sizeof(st));
	d = stpcpy(buf, lq);
	for (const char *end = s + len; s < end; s += n) {
		if (rlen > 0 && strncmp(s, rq, rlen) == 0)
			*d++ = '\\';
		if ((unsigned char)*s < 0x80) {
			n = 1;
			d = ascii(d, (unsigned char)*s);
		} else {
			n = next_char(s, (size_t)(end - s), &st, &shown);
			if (shown)
				d = mempcpy(d, s, n);
			else
				for (size_t i = 0; i < n; i++)
					d = octal(d, (unsigned char)s[i]);
		}
	}
	stpcpy(d, rq);
	errno = saved;
	return buf;
}
