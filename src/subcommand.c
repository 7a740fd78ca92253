/*
 * named-file, directory and file: Python's mkstemp, mkdtemp and
 * TemporaryFile for the shell.  Without COMMAND, create, print and keep;
 * with one, hand it what was made and clean up after it.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/ctempfile.h"

static void usage_file(void)
{
	subcommand_usage(FORM_FILE, "file", "[OPTION]... [--] COMMAND [ARG]...",
	    "Run COMMAND with an unnamed temporary file open on descriptor 3\n"
	    "(--fd), also reachable as /dev/fd/3 through {} and $CTEMPFILE.\n"
	    "The file has no name at any moment, so nothing can be left behind.");
}

static void usage_named(void)
{
	subcommand_usage(FORM_NAMED, "named-file",
	    "[OPTION]... [[--] COMMAND [ARG]...]",
	    "Create a temporary file, print its absolute path and keep it; or run\n"
	    "COMMAND with its path in place of {} and in $CTEMPFILE, then remove it\n"
	    "however COMMAND ends.");
}

static void usage_dir(void)
{
	subcommand_usage(FORM_DIR, "directory",
	    "[OPTION]... [[--] COMMAND [ARG]...]",
	    "Create a temporary directory, print its absolute path and keep it; or\n"
	    "run COMMAND with its path in place of {} and in $CTEMPFILE, then remove\n"
	    "it and everything in it however COMMAND ends.");
}

/* What --output goes with, and what it does not. */
static void check_output(unsigned int form, const struct opts *o)
{
	const char *with = o->count != 1 ? "--count"
	    : o->dry_run		 ? "--dry-run"
	    : o->keep			 ? "--keep"
	    : o->pid != NULL		 ? "--pid"
	    : o->memory			 ? "--memory"
	    : o->dir != NULL		 ? "--dir"
					 : NULL;

	if (with != NULL)
		errx(exit_failure, "--output cannot be used with %s", with);
	if (o->cmd == NULL && form == FORM_DIR)
		errx(exit_failure, "--output needs a COMMAND");
	if (o->cmd == NULL && !o->stdin_copy)
		errx(exit_failure, "--output needs a COMMAND or --stdin");
}

/* --allow-empty is for what only the COMMAND form could tell apart. */
static void check_allow_empty(const struct opts *o)
{
	if (o->cmd != NULL)
		errx(exit_failure,
		    "--allow-empty cannot be used with a COMMAND");
	if (o->output == NULL || !o->stdin_copy)
		errx(exit_failure,
		    "--allow-empty applies only with --stdin and --output");
}

/* Options that make sense only with, or only without, a COMMAND. */
static void check_combination(unsigned int form, const struct opts *o)
{
	if (o->output != NULL)
		check_output(form, o);
	if (o->allow_empty)
		check_allow_empty(o);
	if (form == FORM_FILE && o->cmd == NULL && o->output == NULL) {
		warnx("missing COMMAND");
		try_help("file");
	}
	if (o->cmd != NULL && o->count != 1)
		errx(exit_failure, "--count cannot be used with a COMMAND");
	if (o->cmd != NULL && o->dry_run)
		errx(exit_failure, "--dry-run cannot be used with a COMMAND");
	if (o->pid != NULL && o->cmd != NULL)
		errx(exit_failure, "--pid cannot be used with a COMMAND");
	if (o->pid != NULL && o->dry_run)
		errx(exit_failure, "--pid cannot be used with --dry-run");
	if (o->stdin_copy && (o->count != 1 || o->dry_run))
		errx(exit_failure, "--stdin cannot be used with --%s",
		    o->dry_run ? "dry-run" : "count");
}

/* The template for what the options ask, in the directory they ask. */
static void build(struct tmpl *t, enum tmp_kind kind, const struct opts *o)
{
	char *dir, *prefix = NULL;

	/* A file in memory lives in no directory: none is looked for. */
	if (kind == TMP_MEMORY)
		dir = xstrdup("");
	else if (o->out != NULL)
		dir = xstrdup(o->out->dir);
	else if (o->dir != NULL)
		dir = path_absolute(o->dir);
	else
		dir = xstrdup(gettempdir(false, o->quiet));

	*t = (struct tmpl){
		.kind = kind,
		.dry_run = o->dry_run,
		.mode = o->mode,
		.alphabet = ALPHABET_PYTHON,
	};
	if (o->out != NULL && !o->prefix_set)
		prefix = output_prefix(o->out,
		    NAME_MAX - o->nrand - strlen(o->suffix));
	tmpl_from_parts(t, dir, prefix ? prefix : o->prefix, o->nrand,
	    o->suffix);
	free(prefix);
	free(dir);
	if (o->out != NULL) {
		/* In FILE's directory wherever it goes; COMMAND can always
		 * write it, and -m is FILE's mode when it is published. */
		t->dirfd = o->out->dirfd;
		t->mode = kind == TMP_DIR ? 0700 : 0600;
	}
}

/* tmp_make() for one, in FILE's directory if --output names one. */
static int make_single(struct tmpl *t, const struct opts *o, int *fdp)
{
	if (o->out != NULL && o->out->dirfd < 0) {
		errno = o->out->dir_error;
		return -1;
	}
	return tmp_make(t, 1, NULL, fdp);
}

/* -q silences creation failures, and nothing else. */
static void create_failed(const struct opts *o, const struct tmpl *t)
{
	if (o->quiet)
		return;
	if (t->kind == TMP_MEMORY) {
		warn("cannot create a file in memory");
	} else if (t->kind == TMP_UNNAMED) {
		t->pattern[t->nameoff] = '\0';
		warn("cannot create a file in %s", quote(t->pattern));
	} else {
		warn("cannot create %s", quote(t->pattern));
	}
}

