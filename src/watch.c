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
 * costs no CPU and cannot be fooled by the reuse of a process ID.
 *
 * While it waits it holds each directory it made open, so that its inode
 * cannot be reused by another directory at the same name, with a shared
 * flock(2) where the mode lets it be opened for reading: the convention
 * that cleaners of temporary directories honour.  It holds nothing on a
 * regular file (that would keep a removed file's space, and the caller's
 * own exclusive lock, from it); instead it refreshes the file's access
 * time every TOUCH_INTERVAL, which the cleaners that age files by it
 * honour.  The watcher leaves as soon as nothing it made is left at its
 * name, told by dnotify (one signal, with no per-user limit of instances
 * to run out of).  What it cannot remove it reports to the system log.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "src/ctempfile.h"

/*
 * Descriptors a watcher needs besides one for each directory: the three
 * standard ones, the process handle, the directory it works in, the one
 * dnotify reports on, the system log's, and two for a tree's removal.
 */
#define WATCH_FDS 9

/* Seconds between two refreshes of a kept file's access time. */
#define TOUCH_INTERVAL 3600

/*
 * What ctempfile writes to a guardian: ADOPT, "whatever is at the name is
 * yours to remove from now on" (directory -o, around the exchange), or any
 * other byte, "stand down".
 */
#define ADOPT '+'

/* The signal dnotify sends when a name in the directory goes. */
#define SIG_CHANGED SIGURG

/*
 * A watcher whose title does not fit in the caller's argument area starts
 * again with the title as its arguments; its state goes along in a sealed
 * memory file named by this variable, laid out as struct state and then
 * the arrays it counts.
 */
#define STATE_ENV "CTEMPFILE_WATCHER_STATE"
#define STATE_MAGIC 0x63747761U
#define STATE_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

struct state {
	unsigned int magic;
	enum tmp_kind kind;
	bool guardian;
	char term;
	int dirfd, pidfd, standdown;
	long touch;
	size_t nameoff, n, nlocks, buflen, dirlen, proglen;
};

static volatile sig_atomic_t stop, changed;

static void on_stop(int sig)
{
	stop = sig;
}

static void on_changed(int sig)
{
	(void)sig;
	changed = 1;
}

/*
 * A handle on process PID, taken before anything is made, with the
 * descriptors a watcher of COUNT objects of KIND needs: exits with a
 * diagnostic if PID is no running process, cannot be watched, or the
 * descriptor limit cannot be raised far enough.
 */
