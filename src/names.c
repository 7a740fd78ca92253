/*
 * The names made by one call, kept until all of them exist so that they go
 * out together or not at all.  Each is stored with the terminator it is
 * printed with, so the whole list is written with as few writes as the
 * pipe allows.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/ctempfile.h"

void names_init(struct names *nl, char term)
{
	memset(nl, 0, sizeof(*nl));
	nl->term = term;
}

void names_add(struct names *nl, const char *name)
{
	size_t len = strlen(name);

	while (nl->len + len + 1 > nl->cap) {
		nl->cap = nl->cap ? 2 * nl->cap : 256;
		nl->buf = xrealloc(nl->buf, nl->cap);
	}
	if (nl->n == nl->nmax) {
		nl->nmax = nl->nmax ? 2 * nl->nmax : 16;
		nl->end = xrealloc(nl->end, nl->nmax * sizeof(*nl->end));
	}
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
 * reader that went away is an error like any other, not a reason to die
 * with the names made and not removed.
 */
int names_write(const struct names *nl)
{
	static const struct timespec now;
	sigset_t pipe, old;
	const char *p = nl->buf;
	size_t left = nl->len;
	ssize_t w;
	int error = 0;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe, &old);
	while (left > 0) {
		w = write(STDOUT_FILENO, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			error = errno;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (error == EPIPE)
		sigtimedwait(&pipe, NULL, &now);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return error;
}

void names_free(struct names *nl)
{
	free(nl->buf);
	free(nl->end);
	names_init(nl, nl->term);
}
