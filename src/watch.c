/*
 * Removing what was made once a process has ended, whoever ends first.
 *
 * Two users share it.  The watcher of --pid outlives ctempfile and removes
 * what one call made when the process PID ends.  The guardian stands in
 * for ctempfile while COMMAND runs: if ctempfile is killed, it removes
 * what was made once COMMAND has ended; if not, ctempfile removes it
 * itself and tells the guardian to stand down.
 *
 * Either is a process of its own, in its own session (so that killing the
 * caller's process group does not reach it), in "/", holding none of the
 * caller's descriptors (so that a "$(...)" or a pipe reading the caller's
 * output sees its end at once).  It waits in ppoll(2) on a pidfd, which
 * costs no CPU and cannot be fooled by the reuse of a process ID.  While
 * it waits it holds a shared flock(2) on what was made, the convention
 * that cleaners of temporary directories honour.  What it cannot remove
 * it reports to the system log.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* Descriptors kept free for the tree removal when locking many objects. */
#define FD_SPARE 64

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	stop = sig;
}

/*
 * A handle on process PID, taken before anything is made: exits with a
 * diagnostic naming PID if it is no running process or cannot be watched.
 */
int watch_open_pid(const char *arg)
{
	long long pid = parse_number("pid", arg, 1, INT_MAX);
	struct pollfd p;
	int fd;

	/* A pidfd is close-on-exec from the start. */
	fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (fd < 0)
		err(exit_failure, "cannot watch process %lld", pid);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 0) > 0)
		errx(exit_failure, "cannot watch process %lld: it has ended",
		    pid);
	return fd;
}

/* The last component of PATH, in BUF (NAME_MAX + 1 bytes) without the
 * trailing slashes that GNU templates allow. */
static const char *last_component(const char *path, size_t nameoff, char *buf)
{
	size_t len = strlen(path + nameoff);

	while (len > 0 && path[nameoff + len - 1] == '/')
		len--;
	if (len > NAME_MAX)
		len = NAME_MAX;
	memcpy(buf, path + nameoff, len);
	buf[len] = '\0';
	return buf;
}

/* Where the last component of PATH starts, trailing slashes aside. */
static size_t name_offset(const char *path)
{
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	while (len > 0 && path[len - 1] != '/')
		len--;
	return len;
}

/*
 * Prepare W for the NAMES (paths of one directory) of KIND: the directory
 * held, each object identified and, while descriptors last, locked.  0,
 * or -1 with errno set if the directory cannot be held (W is then empty).
 */
int watch_init(struct watch *w, enum tmp_kind kind, struct names *names)
{
	const char *first = names_get(names, 0);
	size_t off = name_offset(first);
	char *dir = off ? xstrdup(first) : xstrdup(".");
	char buf[NAME_MAX + 1];
	struct rlimit rl;
	size_t room = 0;
	struct stat st;

	names_put(names, 0);
	if (off > 0)
		dir[off == 1 ? 1 : off - 1] = '\0';
	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->names = names;
	w->pidfd = w->standdown = -1;
	w->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0) {
		free(dir);
		return -1;
	}
	w->dirpath = path_absolute(dir);
	free(dir);
	w->nameoff = off;
	w->ids = xmalloc(names->n * sizeof(*w->ids));
	w->lockfds = xmalloc(names->n * sizeof(*w->lockfds));

	/* Locks take a descriptor each: as many as the limit allows,
	 * raised only if needed (a COMMAND would inherit it). */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < names->n + FD_SPARE &&
		    rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		room = rl.rlim_cur > FD_SPARE ? rl.rlim_cur - FD_SPARE : 0;
	}
	for (size_t i = 0; i < names->n; i++) {
		const char *base =
		    last_component(names_get(names, i), w->nameoff, buf);
		int fd = -1;

		if (w->nlocks < room)
			fd = openat(w->dirfd, base,
			    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
				(kind == TMP_DIR ? O_DIRECTORY : 0));
		if (fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) == 0 &&
		    fstat(fd, &st) == 0) {
			w->lockfds[w->nlocks++] = fd;
		} else {
			if (fd >= 0)
				close(fd);
			if (fstatat(w->dirfd, base, &st, AT_SYMLINK_NOFOLLOW) <
			    0)
				st.st_dev = st.st_ino = 0;
		}
		names_put(names, i);
		w->ids[i] = (struct ident){ st.st_dev, st.st_ino };
	}
	return 0;
}

void watch_free(struct watch *w)
{
	for (size_t i = 0; i < w->nlocks; i++)
		close(w->lockfds[i]);
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w->lockfds);
	free(w->ids);
	free(w->dirpath);
	memset(w, 0, sizeof(*w));
	w->dirfd = w->pidfd = w->standdown = -1;
}

