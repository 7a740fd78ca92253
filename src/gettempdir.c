/*
 * The default directory, chosen as Python's tempfile.gettempdir() chooses
 * it: the first candidate in which a file can really be created, written
 * and removed.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* Each name as -v shows it; getenv() takes it without the '$'. */
static const char *const envvars[] = { "$TMPDIR", "$TEMP", "$TMP" };
static const char *const fixed[] = { "/tmp", "/var/tmp", "/usr/tmp" };

/* 0 if DIR takes a file, else the errno that says why not. */
static int probe(const char *dir)
{
	struct tmpl t = { .kind = TMP_NAMED,
		.mode = -1,
		.alphabet = ALPHABET_PYTHON };
	int fd, error = 0;
	ssize_t w;

	tmpl_from_parts(&t, dir, "tmp", 8, "");
	/* A signal meanwhile waits until the probe file is gone. */
	guard_hold();
	if (tmp_make(&t, 1, NULL, &fd) < 0) {
		error = errno;
	} else {
		w = write(fd, "blat", 4);
		if (w != 4)
			error = w < 0 ? errno : EIO;
		if (close(fd) < 0 && error == 0)
			error = errno;
		if (unlink(t.path) < 0 && error == 0)
			error = errno;
		guard_path(NULL, TMP_NAMED);
	}
	guard_release();
	tmpl_free(&t);
	return error;
}

struct candidates {
	char **dir;
	size_t n;
};

/* Probe DIR, adding it to the list: 0 if usable, else why not. */
static int try_dir(struct candidates *c, char *dir, const char *var,
    bool verbose)
{
	int error;

	c->dir = xrealloc(c->dir, (c->n + 1) * sizeof(*c->dir));
	c->dir[c->n++] = dir;
	error = probe(dir);
	if (verbose && error != 0)
		warnc(error, "%s%s%s", var ? var : "", var ? ": " : "",
		    quote(dir));
	return error;
}

/*
 * The candidates in order: $TMPDIR, $TEMP, $TMP where set and not empty,
 * the usual directories, then the current one; each made absolute.
 */
static char *search(struct candidates *c, bool verbose)
{
	char *cwd;

	for (size_t i = 0; i < sizeof(envvars) / sizeof(envvars[0]); i++) {
		const char *v = getenv(envvars[i] + 1);

		if (v == NULL || *v == '\0') {
			if (verbose)
				warnx("%s: %s", envvars[i],
				    v ? "empty" : "not set");
			continue;
		}
		if (try_dir(c, path_absolute(v), envvars[i], verbose) == 0)
			return c->dir[c->n - 1];
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (try_dir(c, xstrdup(fixed[i]), NULL, verbose) == 0)
			return c->dir[c->n - 1];
	}
	cwd = getcwd(NULL, 0);
	if (try_dir(c, cwd ? cwd : xstrdup("."), "current directory",
		verbose) == 0)
		return c->dir[c->n - 1];
	return NULL;
}

/* The directory, or exit with a diagnostic if none will do. */
char *gettempdir(bool verbose, bool quiet)
{
	static char *found;
	struct candidates c = { NULL, 0 };
	char *msg = NULL;
	size_t len = 0;
	FILE *f;

	if (found != NULL)
		return found;
	found = search(&c, verbose);
	if (found == NULL) {
		if (quiet)
			exit(exit_failure);
		f = open_memstream(&msg, &len);
		for (size_t i = 0; f != NULL && i < c.n; i++)
			fprintf(f, "%s%s", i ? ", " : "", quote(c.dir[i]));
		if (f != NULL)
			fclose(f);
		errx(exit_failure, "no usable temporary directory found in %s",
		    msg ? msg : "");
	}
	if (verbose)
		warnx("%s: usable", quote(found));
	for (size_t i = 0; i < c.n; i++) {
		if (c.dir[i] != found)
			free(c.dir[i]);
	}
	free(c.dir);
	return found;
}

static void usage(void)
{
	subcommand_usage(FORM_GETTEMPDIR, "gettempdir", "[OPTION]...",
	    "Print the directory where temporary files go by default: the first of\n"
	    "$TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp and the current directory\n"
	    "in which a file can be created, written and removed.");
}

int cmd_gettempdir(int argc, char **argv)
{
	struct opts o;
	const char *dir;

	parse_options(FORM_GETTEMPDIR, "gettempdir", argc, argv, &o, usage);
	guard_init();
	dir = gettempdir(o.verbose, o.quiet);
	fputs(dir, stdout);
	putchar(o.zero ? '\0' : '\n');
	return close_stdout();
}
