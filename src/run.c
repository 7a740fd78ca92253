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
	bool named = tmp_named(kind), guarded = named;
	struct names one;
	struct watch w = { .dirfd = -1, .pidfd = -1, .standdown = -1 };
	sigset_t wait;
	int go[2] = { -1, -1 }, standdown = -1, status, cleanup;
	pid_t pid, guardian = -1;

	names_init(&one, '\n');
	names_add(&one, path);
	if (guarded && watch_init(&w, kind, &one) < 0) {
		warn("no guardian for %s", quote(path));
		guarded = false;
	}
	if ((named || o->stdin_copy) && pipe2(go, O_CLOEXEC) < 0) {
		if (guarded)
			warn("no guardian for %s", quote(path));
		guarded = false;
		watch_free(&w);
		go[0] = go[1] = -1;
		/* Without the word to wait for, COMMAND waits for nothing. */
		if (o->stdin_copy && fill_from_stdin(fd) < 0) {
			remove_made(kind, o, path);
			guard_done();
			status = EXIT_CANCELED;
			goto out;
		}
	}
	block_signals(&wait);
	pid = fork();
	if (pid < 0) {
		warn("cannot fork");
		remove_made(kind, o, path);
		guard_done();
		if (go[0] >= 0) {
			close(go[0]);
			close(go[1]);
		}
		status = EXIT_CANCELED;
		goto out;
	}
	if (pid == 0)
		child(kind, o, path, fd, argv, cd, go);
	if (!let_go(o, path, fd, guarded ? &w : NULL, pid, go, &guardian,
		&standdown)) {
		/* The child removes and leaves; so does ctempfile. */
		waitpid(pid, NULL, 0);
		remove_made(kind, o, path);
		guard_done();
		stand_down_and_close(guardian, standdown, fd);
		status = EXIT_CANCELED;
		goto out;
	}
	/* Handed over: from now on signals wait, or go to COMMAND. */
	guard_done();
	/* With --output, the unnamed file is published through it. */
	if (fd >= 0 && !(o->out != NULL && !named)) {
		close(fd);
		fd = -1;
	}
	status = wait_child(pid, &wait);
	/* The locks were for while COMMAND runs; removal wants the
	 * descriptors. */
	watch_free(&w);

	/* Signals that come now wait until removal is done. */
	if (status < 0) {
		cleanup = remove_made(kind, o, path);
		status = W_EXITCODE(EXIT_CANCELED, 0);
	} else {
		cleanup = finish(kind, o, path, fd, status, standdown);
	}
	stand_down_and_close(guardian, standdown, fd);
	if (WIFSIGNALED(status))
		die_of(WTERMSIG(status));
	status = WEXITSTATUS(status);
	if (status == 0 && cleanup < 0)
		status = EXIT_CANCELED;
out:
	watch_free(&w);
	names_free(&one);
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