/* Remove everything W names; what stays is told (to the system log). */
static int remove_all(struct watch *w)
{
	int status = 0;

	for (size_t i = 0; i < w->names->n; i++) {
		char buf[NAME_MAX + 1];
		const char *base =
		    last_component(names_get(w->names, i), w->nameoff, buf);
		size_t len = strlen(w->dirpath) + 1 + strlen(base) + 1;
		char *shown = xmalloc(len);

		snprintf(shown, len, "%s%s%s", w->dirpath,
		    w->dirpath[strlen(w->dirpath) - 1] == '/' ? "" : "/", base);
		if (w->kind == TMP_DIR) {
			if (rmtree_at(w->dirfd, base, shown, &w->ids[i]) < 0)
				status = -1;
		} else if (unlink_named(w->dirfd, base, shown) < 0) {
			status = -1;
		}
		names_put(w->names, i);
		free(shown);
	}
	return status;
}

/* Each line written to standard error goes to the system log instead. */
static ssize_t to_syslog(void *cookie, const char *buf, size_t len)
{
	static char line[1024];
	static size_t used;
	size_t prefix = strlen(getprogname()) + 2;

	(void)cookie;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n' && used + 1 < sizeof(line)) {
			line[used++] = buf[i];
			continue;
		}
		if (buf[i] != '\n')
			continue;
		line[used] = '\0';
		/* "ctempfile: " is the log's own ident already. */
		syslog(LOG_WARNING, "%s",
		    strncmp(line, getprogname(), prefix - 2) == 0 &&
			    used >= prefix
			? line + prefix
			: line);
		used = 0;
	}
	return (ssize_t)len;
}

/* Close every descriptor but those in KEEP (N of them, ascending). */
static void close_others(const int *keep, size_t n)
{
	unsigned int from = 3;

	for (size_t i = 0; i < n; i++) {
		if ((unsigned int)keep[i] > from)
			close_range(from, (unsigned int)keep[i] - 1, 0);
		if ((unsigned int)keep[i] + 1 > from)
			from = (unsigned int)keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Diagnostics to the system log from now on: set up only when there is
 * removing to do, so that a waiting process touches as little as it can.
 */
static void log_to_syslog(void)
{
	cookie_io_functions_t io = { .write = to_syslog };
	FILE *log;

	openlog(getprogname(), LOG_PID, LOG_USER);
	log = fopencookie(NULL, "w", io);
	if (log != NULL) {
		setvbuf(log, NULL, _IONBF, 0);
		stderr = log;
	}
}

/*
 * Leave everything of the caller's behind: a session of its own, "/",
 * /dev/null on the standard descriptors, no other descriptor but W's.
 */
static void detach(struct watch *w)
{
	size_t n = 0;
	int *keep = xmalloc((w->nlocks + 3) * sizeof(*keep));
	int null;

	setsid();
	if (chdir("/") < 0)
		_exit(EXIT_FAILURE);
	/* Without /dev/null, closed descriptors still let go of the
	 * caller's. */
	null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd <= 2; fd++) {
		if (null < 0)
			close(fd);
		else if (null != fd)
			dup2(null, fd);
	}
	if (null > 2)
		close(null);
	keep[n++] = w->dirfd;
	if (w->pidfd >= 0)
		keep[n++] = w->pidfd;
	if (w->standdown >= 0)
		keep[n++] = w->standdown;
	for (size_t i = 0; i < w->nlocks; i++)
		keep[n++] = w->lockfds[i];
	qsort(keep, n, sizeof(*keep), cmp_int);
	close_others(keep, n);
	free(keep);
}

/*
 * The guardian ignores every signal it can: while ctempfile lives, it is
 * only a spare, and once it stands in, nothing should stop it.  The
 * watcher ignores SIGHUP and SIGINT, and takes every other ending signal
 * as "remove now", so that a shutdown still cleans up.
 */
static void set_signals(bool guardian, sigset_t *wait)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t ending;

	/* Blocked but inside ppoll(), so that none comes between the check
	 * of `stop` and the wait. */
	guard_ending(&ending);
	sigprocmask(SIG_SETMASK, &ending, NULL);
	sigemptyset(wait);
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (!sigismember(&ending, sig))
			continue;
		if (guardian || sig == SIGHUP || sig == SIGINT)
			signal(sig, SIG_IGN);
		else
			sigaction(sig, &sa, NULL);
	}
}

