/*
 * Running COMMAND with what was made, and removing it however COMMAND
 * ends.  When there is nothing to remove afterwards, ctempfile becomes
 * COMMAND.  Otherwise it stays in the caller's process group, passes on
 * the signals meant for COMMAND, waits, removes, and leaves with COMMAND's
 * status or dies of COMMAND's signal.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* S with every occurrence of STR replaced by PATH, left to right. */
static char *replace_all(char *s, const char *str, const char *path)
{
	size_t slen = strlen(str), plen = strlen(path), n = 0;
	char *out, *o;
	const char *p, *q;

	if (slen == 0)
		return s;
	for (p = s; (q = strstr(p, str)) != NULL; p = q + slen)
		n++;
	if (n == 0)
		return s;
	out = o = xmalloc(strlen(s) + n * plen + 1);
	for (p = s; (q = strstr(p, str)) != NULL; p = q + slen) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, path, plen);
		o += plen;
	}
	memcpy(o, p, strlen(p) + 1);
	return out;
}

static void free_argv(char **argv, char *const *orig)
{
	for (size_t i = 0; argv[i] != NULL; i++) {
		if (argv[i] != orig[i])
			free(argv[i]);
	}
	free(argv);
}

static void restore_stderr(int copy)
{
	if (copy >= 0)
		dup2(copy, STDERR_FILENO);
}

/*
 * Put the file on descriptor TARGET, enter CD, and execute ARGV.  Returns
 * only on failure, with the status for it and a diagnostic given.
 */
static int exec_command(char **argv, int fd, int target, const char *cd)
{
	int error, stderr_copy = -1;

	if (fd >= 0) {
		/* If COMMAND's stderr is to be the file, ctempfile's own
		 * diagnostics still go where they went. */
		if (target == STDERR_FILENO && fd != target)
			stderr_copy = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (fd == target ? fcntl(fd, F_SETFD, 0) < 0
				 : dup2(fd, target) < 0) {
			warn("cannot use descriptor %d", target);
			return EXIT_CANCELED;
		}
	}
	if (cd != NULL && chdir(cd) < 0) {
		error = errno;
		restore_stderr(stderr_copy);
		warnc(error, "cannot enter %s", quote(cd));
		return EXIT_CANCELED;
	}
	if (argv[0] == NULL)
		return EXIT_CANCELED;
	execvp(argv[0], argv);
	error = errno;
	restore_stderr(stderr_copy);
	warnc(error, "%s", quote(argv[0]));
	return error == ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
}

/* The last component of PATH, which has a slash. */
static const char *last_name(const char *path)
{
	return strrchr(path, '/') + 1;
}

/*
 * Remove what was made: nothing to do for a file without a name.  A named
 * file goes by name, so that one COMMAND replaced by rename goes too; with
 * --output, relative to FILE's directory wherever it now is.
 */
static int remove_made(enum tmp_kind kind, const struct opts *o,
    const char *path)
{
	if (!tmp_named(kind))
		return 0;
	if (kind == TMP_DIR && o->out != NULL) {
		/* DIR's directory is needed no more: the walk takes it. */
		int dirfd = o->out->dirfd;

		o->out->dirfd = -1;
		return dirfd < 0 ? rmtree(path)
				 : rmtree_in(dirfd, last_name(path), path);
	}
	if (kind == TMP_DIR)
		return rmtree(path);
	if (o->out != NULL)
		return output_remove(o->out, last_name(path));
	return unlink_named(AT_FDCWD, path, path);
}

/*
 * COMMAND failed or succeeded (STATUS): remove what was made, keep it for
 * -K, or with --output publish it over FILE (or DIR, telling the guardian
 * on STANDDOWN).  0, or -1 if what was made could not be fully removed,
 * or FILE could not be replaced.
 */
static int finish(enum tmp_kind kind, const struct opts *o, const char *path,
    int fd, int status, int standdown)
{
	bool named = tmp_named(kind);

	if (status != 0 && o->keep_failure) {
		if (named)
			warnx("COMMAND failed; kept %s", quote(path));
		else if (o->out != NULL)
			output_keep(o->out, fd);
		return 0;
	}
	if (status == 0 && o->out != NULL && kind == TMP_DIR)
		return replace_dir(o->out, last_name(path), o->mode,
		    !o->no_sync, standdown);
	if (status == 0 && o->out != NULL)
		return output_publish(o->out, named ? last_name(path) : NULL,
		    fd, o->mode, !o->no_sync);
	return remove_made(kind, o, path);
}

/*
 * Block the signals to wait for: every signal that would end ctempfile
 * (those ignored at start stay ignored, for ctempfile and for COMMAND),
 * and SIGCHLD.  While COMMAND runs they are meant for it; while ctempfile
 * removes, they wait until it is done.
 */
static void block_signals(sigset_t *wait)
{
	guard_ending(wait);
	sigaddset(wait, SIGCHLD);
	sigprocmask(SIG_BLOCK, wait, NULL);
}

