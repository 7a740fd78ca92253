/*
 * Options of the subcommands: one table says what each option is, which
 * subcommands take it and how --help describes it, so the parser and the
 * help text cannot drift apart.  Values are checked here too.
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/ctempfile.h"

enum {
	OPT_FD = 256,
	OPT_ALLOW_EMPTY,
	OPT_MEMORY,
	OPT_HELP,
	OPT_NO_SYNC,
	OPT_PID,
	OPT_TMPDIR
};

static const struct optdef {
	const char *name;
	int has_arg;
	int val;
	unsigned int forms; /* subcommands that accept it */
	unsigned int shown; /* subcommands whose --help lists it */
	const char *arg;
	const char *help;
} optdefs[] = {
	{ "dir", required_argument, 'p', FORM_MAKE, FORM_MAKE, "DIR",
	    "create in DIR (default: what gettempdir prints)" },
	{ "tmpdir", required_argument, OPT_TMPDIR, FORM_MAKE, 0, "DIR", NULL },
	{ "prefix", required_argument, 'P', FORM_MAKE, FORM_MAKE, "PREFIX",
	    "begin the name with PREFIX (default: tmp)" },
	{ "suffix", required_argument, 's', FORM_MAKE, FORM_MAKE, "SUFFIX",
	    "end the name with SUFFIX (default: none)" },
	{ "random", required_argument, 'r', FORM_MAKE, FORM_MAKE, "N",
	    "N random characters, 3 to 64 (default: 8)" },
	{ "mode", required_argument, 'm', FORM_MAKE, FORM_MAKE, "MODE",
	    "create with octal MODE exactly, whatever the umask" },
	{ "count", required_argument, 'n', FORM_MAKE, FORM_NAMED | FORM_DIR,
	    "N", "without COMMAND: make N, 1 to 1000000, all or none" },
	{ "dry-run", no_argument, 'u', FORM_MAKE, FORM_NAMED | FORM_DIR, NULL,
	    "print names but create nothing (unsafe)" },
	{ "quiet", no_argument, 'q', FORM_ALL, FORM_ALL, NULL,
	    "say nothing when creation fails" },
	{ "zero", no_argument, 'z', FORM_ALL,
	    FORM_NAMED | FORM_DIR | FORM_GETTEMPDIR, NULL,
	    "end each printed name with NUL, not newline" },
	{ "verbose", no_argument, 'v', FORM_GETTEMPDIR, FORM_GETTEMPDIR, NULL,
	    "say why each candidate was passed over" },
	{ "keep", no_argument, 'k', FORM_MAKE, FORM_NAMED | FORM_DIR, NULL,
	    "with COMMAND: leave it in place afterwards" },
	{ "keep-on-failure", no_argument, 'K', FORM_MAKE, FORM_NAMED | FORM_DIR,
	    NULL, "with COMMAND: leave it in place if COMMAND fails" },
	{ "fd", required_argument, OPT_FD, FORM_FILE | FORM_NAMED,
	    FORM_FILE | FORM_NAMED, "N",
	    "give COMMAND the open file on descriptor N" },
	{ "stdin", no_argument, 'i', FORM_FILE | FORM_NAMED,
	    FORM_FILE | FORM_NAMED, NULL,
	    "fill the file from standard input first" },
	{ "replace", required_argument, 'I', FORM_MAKE, FORM_MAKE, "STR",
	    "put the path for STR in COMMAND (default: {})" },
	{ "env", required_argument, 'e', FORM_MAKE, FORM_MAKE, "NAME",
	    "pass the path in variable NAME (default: CTEMPFILE)" },
	{ "cd", no_argument, 'C', FORM_MAKE, FORM_DIR, NULL,
	    "run COMMAND inside the directory" },
	{ "memory", no_argument, OPT_MEMORY, FORM_MAKE, FORM_FILE, NULL,
	    "keep the file in memory, in no directory" },
	{ "output", required_argument, 'o', FORM_MAKE, FORM_FILE | FORM_NAMED,
	    "FILE", "on success, replace FILE with it, atomically" },
	/* The same option, as directory's --help tells it. */
	{ "output", required_argument, 'o', 0, FORM_DIR, "DIR",
	    "on success, replace DIR with it, atomically" },
	{ "no-sync", no_argument, OPT_NO_SYNC, FORM_MAKE, FORM_MAKE, NULL,
	    "with --output: do not flush it to stable storage" },
	{ "allow-empty", no_argument, OPT_ALLOW_EMPTY, FORM_MAKE,
	    FORM_FILE | FORM_NAMED, NULL,
	    "with --stdin and -o: let empty input replace FILE" },
	{ "pid", required_argument, OPT_PID, FORM_MAKE, FORM_NAMED | FORM_DIR,
	    "PID", "without COMMAND: remove it when process PID ends" },
	{ "help", no_argument, OPT_HELP, FORM_ALL, FORM_ALL, NULL,
	    "display this help and exit" },
};