/* Wait until it is time to remove, then remove and exit. */
static void __attribute__((noreturn)) watch_run(struct watch *w, bool guardian)
{
	struct pollfd p[2];
	sigset_t wait;
	bool command_ended = w->pidfd < 0; /* a guardian before COMMAND */
	char byte;
	int n;

	set_signals(guardian, &wait);
	for (;;) {
		n = 0;
		if (!command_ended)
			p[n++] =
			    (struct pollfd){ .fd = w->pidfd, .events = POLLIN };
		if (w->standdown >= 0)
			p[n++] = (struct pollfd){ .fd = w->standdown,
				.events = POLLIN };
		if (stop != 0 || (n == 0))
			break;
		if (ppoll(p, (nfds_t)n, NULL, &wait) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (p[i].revents == 0)
				continue;
			if (p[i].fd == w->pidfd) {
				command_ended = true;
			} else if (read(w->standdown, &byte, 1) == 1) {
				_exit(EXIT_SUCCESS); /* stood down */
			} else {
				/* ctempfile ended without a word. */
				close(w->standdown);
				w->standdown = -1;
			}
		}
		/* The guardian removes once ctempfile is gone and COMMAND has
		 * ended; the watcher once its process has ended. */
		if (command_ended && w->standdown < 0)
			break;
	}
	log_to_syslog();
	_exit(remove_all(w) < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
}

/*
 * Start a watcher (PIDFD, no STANDDOWN) or a guardian (PIDFD of COMMAND or
 * -1 before there is one, STANDDOWN the read end of a pipe that ctempfile
 * writes one byte to, or closes by dying): its pid, or -1 with errno set.
 */
static pid_t watch_start(struct watch *w, int pidfd, int standdown,
    const char *title)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid > 0)
		return pid;
	w->pidfd = pidfd;
	w->standdown = standdown;
	title_set(title);
	detach(w);
	watch_run(w, standdown >= 0);
}

/*
 * The watcher of --pid for the NAMES one call made: started before they
 * are printed, with the locks taken, so that a reader of the names finds
 * everything in place.  Its pid, or -1 (with a diagnostic).
 */
pid_t watch_names(int pidfd, const char *pid, enum tmp_kind kind,
    struct names *names)
{
	struct watch w;
	char title[512], more[32] = "";
	pid_t wpid;

	if (watch_init(&w, kind, names) < 0) {
		warn("cannot start the watcher");
		close(pidfd);
		return -1;
	}
	if (names->n > 1)
		snprintf(more, sizeof(more), " and %zu more", names->n - 1);
	snprintf(title, sizeof(title), "%s watcher: removes %s%s when %s ends",
	    getprogname(), names_get(names, 0), more, pid);
	names_put(names, 0);
	wpid = watch_start(&w, pidfd, -1, title);
	if (wpid < 0)
		warn("cannot start the watcher");
	watch_free(&w);
	close(pidfd);
	return wpid;
}

/* Stop a watcher whose names could not be handed over. */
void watch_cancel(pid_t wpid)
{
	kill(wpid, SIGKILL);
	waitpid(wpid, NULL, 0);
}

/*
 * The guardian of what W names: it removes them if ctempfile is killed,
 * once COMMAND's process PID has ended (at once with no PID: what was made
 * was not handed to anyone yet).  ctempfile tells it to stand down through
 * *STANDDOWN.  Its pid, or -1 with errno set.
 */
pid_t guardian_start(struct watch *w, pid_t pid, int *standdown)
{
	char title[512];
	pid_t guardian;
	int sd[2], pidfd = -1, error;

	/* Taken before COMMAND can end and be reaped: it is that process. */
	if (pid > 0 && (pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0)
		return -1;
	if (pipe2(sd, O_CLOEXEC) < 0) {
		error = errno;
		if (pidfd >= 0)
			close(pidfd);
		errno = error;
		return -1;
	}
	if (pid > 0)
		snprintf(title, sizeof(title),
		    "%s guardian: removes %s once %ld ends, if %s %ld is killed",
		    getprogname(), names_get(w->names, 0), (long)pid,
		    getprogname(), (long)getpid());
	else
		snprintf(title, sizeof(title),
		    "%s guardian: removes %s if %s %ld is killed",
		    getprogname(), names_get(w->names, 0), getprogname(),
		    (long)getpid());
	names_put(w->names, 0);
	guardian = watch_start(w, pidfd, sd[0], title);
	error = errno;
	if (pidfd >= 0)
		close(pidfd);
	close(sd[0]);
	if (guardian < 0) {
		close(sd[1]);
		errno = error;
		return -1;
	}
	*standdown = sd[1];
	return guardian;
}

/*
 * A guardian for the one PATH of KIND while no COMMAND runs yet, for a
 * phase that lasts as long as the input or the disk: its pid, or -1 (said:
 * the phase goes on without one).
 */
pid_t guardian_for(const char *path, enum tmp_kind kind, int *standdown)
{
	struct names one;
	struct watch w;
	pid_t guardian;

	names_init(&one, '\n');
	names_add(&one, path);
	guardian = -1;
	if (watch_init(&w, kind, &one) == 0)
		guardian = guardian_start(&w, 0, standdown);
	if (guardian < 0)
		warn("no guardian for %s", quote(path));
	watch_free(&w);
	names_free(&one);
	return guardian;
}

/* The guardian's work is done: ctempfile removed or handed over all. */
void guardian_stand_down(pid_t guardian, int standdown)
{
	if (guardian < 0)
		return;
	if (write(standdown, "", 1) != 1)
		kill(guardian, SIGKILL);
	close(standdown);
	waitpid(guardian, NULL, 0);
}