/*
 * Wait for PID, passing on the signals meant for it: its wait status, or
 * -1 if it cannot be had.  SIGINT and SIGQUIT from the terminal reach the
 * whole foreground group, so they are passed on only if COMMAND has left
 * ctempfile's group; those sent by a process always are.
 */
static int wait_child(pid_t pid, const sigset_t *wait)
{
	siginfo_t si;
	pid_t r;
	int sig, status;

	for (;;) {
		sig = sigwaitinfo(wait, &si);
		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			r = waitpid(pid, &status, WNOHANG);
			if (r == pid)
				return status;
			if (r < 0 && errno != EINTR) {
				warn("cannot wait for COMMAND");
				return -1;
			}
			continue;
		}
		if ((sig == SIGINT || sig == SIGQUIT) && si.si_code > 0 &&
		    getpgid(pid) == getpgrp())
			continue;
		kill(pid, sig);
	}
}

/*
 * Fill FD from standard input while the ending signals are let in: one
 * that comes removes what was made and ends ctempfile, however long the
 * input takes.  0, or -1 with a diagnostic.
 */
static int fill_open(int fd)
{
	int status;

	guard_let_in(true);
	status = fill_from_stdin(fd);
	guard_let_in(false);
	return status;
}

/*
 * The child, before it becomes COMMAND: it waits on GO for ctempfile's
 * word, which comes once the guardian stands and the file is filled.
 * Without it (ctempfile killed or failed before), the child removes what
 * was made itself and COMMAND never starts.
 */
static void __attribute__((noreturn))
child(enum tmp_kind kind, const struct opts *o, const char *path, int fd,
    char **argv, const char *cd, const int *go)
{
	char word;

	guard_restore();
	if (go[0] >= 0) {
		close(go[1]);
		if (read(go[0], &word, 1) != 1) {
			remove_made(kind, o, path);
			_exit(EXIT_CANCELED);
		}
	}
	_exit(exec_command(argv, o->fd >= 0 ? fd : -1, o->fd, cd));
}

/*
 * After the fork: the guardian of W (if not NULL) for COMMAND's process
 * PID stands (or it is said that it cannot), then standard input fills the
 * file, then the child gets the word to become COMMAND.  Whether it got
 * it.
 */
static bool let_go(const struct opts *o, const char *path, int fd,
    struct watch *w, pid_t pid, const int *go, pid_t *guardian, int *standdown)
{
	bool ok = true;

	if (go[0] < 0)
		return true;
	close(go[0]);
	if (w != NULL) {
		*guardian = guardian_start(w, pid, standdown);
		if (*guardian < 0) {
			warn("no guardian for %s", quote(path));
			watch_free(w);
		}
	}
	if (o->stdin_copy && fill_open(fd) < 0)
		ok = false;
	/* The word that lets the child become COMMAND. */
	if (ok && write(go[1], "", 1) != 1) {
		warn("cannot start COMMAND");
		ok = false;
	}
	close(go[1]);
	return ok;
}

/* Removal is done: the guardian stands down, the file is let go. */
static void stand_down_and_close(pid_t guardian, int standdown, int fd)
{
	if (fd >= 0)
		close(fd);
	guardian_stand_down(guardian, standdown);
}

/* A COMMAND being run: its guardian, and the pipe that lets it start. */
struct running {
	struct names one; /* what was made, for the guardian */
	struct watch w;	  /* the guardian's view of it */
	bool guarded;	  /* W is ready for a guardian */
	int go[2];	  /* the word that lets the child become COMMAND */
	sigset_t wait;	  /* the signals waited for while COMMAND runs */
	pid_t guardian;	  /* or -1 */
	int standdown;	  /* the guardian's pipe, or -1 */
};

/*
 * Get R ready to run COMMAND with PATH of KIND (FD open on it, or -1):
 * the guardian's view and the go pipe.  Without the pipe COMMAND does not
 * wait, so standard input is read first.  False if it failed: what was
 * made is removed.
 */
static bool get_ready(struct running *r, enum tmp_kind kind,
    const struct opts *o, const char *path, int fd)
{
	bool named = tmp_named(kind);

	names_init(&r->one, '\n');
	names_add(&r->one, path);
	r->w = (struct watch){ .dirfd = -1, .pidfd = -1, .standdown = -1 };
	r->guarded = named;
	r->go[0] = r->go[1] = -1;
	r->guardian = -1;
	r->standdown = -1;
	if (r->guarded && watch_init(&r->w, kind, &r->one) < 0) {
		warn("no guardian for %s", quote(path));
		r->guarded = false;
	}
	if ((named || o->stdin_copy) && pipe2(r->go, O_CLOEXEC) < 0) {
		if (r->guarded)
			warn("no guardian for %s", quote(path));
		r->guarded = false;
		watch_free(&r->w);
		r->go[0] = r->go[1] = -1;
		/* Without the word to wait for, COMMAND waits for nothing. */
		if (o->stdin_copy && fill_from_stdin(fd) < 0) {
			remove_made(kind, o, path);
			guard_done();
			return false;
		}
	}
	return true;
}