#define NOPTS (sizeof(optdefs) / sizeof(optdefs[0]))

/* An octal mode from 0 to 0777, or -1. */
int mode_value(const char *s)
{
	long v = 0;

	if (*s == '\0' || strspn(s, "01234567") != strlen(s))
		return -1;
	for (; *s != '\0'; s++) {
		v = v * 8 + (*s - '0');
		if (v > 0777)
			return -1;
	}
	return (int)v;
}

int parse_mode(const char *s)
{
	int mode = mode_value(s);

	if (mode < 0)
		errx(exit_failure, "invalid mode %s: not octal 0 to 0777",
		    quote(s));
	return mode;
}

long long parse_number(const char *what, const char *s, long long min,
    long long max)
{
	const char *digits = s + (s[0] == '-'), *errstr = "invalid";
	long long v = 0;

	/* Plain decimal: strtonum() alone would take blanks and a '+'. */
	if (*digits != '\0' && strspn(digits, "0123456789") == strlen(digits))
		v = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		errx(exit_failure, "invalid %s %s: %s (%lld to %lld)", what,
		    quote(s), errstr, min, max);
	return v;
}

static void check_name_part(const char *what, const char *s)
{
	if (strchr(s, '/') != NULL)
		errx(exit_failure,
		    "invalid %s %s, contains directory separator", what,
		    quote(s));
}

/*
 * One line of an option's help: SHORT (0 if none), --NAME=ARG and HELP in
 * their columns; with no NAME, HELP alone goes on in its column.
 */
void usage_row(int shortopt, const char *name, const char *arg,
    const char *help)
{
	char left[40] = "";

	if (name != NULL)
		snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
		    shortopt ? '-' : ' ', shortopt ? shortopt : ' ',
		    shortopt ? ',' : ' ', name, arg ? "=" : "", arg ? arg : "");
	printf("  %-24s %s\n", left, help);
}

void subcommand_usage(unsigned int form, const char *name, const char *synopsis,
    const char *what)
{
	printf("Usage: %s %s %s\n%s\n\nOptions:\n", getprogname(), name,
	    synopsis, what);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct optdef *d = &optdefs[i];

		if (d->shown & form)
			usage_row(d->val < 256 ? d->val : 0, d->name, d->arg,
			    d->help);
	}
}

/* The getopt tables for FORM: the options it takes, long and short. */
static void getopt_tables(unsigned int form, struct option *longopts,
    char *shortopts)
{
	size_t nl = 0, ns = 1;

	shortopts[0] = '+';
	for (size_t i = 0; i < NOPTS; i++) {
		const struct optdef *d = &optdefs[i];

		if (!(d->forms & form))
			continue;
		longopts[nl++] =
		    (struct option){ d->name, d->has_arg, NULL, d->val };
		if (d->val < 256) {
			shortopts[ns++] = (char)d->val;
			if (d->has_arg == required_argument)
				shortopts[ns++] = ':';
		}
	}
	longopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[ns] = '\0';
}

/* The values that need checking, kept as given until COMMAND is known. */
struct raw {
	const char *mode, *count, *nrand, *fd;
};

