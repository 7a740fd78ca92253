/*
 * The names made by one call, kept until all of them exist so that they go
 * out together or not at all.  Each is stored with the terminator it is
 * printed with, so the whole list is written with as few writes as the
 * pipe allows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/ctempfile.h"

void names_init(struct names *nl, char term)
{
	memset(nl, 0, sizeof(*nl));
	nl->term = term;
}

/* Room for one more name of LEN bytes, so that adding it cannot fail. */
void names_reserve(struct names *nl, size_t len)
{
	while (nl->len + len + 1 > nl->cap) {
		nl->cap = nl->cap ? 2 * nl->cap : 256;
		nl->buf = xrealloc(nl->buf, nl->cap);
	}
	if (nl->n == nl->nmax) {
		nl->nmax = nl->nmax ? 2 * nl->nmax : 16;
		nl->end = xrealloc(nl->end, nl->nmax * sizeof(*nl->end));
	}
}

void names_add(struct names *nl, const char *name)
{
	size_t len = strlen(name);

	names_reserve(nl, len);
	memcpy(nl->buf + nl->len, name, len);
	nl->len += len;
	nl->end[nl->n++] = nl->len;
	nl->buf[nl->len++] = nl->term;
}

/* Name I as a C string, until names_put() gives its terminator back. */
const char *names_get(struct names *nl, size_t i)
{
	size_t start = i ? nl->end[i - 1] + 1 : 0;

	nl->buf[nl->end[i]] = '\0';
	return nl->buf + start;
}

void names_put(struct names *nl, size_t i)
{
	nl->buf[nl->end[i]] = nl->term;
}

/*
 * Write every name to standard output: 0, or the errno of the failure.  A
 * reader that went away is an error like any other (SIGPIPE is ignored
 * while anything is made), not a reason to die with the names made and
 * not removed.
 */
int names_write(const struct names *nl)
{
	guard_writing(STDOUT_FILENO);
	return write_all(STDOUT_FILENO, nl->buf, nl->len) < 0 ? errno : 0;
}

void names_free(struct names *nl)
{
	free(nl->buf);
	free(nl->end);
	names_init(nl, nl->term);
}
