/*
 * The mktemp form: GNU coreutils mktemp, option for option and message for
 * message, plus --mode, --count and --zero.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/ctempfile.h"

#define DEFAULT_TEMPLATE "tmp.XXXXXXXXXX"

enum { OPT_HELP = 256, OPT_PID, OPT_SUFFIX, OPT_TMPDIR };

static const struct option longopts[] = {
	{ "directory", no_argument, NULL, 'd' },
	{ "dry-run", no_argument, NULL, 'u' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "suffix", required_argument, NULL, OPT_SUFFIX },
	{ "tmpdir", optional_argument, NULL, OPT_TMPDIR },
	{ "mode", required_argument, NULL, 'm' },
	{ "count", required_argument, NULL, 'n' },
	{ "zero", no_argument, NULL, 'z' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static bool quiet;

static void usage(void)
{
	const char *p = getprogname();
	/* Installed as mktemp, it is that form alone (main.c). */
	bool as_mktemp = strcmp(p, "mktemp") == 0;

	printf("Usage: %s [OPTION]... [TEMPLATE]\n", p);
	if (!as_mktemp)
		printf(
		    "  or:  %s SUBCOMMAND [OPTION]... [[--] COMMAND [ARG]...]\n",
		    p);
	printf(
	    "Make a temporary file (or directory) from TEMPLATE, with a name no\n"
	    "other process can have taken, and print that name.  The last run of\n"
	    "three or more X's in TEMPLATE becomes random letters and digits;\n"
	    "what follows it is kept as a suffix.  Without TEMPLATE the name is\n"
	    "tmp.XXXXXXXXXX in $TMPDIR, or in /tmp when $TMPDIR is unset or empty.\n"
	    "A file gets mode 0600, a directory 0700, less the umask.\n"
	    "\n"
	    "Options:\n"
	    "  -d, --directory          make a directory instead of a file\n"
	    "  -u, --dry-run            only print a name; make nothing (unsafe)\n"
	    "  -q, --quiet              say nothing when making it fails\n"
	    "      --suffix=SUFF        add SUFF, which may hold no slash, after\n"
	    "                           TEMPLATE (which must then end in X)\n"
	    "  -p DIR, --tmpdir[=DIR]   make TEMPLATE inside DIR; an empty or (for\n"
	    "                           --tmpdir) missing DIR means $TMPDIR, else\n"
	    "                           /tmp; TEMPLATE may then not be absolute\n"
	    "  -t                       TEMPLATE is a single name, made in $TMPDIR,\n"
	    "                           else the -p directory, else /tmp (old style)\n"
	    "  -m, --mode=MODE          make it with octal MODE, whatever the umask\n"
	    "  -n, --count=N            make N from TEMPLATE, all or none\n"
	    "  -z, --zero               end each name with NUL, not newline\n"
	    "      --pid=PID            remove what was made when process PID ends\n"
	    "      --help               display this help and exit\n"
	    "      --version            display the version and exit\n");
	if (as_mktemp)
		return;
	printf("\nSubcommands, each with its own --help:\n");
	print_commands();
}

static void version(void)
{
	printf(
	    "%s %s\n"
	    "Copyright (C) 2026 the ctempfile authors.\n"
	    "License ISC: <https://opensource.org/license/isc-license-txt>.\n"
	    "This is free software: you are free to change and redistribute it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n",
	    getprogname(), PACKAGE_VERSION);
}

/* -q silences creation failures, and nothing else. */
static void create_failed(int error, bool dir, const char *tmpl)
{
	if (!quiet)
		warnc(error,
		    dir ? tr("failed to create directory via template %s")
			: tr("failed to create file via template %s"),
		    quote(tmpl));
}

/*
 * Whether S names something in another directory: a slash followed by
 * anything but more slashes, or a leading one.  Trailing slashes do not
 * count, as in GNU's last_component().
 */
static bool has_dir_sep(const char *s)
{
	const char *p = strchr(s, '/');

	return p != NULL && (p == s || p[strspn(p, "/")] != '\0');
}

/* Length of the run of X's that ends at END. */
static size_t count_x(const char *start, const char *end)
{
	const char *p = end;

	while (p > start && p[-1] == 'X')
		p--;
	return (size_t)(end - p);
}

/* The template with --suffix, if any, appended. */
static char *join_suffix(const char *arg, const char *suffix)
{
	size_t len = strlen(arg), slen;
	char *t;

	if (suffix == NULL)
		return xstrdup(arg);
	slen = strlen(suffix);
	t = xmalloc(len + slen + 1);
	memcpy(t, arg, len);
	memcpy(t + len, suffix, slen + 1);
	return t;
}

/*
 * Check template T (ARG with SUFFIX appended) in GNU's order, each failure
 * with GNU's message.  The lengths of its suffix and of its run of X's are
 * returned through the pointers.
 */