/* Take option CH (its argument in optarg) into O or RAW; false if bad. */
static bool take(int ch, struct opts *o, struct raw *raw, void (*usage)(void))
{
	switch (ch) {
	case 'C': o->cd = true; break;
	case 'I': o->replace = optarg; break;
	case 'K': o->keep_failure = true; break;
	case 'P':
		o->prefix = optarg;
		o->prefix_set = true;
		break;
	case 'e': o->env = optarg; break;
	case 'i': o->stdin_copy = true; break;
	case 'k': o->keep = true; break;
	case 'm': raw->mode = optarg; break;
	case 'n': raw->count = optarg; break;
	case 'o': o->output = optarg; break;
	case 'p':
	case OPT_TMPDIR: o->dir = optarg; break;
	case 'q': o->quiet = true; break;
	case 'r': raw->nrand = optarg; break;
	case 's': o->suffix = optarg; break;
	case 'u': o->dry_run = true; break;
	case 'v': o->verbose = true; break;
	case 'z': o->zero = true; break;
	case OPT_ALLOW_EMPTY: o->allow_empty = true; break;
	case OPT_FD: raw->fd = optarg; break;
	case OPT_MEMORY: o->memory = true; break;
	case OPT_NO_SYNC: o->no_sync = true; break;
	case OPT_PID: o->pid = optarg; break;
	case OPT_HELP: usage(); exit(close_stdout());
	default: return false;
	}
	return true;
}

/* Check the values in RAW and O for FORM, and what applies only where. */
static void check_values(unsigned int form, struct opts *o,
    const struct raw *raw)
{
	if (raw->mode != NULL)
		o->mode = parse_mode(raw->mode);
	if (raw->count != NULL)
		o->count =
		    (size_t)parse_number("count", raw->count, 1, COUNT_MAX);
	if (raw->nrand != NULL)
		o->nrand = (size_t)parse_number("random", raw->nrand, 3, 64);
	if (raw->fd != NULL)
		o->fd = (int)parse_number("fd", raw->fd, 0, INT_MAX);
	check_name_part("prefix", o->prefix);
	check_name_part("suffix", o->suffix);
	if (strchr(o->env, '=') != NULL)
		errx(exit_failure, "invalid env %s, contains '='",
		    quote(o->env));
	if (strlen(o->prefix) + o->nrand + strlen(o->suffix) > NAME_MAX)
		errx(exit_failure,
		    "prefix, random part and suffix exceed %d "
		    "bytes",
		    NAME_MAX);
	if (o->cd && form != FORM_DIR)
		errx(exit_failure, "--cd applies only to 'directory'");
	if (o->memory && form != FORM_FILE)
		errx(exit_failure, "--memory applies only to 'file'");
	if (o->no_sync && o->output == NULL)
		errx(exit_failure, "--no-sync applies only with --output");
	if (o->pid != NULL && form == FORM_FILE)
		errx(exit_failure,
		    "--pid applies only to 'named-file' and 'directory'");
}

/*
 * Parse ARGV for the subcommand FORM into O.  Parsing stops at the first
 * operand: from there on everything belongs to COMMAND.  Values are
 * checked once it is known whether there is a COMMAND, since that decides
 * the status of a failure.
 */
void parse_options(unsigned int form, const char *name, int argc, char **argv,
    struct opts *o, void (*usage)(void))
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2];
	struct raw raw = { NULL, NULL, NULL, NULL };
	bool bad = false;
	int ch;

	getopt_tables(form, longopts, shortopts);
	memset(o, 0, sizeof(*o));
	o->prefix = "tmp";
	o->suffix = "";
	o->replace = "{}";
	o->env = "CTEMPFILE";
	o->nrand = 8;
	o->count = 1;
	o->mode = -1;
	o->fd = form == FORM_FILE ? 3 : -1;

	while ((ch = diag_getopt(argc, argv, shortopts, longopts)) != -1)
		if (!take(ch, o, &raw, usage))
			bad = true;
	if (optind < argc)
		o->cmd = argv + optind;
	if (o->cmd != NULL && form != FORM_GETTEMPDIR)
		exit_failure = EXIT_CANCELED;
	if (bad)
		try_help(name);
	if (form == FORM_GETTEMPDIR && o->cmd != NULL) {
		warnx("extra operand %s", quote(o->cmd[0]));
		try_help(name);
	}
	check_values(form, o, &raw);
}