/*
 * An empty standard input almost always means that its producer failed:
 * it replaces a non-empty FILE only with --allow-empty.
 */
static bool empty_refused(const struct opts *o, int fd)
{
	struct stat in, now;

	if (o->allow_empty || fstat(fd, &in) < 0 || in.st_size > 0)
		return false;
	if (fstatat(o->out->dirfd, o->out->base, &now, 0) < 0 ||
	    now.st_size == 0)
		return false;
	warnx("standard input is empty; %s kept as it was",
	    quote(o->out->file));
	return true;
}

/*
 * --stdin without COMMAND: fill, then replace FILE with it (like sponge).
 * A named temporary has a guardian while standard input is read and the
 * file flushed, which take as long as the input and the disk.
 */
static int make_and_publish(enum tmp_kind kind, const struct opts *o)
{
	struct tmpl t;
	int fd = -1, standdown = -1, status = EXIT_FAILURE;
	const char *named = NULL;
	pid_t guardian = -1;

	build(&t, kind, o);
	if (make_single(&t, o, &fd) < 0) {
		create_failed(o, &t);
		goto out;
	}
	if (kind == TMP_NAMED) {
		named = t.path + t.nameoff;
		guardian = guardian_for(t.path, kind, &standdown);
	}
	if (fill_from_stdin(fd) < 0 || empty_refused(o, fd)) {
		if (named != NULL)
			output_remove(o->out, named);
	} else if (output_publish(o->out, named, fd, o->mode, !o->no_sync) ==
	    0) {
		status = EXIT_SUCCESS;
	}
	guard_done();
	guardian_stand_down(guardian, standdown);
out:
	if (fd >= 0)
		close(fd);
	tmpl_free(&t);
	return status;
}

/*
 * Fill the one file made from standard input, with a guardian standing
 * for as long as the input lasts.  0, or -1 with a diagnostic.
 */
static int fill_guarded(struct names *names, int fd)
{
	int standdown = -1, status;
	pid_t guardian =
	    guardian_for(names_get(names, 0), TMP_NAMED, &standdown);

	names_put(names, 0);
	status = fill_from_stdin(fd);
	guardian_stand_down(guardian, standdown);
	return status;
}

/* Create, print and keep: Python's mkstemp and mkdtemp. */
static int make_and_print(enum tmp_kind kind, const struct opts *o)
{
	struct tmpl t;
	struct names names;
	int fd = -1, error, status = EXIT_FAILURE;
	int pidfd = o->pid ? watch_open_pid(o->pid, o->count, kind) : -1;

	build(&t, kind, o);
	names_init(&names, o->zero ? '\0' : '\n');
	if (tmp_make(&t, o->count, &names, o->stdin_copy ? &fd : NULL) < 0) {
		create_failed(o, &t);
	} else if (fd >= 0 && fill_guarded(&names, fd) < 0) {
		tmp_remove_all(&names, kind);
	} else if ((error = tmp_hand_over(&names, kind, o->dry_run, pidfd,
			o->pid)) > 0) {
		warnc(error, "write error");
	} else if (error == 0) {
		status = EXIT_SUCCESS;
	}
	/* Handed over, or removed again: a signal now has nothing to undo. */
	guard_done();
	if (fd >= 0)
		close(fd);
	names_free(&names);
	tmpl_free(&t);
	return status;
}

/* Create, and run COMMAND with it (which fills it first if asked). */
static int make_and_run(enum tmp_kind kind, const struct opts *o)
{
	struct tmpl t;
	int fd = -1, status = EXIT_CANCELED;
	bool want_fd =
	    kind != TMP_DIR && (o->fd >= 0 || o->stdin_copy || o->out != NULL);

	build(&t, kind, o);
	if (make_single(&t, o, want_fd ? &fd : NULL) < 0)
		create_failed(o, &t);
	else
		status = run_command(kind, o, t.path, fd);
	tmpl_free(&t);
	return status;
}

static int run_form(unsigned int form, const char *name, int argc, char **argv,
    void (*usage)(void))
{
	enum tmp_kind kind = form == FORM_DIR ? TMP_DIR : TMP_NAMED;
	struct output out;
	struct opts o;
	int status;

	parse_options(form, name, argc, argv, &o, usage);
	check_combination(form, &o);
	if (o.output != NULL && form == FORM_DIR) {
		output_prepare_dir(&out, o.output);
		o.out = &out;
	} else if (o.output != NULL) {
		output_prepare(&out, o.output);
		o.out = &out;
	}
	if (o.cmd == NULL && o.out == NULL && o.count == 1 && !o.stdin_copy)
		guard_init_one();
	else
		guard_init();
	if (form == FORM_FILE)
		kind = o.memory ? TMP_MEMORY : TMP_UNNAMED;
	if (o.out != NULL && o.cmd == NULL)
		status = make_and_publish(kind, &o);
	else if (o.cmd == NULL)
		status = make_and_print(kind, &o);
	else
		status = make_and_run(kind, &o);
	if (o.out != NULL)
		output_free(&out);
	return status;
}

int cmd_file(int argc, char **argv)
{
	return run_form(FORM_FILE, "file", argc, argv, usage_file);
}

int cmd_named_file(int argc, char **argv)
{
	return run_form(FORM_NAMED, "named-file", argc, argv, usage_named);
}

int cmd_directory(int argc, char **argv)
{
	return run_form(FORM_DIR, "directory", argc, argv, usage_dir);
}