bool check_template(const char *arg, const char *suffix, const char *t,
    bool use_dir, bool tflag, size_t *slen, size_t *xlen)
{
	size_t len = strlen(arg);
	const char *sfx = t + len;

	if (suffix != NULL && (len == 0 || arg[len - 1] != 'X')) {
		warnx(tr("with --suffix, template %s must end in X"),
		    quote(arg));
		return false;
	}
	if (suffix == NULL) {
		sfx = strrchr(t, 'X');
		sfx = sfx ? sfx + 1 : t + len;
	}
	if (has_dir_sep(sfx)) {
		warnx(tr("invalid suffix %s, contains directory separator"),
		    quote(sfx));
		return false;
	}
	*slen = strlen(sfx);
	*xlen = count_x(t, sfx);
	if (*xlen < 3) {
		/* The template as given, without --suffix: coreutils 9.5. */
		warnx(tr("too few X's in template %s"), quote(arg));
		return false;
	}
	if (use_dir && tflag && has_dir_sep(t)) {
		warnx(tr("invalid template, %s, contains directory separator"),
		    quote(t));
		return false;
	}
	if (use_dir && !tflag && t[0] == '/') {
		warnx(tr("invalid template, %s; with --tmpdir, it may not be "
			 "absolute"),
		    quote(t));
		return false;
	}
	return true;
}

/*
 * The directory for --tmpdir, -p and -t.  Under -t a non-empty $TMPDIR
 * beats -p; otherwise -p (or --tmpdir=DIR) beats $TMPDIR.
 */
static const char *pick_dir(const char *dir, bool tflag)
{
	const char *env = getenv("TMPDIR");
	bool have_env = env != NULL && *env != '\0';
	bool have_dir = dir != NULL && *dir != '\0';

	if (tflag)
		return have_env ? env : have_dir ? dir : "/tmp";
	return have_dir ? dir : have_env ? env : "/tmp";
}

/* What the mktemp form's options ask for. */
struct mk {
	const char *dir, *suffix, *mode, *count, *pid;
	bool use_dir, tflag, zero, dry_run, is_dir;
};

/* Parse ARGV into M; the template's index, or exit with a diagnostic. */
static int parse(int argc, char **argv, struct mk *m)
{
	int ch;

	while ((ch = diag_getopt(argc, argv, "dm:n:p:qtuVz", longopts)) != -1) {
		switch (ch) {
		case 'd': m->is_dir = true; break;
		case 'm': m->mode = optarg; break;
		case 'n': m->count = optarg; break;
		case 'p':
		case OPT_TMPDIR:
			m->use_dir = true;
			m->dir = optarg;
			break;
		case 'q': quiet = true; break;
		case 't':
			m->use_dir = true;
			m->tflag = true;
			break;
		case 'u': m->dry_run = true; break;
		case 'V': version(); exit(close_stdout());
		case 'z': m->zero = true; break;
		case OPT_HELP: usage(); exit(close_stdout());
		case OPT_PID: m->pid = optarg; break;
		case OPT_SUFFIX: m->suffix = optarg; break;
		default: try_help(NULL);
		}
	}
	if (argc - optind >= 2) {
		warnx("%s", tr("too many templates"));
		try_help(NULL);
	}
	return optind;
}

/* Make COUNT from T, start the watcher (PIDFD), print: the exit status. */
static int make_print(struct tmpl *t, size_t count, const struct mk *m,
    int pidfd)
{
	struct names names;
	int error, status = EXIT_FAILURE;

	if (count == 1)
		guard_init_one();
	else
		guard_init();
	names_init(&names, m->zero ? '\0' : '\n');
	if (tmp_make(t, count, &names, NULL) < 0) {
		create_failed(errno, t->kind == TMP_DIR, t->pattern);
	} else if ((error = tmp_hand_over(&names, t->kind, t->dry_run, pidfd,
			m->pid)) > 0) {
		/* GNU says it at exit (close_stdout) for -u, in gnulib's
		 * words, and itself otherwise. */
		if (t->dry_run || !quiet)
			warnc(error, "%s",
			    t->dry_run ? tr_gnulib("write error")
				       : tr("write error"));
	} else if (error == 0) {
		status = EXIT_SUCCESS;
	}
	/* Handed over, or removed again: a signal now has nothing to undo. */
	guard_done();
	names_free(&names);
	return status;
}

int cmd_mktemp(int argc, char **argv)
{
	struct mk m = { NULL };
	struct tmpl t = { .kind = TMP_NAMED, .alphabet = ALPHABET_MKTEMP };
	size_t slen, xlen, count = 1;
	const char *arg;
	char *tmpl, *path;
	int status, pidfd = -1, ind = parse(argc, argv, &m);

	t.kind = m.is_dir ? TMP_DIR : TMP_NAMED;
	t.dry_run = m.dry_run;
	t.mode = m.mode ? parse_mode(m.mode) : -1;
	if (m.count)
		count = (size_t)parse_number("count", m.count, 1, COUNT_MAX);
	if (ind < argc) {
		arg = argv[ind];
	} else {
		arg = DEFAULT_TEMPLATE;
		m.use_dir = true;
	}
	tmpl = join_suffix(arg, m.suffix);
	if (!check_template(arg, m.suffix, tmpl, m.use_dir, m.tflag, &slen,
		&xlen)) {
		free(tmpl);
		return EXIT_FAILURE;
	}
	if (m.pid != NULL) {
		if (t.dry_run)
			errx(exit_failure,
			    "--pid cannot be used with --dry-run");
		pidfd = watch_open_pid(m.pid, count, t.kind);
	}
	path = m.use_dir ? path_join_gnu(pick_dir(m.dir, m.tflag), tmpl) : tmpl;
	tmpl_from_path(&t, path, strlen(path) - slen - xlen, xlen);
	status = make_print(&t, count, &m, pidfd);
	tmpl_free(&t);
	if (tmpl != path)
		free(tmpl);
	return status;
}
