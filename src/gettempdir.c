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

static const char *const envnames[] = { "TMPDIR", "TEMP", "TMP" };
static const char *const fixed[] = { "/tmp", "/var/tmp", "/usr/tmp" };

/* 0 if DIR takes a file, else the errno that says why not. */
static int probe(const char *dir)
{
	struct tmpl t = { .kind = TMP_FILE,
		.mode = -1,
		.alphabet = ALPHABET_PYTHON };
	int fd, error = 0;
	ssize_t w;

	tmpl_from_parts(&t, dir, "tmp", 8, "");
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
	}
	tmpl_free(&t);
	return error;
}

static void add(char ***list, size_t *n, char *dir)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = dir;
}

/*
 * The candidates in order: $TMPDIR, $TEMP, $TMP where set and not empty,
 * the usual directories, then the current one; each made absolute.
 */
static size_t candidates(char ***list, bool verbose)
{
	size_t n = 0;
	char *cwd;

	*list = NULL;
	for (size_t i = 0; i < sizeof(envnames) / sizeof(envnames[0]); i++) {
		const char *v = getenv(envnames[i]);

		if (v != NULL && *v != '\0')
			add(list, &n, path_absolute(v));
		else if (verbose)
			warnx("$%s is %s", envnames[i],
			    v ? "empty" : "not set");
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		add(list, &n, xstrdup(fixed[i]));
	cwd = getcwd(NULL, 0);
	add(list, &n, cwd ? cwd : xstrdup("."));
	return n;
}

/* The directory, or exit with a diagnostic if none will do. */
char *gettempdir(bool verbose, bool quiet)
{
	static char *found;
	char **list, *msg = NULL;
	size_t n, len = 0;
	int error;
	FILE *f;

	if (found != NULL)
		return found;
	n = candidates(&list, verbose);
	for (size_t i = 0; i < n && found == NULL; i++) {
		error = probe(list[i]);
		if (error == 0)
			found = list[i];
		else if (verbose)
			warnc(error, "%s", quote(list[i]));
	}
	if (found == NULL && !quiet) {
		f = open_memstream(&msg, &len);
		for (size_t i = 0; f != NULL && i < n; i++)
			fprintf(f, "%s%s", i ? ", " : "", quote(list[i]));
		if (f != NULL)
			fclose(f);
		errx(exit_failure, "no usable temporary directory found in %s",
		    msg ? msg : "");
	}
	if (found == NULL)
		exit(exit_failure);
	if (verbose)
		warnx("%s: usable", quote(found));
	for (size_t i = 0; i < n; i++) {
		if (list[i] != found)
			free(list[i]);
	}
	free(list);
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
	dir = gettempdir(o.verbose, o.quiet);
	fputs(dir, stdout);
	putchar(o.zero ? '\0' : '\n');
	return close_stdout();
}