/*
 * Fork the child that becomes COMMAND, with the guardian beside it once
 * it stands, and hand what was made over: its pid, or -1 if it could not
 * start (what was made is removed).
 */
static pid_t start_command(struct running *r, enum tmp_kind kind,
    const struct opts *o, const char *path, int fd, char **argv, const char *cd)
{
	pid_t pid;

	block_signals(&r->wait);
	pid = fork();
	if (pid < 0) {
		warn("cannot fork");
		remove_made(kind, o, path);
		guard_done();
		if (r->go[0] >= 0) {
			close(r->go[0]);
			close(r->go[1]);
		}
		return -1;
	}
	if (pid == 0)
		child(kind, o, path, fd, argv, cd, r->go);
	if (!let_go(o, path, fd, r->guarded ? &r->w : NULL, pid, r->go,
		&r->guardian, &r->standdown)) {
		/* The child removes and leaves; so does ctempfile. */
		waitpid(pid, NULL, 0);
		remove_made(kind, o, path);
		guard_done();
		stand_down_and_close(r->guardian, r->standdown, fd);
		return -1;
	}
	/* Handed over: from now on signals wait, or go to COMMAND. */
	guard_done();
	return pid;
}

/*
 * Wait for COMMAND's process PID, then remove, keep or publish what was
 * made, and pass COMMAND's status back (or die of its signal).
 */
static int wait_and_finish(struct running *r, enum tmp_kind kind,
    const struct opts *o, const char *path, int fd, pid_t pid)
{
	int status, cleanup;

	status = wait_child(pid, &r->wait);
	/* The locks were for while COMMAND runs; removal wants the
	 * descriptors. */
	watch_free(&r->w);

	/* Signals that come now wait until removal is done. */
	if (status < 0) {
		cleanup = remove_made(kind, o, path);
		status = W_EXITCODE(EXIT_CANCELED, 0);
	} else {
		cleanup = finish(kind, o, path, fd, status, r->standdown);
	}
	stand_down_and_close(r->guardian, r->standdown, fd);
	if (WIFSIGNALED(status))
		die_of(WTERMSIG(status));
	status = WEXITSTATUS(status);
	if (status == 0 && cleanup < 0)
		status = EXIT_CANCELED;
	return status;
}

/*
 * Run COMMAND as a child with a guardian beside it, wait, and remove what
 * was made.  While COMMAND runs, ctempfile and the guardian hold a
 * directory PATH open with a shared flock (a file, nothing: see watch.c).
 *
 * A guardian is a safety net: where it cannot be had (descriptors or
 * processes short), COMMAND runs without one, and that is said.
 */
static int run_guarded(enum tmp_kind kind, const struct opts *o,
    const char *path, int fd, char **argv, const char *cd)
{
	struct running r;
	int status = EXIT_CANCELED;
	pid_t pid;

	if (get_ready(&r, kind, o, path, fd) &&
	    (pid = start_command(&r, kind, o, path, fd, argv, cd)) > 0) {
		/* With --output, the unnamed file is published through it. */
		if (fd >= 0 && !(o->out != NULL && !tmp_named(kind))) {
			close(fd);
			fd = -1;
		}
		status = wait_and_finish(&r, kind, o, path, fd, pid);
	}
	watch_free(&r.w);
	names_free(&r.one);
	return status;
}

int run_command(enum tmp_kind kind, const struct opts *o, const char *path,
    int fd)
{
	char fdpath[32], **argv;
	const char *cd = o->cd ? path : NULL;
	bool unnamed = !tmp_named(kind);
	int status;
	size_t argc;

	if (unnamed) {
		snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", o->fd);
		path = fdpath;
	}
	for (argc = 0; o->cmd[argc] != NULL; argc++)
		;
	argv = xmalloc((argc + 1) * sizeof(*argv));
	for (size_t i = 0; i <= argc; i++)
		argv[i] =
		    o->cmd[i] ? replace_all(o->cmd[i], o->replace, path) : NULL;
	if (*o->env != '\0' && setenv(o->env, path, 1) < 0) {
		warn("cannot set %s", quote(o->env));
		status = EXIT_CANCELED;
	} else if ((unnamed || o->keep) && o->out == NULL) {
		/* Nothing to do afterwards: become COMMAND. */
		status = EXIT_CANCELED;
		if (!o->stdin_copy || fill_from_stdin(fd) == 0) {
			guard_done();
			guard_restore();
			status =
			    exec_command(argv, o->fd >= 0 ? fd : -1, o->fd, cd);
		}
	} else {
		status = run_guarded(kind, o, path, fd, argv, cd);
		free_argv(argv, o->cmd);
		return status;
	}
	remove_made(kind, o, path);
	guard_done();
	free_argv(argv, o->cmd);
	return status;
}