int watch_open_pid(const char *arg, size_t count, enum tmp_kind kind)
{
	long long pid = parse_number("pid", arg, 1, INT_MAX);
	rlim_t need = (kind == TMP_DIR ? count : 0) + WATCH_FDS, have;
	struct pollfd p;
	int fd;

	have = nofile_raise(need);
	if (have < need)
		errx(exit_failure,
		    "--pid needs %llu open files; the limit is %llu",
		    (unsigned long long)need, (unsigned long long)have);
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
 * Hold the directory NAME in W: open for reading and locked where its mode
 * lets it be, else open only to pin it.  Its descriptor, or -1.
 */
static int hold_dir(struct watch *w, const char *name)
{
	int fd = openat(w->dirfd, name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0) {
		(void)flock(fd, LOCK_SH | LOCK_NB);
		return fd;
	}
	return openat(w->dirfd, name,
	    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * Prepare W for the NAMES (paths of one directory) of KIND: the directory
 * held, each object identified and each directory held.  0, or -1 with
 * errno set if they cannot be held (W is then empty).
 */
int watch_init(struct watch *w, enum tmp_kind kind, struct names *names)
{
	const char *first = names_get(names, 0);
	size_t off = name_offset(first);
	char *dir = off ? xstrdup(first) : xstrdup(".");
	char buf[NAME_MAX + 1];
	struct stat st;
	int fd, error;

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
	if (kind == TMP_DIR)
		w->lockfds = xmalloc(names->n * sizeof(*w->lockfds));
	for (size_t i = 0; i < names->n; i++) {
		const char *base =
		    last_component(names_get(names, i), w->nameoff, buf);

		if (kind == TMP_DIR) {
			fd = hold_dir(w, base);
			if (fd < 0 || fstat(fd, &st) < 0) {
				error = errno;
				names_put(names, i);
				if (fd >= 0)
					close(fd);
				watch_free(w);
				errno = error;
				return -1;
			}
			w->lockfds[w->nlocks++] = fd;
		} else if (fstatat(w->dirfd, base, &st, AT_SYMLINK_NOFOLLOW) <
		    0) {
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
	free(w->gone);
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
		if (w->gone != NULL && w->gone[i]) {
			/* The caller removed it: what is there now is not
			 * ours. */
		} else if (w->kind == TMP_DIR) {
			if (rmtree_at(w->dirfd, base, shown,
				w->adopted ? NULL : &w->ids[i]) < 0)
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
 * as "remove now", whatever the caller ignored, so that a shutdown still
 * cleans up.  SIG_CHANGED says that a name went from the directory.
 */
static void set_signals(bool guardian, sigset_t *wait)
{
	struct sigaction sa = { .sa_handler = on_stop };
	struct sigaction ch = { .sa_handler = on_changed };
	sigset_t ending;

	/* Blocked but inside ppoll(), so that none comes between the check
	 * of `stop` and the wait. */
	guard_all_ending(&ending);
	sigaddset(&ending, SIG_CHANGED);
	sigprocmask(SIG_SETMASK, &ending, NULL);
	sigemptyset(wait);
	sigfillset(&sa.sa_mask);
	sigfillset(&ch.sa_mask);
	sigaction(SIG_CHANGED, &ch, NULL);
	for (int sig = 1; sig < NSIG; sig++) {
		if (!sigismember(&ending, sig) || sig == SIG_CHANGED)
			continue;
		if (guardian || sig == SIGHUP || sig == SIGINT)
			signal(sig, SIG_IGN);
		else
			sigaction(sig, &sa, NULL);
	}
}

/*
 * Ask to be told (SIG_CHANGED) when a name goes from W's directory: the
 * descriptor that asks, or -1 where that cannot be had (the directory is
 * not readable, say): the watcher then waits for its process alone.
 */
static int notify_removals(struct watch *w)
{
	int fd = openat(w->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETSIG, SIG_CHANGED) < 0 ||
	    fcntl(fd, F_NOTIFY, DN_DELETE | DN_RENAME | DN_MULTISHOT) < 0) {
		close(fd);
		return -1;
	}
	w->gone = calloc(w->names->n, sizeof(*w->gone));
	if (w->gone == NULL) {
		close(fd);
		return -1;
	}
	w->left = w->names->n;
	return fd;
}

/*
 * Look again at every name not yet seen gone: gone when nothing is there,
 * or (a directory) another one is.  How many are left.
 */
static size_t count_left(struct watch *w)
{
	char buf[NAME_MAX + 1];
	struct stat st;

	for (size_t i = 0; i < w->names->n; i++) {
		const char *base;

		if (w->gone[i])
			continue;
		base = last_component(names_get(w->names, i), w->nameoff, buf);
		names_put(w->names, i);
		if (fstatat(w->dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0
			? errno == ENOENT
			: w->kind == TMP_DIR &&
			    (st.st_dev != w->ids[i].dev ||
				st.st_ino != w->ids[i].ino)) {
			w->gone[i] = true;
			w->left--;
		}
	}
	return w->left;
}

/*
 * Refresh the access time of each regular file W keeps, by name, never
 * through a link, changing neither its mode nor its content.
 */
static void touch_files(struct watch *w)
{
	static const struct timespec now[2] = { { 0, UTIME_NOW },
		{ 0, UTIME_OMIT } };
	char buf[NAME_MAX + 1];
	struct stat st;

	if (w->kind == TMP_DIR)
		return;
	for (size_t i = 0; i < w->names->n; i++) {
		const char *base;

		if (w->gone != NULL && w->gone[i])
			continue;
		base = last_component(names_get(w->names, i), w->nameoff, buf);
		names_put(w->names, i);
		if (fstatat(w->dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode))
			(void)utimensat(w->dirfd, base, now,
			    AT_SYMLINK_NOFOLLOW);
	}
}

/* The time left until the next refresh at *NEXT, moved on once reached. */
static struct timespec *until(const struct watch *w, struct timespec *next,
    struct timespec *left)
{
	struct timespec now;

	if (w->kind == TMP_DIR)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > next->tv_sec ||
	    (now.tv_sec == next->tv_sec && now.tv_nsec >= next->tv_nsec)) {
		left->tv_sec = left->tv_nsec = 0;
		return left;
	}
	left->tv_sec = next->tv_sec - now.tv_sec;
	left->tv_nsec = next->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_sec--;
		left->tv_nsec += 1000000000L;
	}
	return left;
}

/* The program's own code and constant data, as the linker bounds them. */
extern const char __executable_start[], etext[];

/*
 * Hand the program's code pages back before a long wait: a waiting process
 * runs a few pages of it, and a static binary that no other process maps
 * would otherwise hold all it ran at start as its own.  They are clean
 * file pages, read again if they are needed (kernels before 5.4 keep
 * them).
 */
static void let_go_of_text(void)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t start =
	    (uintptr_t)__executable_start & ~(uintptr_t)(page - 1);

	(void)madvise((void *)start, (size_t)((uintptr_t)etext - start),
	    MADV_PAGEOUT);
}

/* Wait until it is time to remove, then remove and exit. */
static void __attribute__((noreturn)) watch_run(struct watch *w, bool guardian)
{
	struct pollfd p[2];
	struct timespec next, left;
	sigset_t wait;
	bool command_ended = w->pidfd < 0; /* a guardian before COMMAND */
	int n, ready, notify = -1;
	char byte;

	set_signals(guardian, &wait);
	if (!guardian)
		notify = notify_removals(w);
	let_go_of_text();
	clock_gettime(CLOCK_MONOTONIC, &next);
	next.tv_sec += w->touch;
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
		if (changed) {
			changed = 0;
			if (notify >= 0 && count_left(w) == 0)
				_exit(EXIT_SUCCESS); /* nothing left to do */
		}
		ready = ppoll(p, (nfds_t)n, until(w, &next, &left), &wait);
		if (ready == 0) {
			touch_files(w);
			clock_gettime(CLOCK_MONOTONIC, &next);
			next.tv_sec += w->touch;
		}
		for (int i = 0; ready > 0 && i < n; i++) {
			if (p[i].revents == 0)
				continue;
			if (p[i].fd == w->pidfd) {
				command_ended = true;
			} else if (read(w->standdown, &byte, 1) == 1) {
				if (byte != ADOPT)
					_exit(EXIT_SUCCESS); /* stood down */
				w->adopted = true;
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
 * Start again as a fresh process whose only argument is TITLE, so that ps(1)
 * shows all of it: W's state goes along in a sealed memory file, its
 * descriptors stay open.  Returns only where that cannot be done; the
 * watcher then goes on as it is, with its title cut short.
 */
static void reexec(struct watch *w, bool guardian, const char *title)
{
	const char *prog = getprogname();
	struct state st;
	char env[sizeof(STATE_ENV) + 16];
	char *argv[] = { (char *)title, NULL }, *envp[] = { env, NULL };
	int keep[] = { w->dirfd, w->pidfd, w->standdown };
	sigset_t ending;
	int fd = memfd_create("ctempfile-watcher", MFD_ALLOW_SEALING);

	if (fd < 0)
		return;
	memset(&st, 0, sizeof(st)); /* the padding too: all of it is written */
	st.magic = STATE_MAGIC;
	st.kind = w->kind;
	st.guardian = guardian;
	st.term = w->names->term;
	st.dirfd = w->dirfd;
	st.pidfd = w->pidfd;
	st.standdown = w->standdown;
	st.touch = w->touch;
	st.nameoff = w->nameoff;
	st.n = w->names->n;
	st.nlocks = w->nlocks;
	st.buflen = w->names->len;
	st.dirlen = strlen(w->dirpath) + 1;
	st.proglen = strlen(prog) + 1;
	if (write_all(fd, &st, sizeof(st)) < 0 ||
	    write_all(fd, w->ids, st.n * sizeof(*w->ids)) < 0 ||
	    write_all(fd, w->lockfds, st.nlocks * sizeof(*w->lockfds)) < 0 ||
	    write_all(fd, w->names->end, st.n * sizeof(*w->names->end)) < 0 ||
	    write_all(fd, w->names->buf, st.buflen) < 0 ||
	    write_all(fd, w->dirpath, st.dirlen) < 0 ||
	    write_all(fd, prog, st.proglen) < 0 ||
	    fcntl(fd, F_ADD_SEALS, STATE_SEALS) < 0 ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return;
	}
	snprintf(env, sizeof(env), "%s=%d", STATE_ENV, fd);
	for (size_t i = 0; i < sizeof(keep) / sizeof(*keep); i++)
		if (keep[i] >= 0)
			(void)fcntl(keep[i], F_SETFD, 0);
	for (size_t i = 0; i < w->nlocks; i++)
		(void)fcntl(w->lockfds[i], F_SETFD, 0);
	/* The handlers go with the exec; what comes meanwhile waits. */
	guard_all_ending(&ending);
	sigaddset(&ending, SIG_CHANGED);
	sigprocmask(SIG_BLOCK, &ending, NULL);
	execve("/proc/self/exe", argv, envp);
	close(fd);
}

/* Read LEN bytes at once from FD into a new buffer, or NULL. */
static void *read_part(int fd, size_t len, size_t *left)
{
	char *buf;
	ssize_t r;

	if (len > *left)
		return NULL;
	buf = xmalloc(len ? len : 1);
	r = read(fd, buf, len);
	if (r < 0 || (size_t)r != len) {
		free(buf);
		return NULL;
	}
	*left -= len;
	return buf;
}

/*
 * The start of a re-executed watcher: VALUE names the memory file with
 * its state.  Does not return, unless VALUE names no such file: then the
 * call goes on as any other.
 */
void watch_resume(const char *value)
{
	static struct names names;
	struct watch w;
	struct state st;
	struct stat sb;
	size_t left;
	char *prog;
	int fd = (int)strtonum(value, 3, INT_MAX, NULL);

	unsetenv(STATE_ENV);
	/* A memory file this process's parent sealed, and nothing else. */
	if (fd < 3 || fcntl(fd, F_GET_SEALS) != STATE_SEALS ||
	    fstat(fd, &sb) < 0 || read(fd, &st, sizeof(st)) != sizeof(st) ||
	    st.magic != STATE_MAGIC)
		return;
	left = (size_t)sb.st_size - sizeof(st);
	memset(&w, 0, sizeof(w));
	names_init(&names, st.term);
	if (st.n > left / sizeof(*w.ids) || st.nlocks > left / sizeof(int) ||
	    (w.ids = read_part(fd, st.n * sizeof(*w.ids), &left)) == NULL ||
	    (w.lockfds = read_part(fd, st.nlocks * sizeof(int), &left)) ==
		NULL ||
	    (names.end = read_part(fd, st.n * sizeof(size_t), &left)) == NULL ||
	    (names.buf = read_part(fd, st.buflen, &left)) == NULL ||
	    (w.dirpath = read_part(fd, st.dirlen, &left)) == NULL ||
	    (prog = read_part(fd, st.proglen, &left)) == NULL || left != 0 ||
	    st.dirlen == 0 || w.dirpath[st.dirlen - 1] != '\0' ||
	    st.proglen == 0 || prog[st.proglen - 1] != '\0')
		_exit(EXIT_FAILURE);
	close(fd);
	names.n = names.nmax = st.n;
	names.len = names.cap = st.buflen;
	w.kind = st.kind;
	w.names = &names;
	w.nameoff = st.nameoff;
	w.dirfd = st.dirfd;
	w.nlocks = st.nlocks;
	w.touch = st.touch;
	w.pidfd = st.pidfd;
	w.standdown = st.standdown;
	setprogname(prog);
	program_invocation_short_name = prog;
	watch_run(&w, st.guardian);
}

/*
 * Seconds between access-time refreshes: TOUCH_INTERVAL, or shorter where
 * CTEMPFILE_TOUCH_INTERVAL says so (for tests; read before the title
 * takes the environment's place).
 */
static long touch_interval(void)
{
	const char *s = getenv("CTEMPFILE_TOUCH_INTERVAL");
	long long v = s ? strtonum(s, 1, TOUCH_INTERVAL, NULL) : 0;

	return v > 0 ? (long)v : TOUCH_INTERVAL;
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
	bool fits;

	if (pid < 0)
		return -1;
	if (pid > 0)
		return pid;
	w->pidfd = pidfd;
	w->standdown = standdown;
	w->touch = touch_interval();
	fits = title_set(title);
	detach(w);
	if (!fits)
		reexec(w, standdown >= 0, title);
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
	else
		guard_watcher(wpid);
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

/*
 * From now on the guardian on STANDDOWN (if any) removes whatever is at
 * its one name, not only the directory it was made for: around
 * directory -o's exchange, that name holds the new tree, then the old.
 */
void guardian_adopt(int standdown)
{
	if (standdown >= 0)
		(void)!write(standdown, (char[]){ ADOPT }, 1);
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
