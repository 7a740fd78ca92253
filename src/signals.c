/*
 * What a signal does to ctempfile while something it made is not yet
 * handed over (printed, or given to COMMAND): whatever way the call ends
 * short of SIGKILL, what it made goes first.
 *
 * A termination signal runs a handler.  Where the main flow holds the
 * guard (it is creating, or changing the list of what it made), the
 * handler only notes the signal and the main flow acts on it when it lets
 * go; elsewhere, notably while blocked reading standard input or writing
 * the names, the handler itself removes what was made and dies of the
 * signal, so there is no moment between a check and a blocking call where
 * a signal could wait unnoticed.  Real-time signals are held blocked
 * instead (one system call rather than thirty handlers), and reach
 * COMMAND as they were.
 *
 * A call that makes and prints one name takes a lighter guard: one
 * sigprocmask(2) blocks the ending signals (and SIGPIPE, SIGXFSZ and the
 * real-time ones) while it makes and prints, and guard_done() looks at
 * what is pending before the name counts as handed over: a signal that
 * came meanwhile removes what was made and ends the call, as a handler
 * would have.  Only printing could block for long (a full pipe, a stopped
 * terminal), and a blocked signal must not wait for it: where standard
 * output is not ready for writing, the handlers are taken after all.
 *
 * SIGPIPE and SIGXFSZ are ignored, so that a closed reader and a file size
 * limit are errors to handle (EPIPE, EFBIG), never a death halfway; SIGCHLD
 * is at its default, so that a caller ignoring it cannot take COMMAND's
 * status away.  COMMAND gets back the dispositions and the mask ctempfile
 * was started with.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* Asynchronous signals whose default action ends the process. */
static const int ending[] = {
	SIGHUP,
	SIGINT,
	SIGQUIT,
	SIGTERM,
	SIGALRM,
	SIGUSR1,
	SIGUSR2,
	SIGXCPU,
	SIGVTALRM,
	SIGPROF,
	SIGIO,
	SIGPWR,
	SIGSTKFLT,
};

/* Signals whose disposition is changed for ctempfile alone. */
static const struct {
	int sig;
	void (*handler)(int);
} changed[] = {
	{ SIGPIPE, SIG_IGN },
	{ SIGXFSZ, SIG_IGN },
	{ SIGCHLD, SIG_DFL },
};

#define NCHANGED (sizeof(changed) / sizeof(changed[0]))

static struct sigaction orig_changed[NCHANGED];
static sigset_t orig_mask, ending_set;
static bool installed, light; /* handlers taken; light guard (blocked) */

static volatile sig_atomic_t caught, held;

/* What to remove if a signal comes: a list of names, or one path. */
static const struct names *target_names;
static const char *target_path;
static enum tmp_kind target_kind;
static pid_t target_watcher; /* its watcher, not yet handed over either */

void die_of(int sig)
{
	struct rlimit none = { 0, 0 };
	sigset_t set;

	setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* A signal whose default is to go on living: say it with a status. */
	_exit(128 + sig);
}

/* unlink() of name I of NL, without allocating: safe in a handler. */
static void undo_name(const struct names *nl, size_t i, int flags)
{
	char buf[PATH_MAX];
	size_t start = i ? nl->end[i - 1] + 1 : 0;
	size_t len = nl->end[i] - start;

	if (len >= sizeof(buf))
		return;
	memcpy(buf, nl->buf + start, len);
	buf[len] = '\0';
	unlinkat(AT_FDCWD, buf, flags);
}

/*
 * Remove what was made and not handed over.  Directories are removed only
 * if empty: nobody was told their names, so nobody put anything in them.
 */
static void undo(void)
{
	int flags = target_kind == TMP_DIR ? AT_REMOVEDIR : 0;
	int error = errno;

	if (target_watcher > 0)
		kill(target_watcher, SIGKILL);
	if (target_names != NULL) {
		for (size_t i = target_names->n; i-- > 0;)
			undo_name(target_names, i, flags);
	}
	if (target_path != NULL)
		unlinkat(AT_FDCWD, target_path, flags);
	errno = error;
}

static void on_signal(int sig)
{
	caught = sig;
	if (held)
		return;
	undo();
	die_of(sig);
}

/*
 * Handlers for the ending signals (except those ignored at start, which
 * stay ignored), and the dispositions of `changed` set.
 */
static void install(void)
{
	struct sigaction sa, old;

	installed = true;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	sigemptyset(&ending_set);
	for (size_t i = 0; i < sizeof(ending) / sizeof(ending[0]); i++) {
		sigaction(ending[i], &sa, &old);
		if (old.sa_handler == SIG_IGN)
			sigaction(ending[i], &old, NULL);
		else
			sigaddset(&ending_set, ending[i]);
	}
	for (size_t i = 0; i < NCHANGED; i++) {
		struct sigaction c = { .sa_handler = changed[i].handler };

		sigaction(changed[i].sig, &c, &orig_changed[i]);
	}
}

static void add_realtime(sigset_t *set)
{
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaddset(set, sig);
}

/* Take over the signals: handlers, and the real-time ones blocked. */
void guard_init(void)
{
	sigset_t rt;

	if (installed || light)
		return;
	install();
	sigemptyset(&rt);
	add_realtime(&rt);
	sigprocmask(SIG_BLOCK, &rt, &orig_mask);
}

/* The light guard, for a call that makes and prints one name (above). */
void guard_init_one(void)
{
	sigset_t set;

	if (installed || light)
		return;
	light = true;
	guard_all_ending(&set);
	sigaddset(&set, SIGPIPE);
	sigaddset(&set, SIGXFSZ);
	add_realtime(&set);
	sigprocmask(SIG_BLOCK, &set, &orig_mask);
}

/*
 * Under the light guard, what is about to be written to FD must not wait
 * with the signals blocked: unless FD is ready, take the handlers and let
 * the signals in (one that came meanwhile acts at once).
 */
void guard_writing(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	sigset_t mask = orig_mask;

	if (!light ||
	    (poll(&p, 1, 0) == 1 && (p.revents & (POLLOUT | POLLERR)) != 0))
		return;
	light = false;
	install();
	add_realtime(&mask);
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

/*
 * Under the light guard: an ending signal that came while it was blocked,
 * and that neither the caller blocked nor ignored, removes what was made
 * and ends the call.
 */
static void check_pending(void)
{
	struct sigaction sa;
	sigset_t pending;

	if (!light || sigpending(&pending) < 0 || sigisemptyset(&pending))
		return;
	for (size_t i = 0; i < sizeof(ending) / sizeof(ending[0]); i++) {
		int sig = ending[i];

		if (!sigismember(&pending, sig) ||
		    sigismember(&orig_mask, sig) ||
		    sigaction(sig, NULL, &sa) < 0 || sa.sa_handler == SIG_IGN)
			continue;
		undo();
		die_of(sig);
	}
}

/* Every ending signal, whatever the caller ignored: for the watcher. */
void guard_all_ending(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(ending) / sizeof(ending[0]); i++)
		sigaddset(set, ending[i]);
}

/*
 * The signals this process ignores, from /proc/self/status (one read, where
 * asking sigaction(2) about each real-time signal takes thirty calls):
 * true if IGNORED could be filled.
 */
static bool ignored_now(unsigned long long *ignored)
{
	char buf[4096];
	const char *line;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	line = strstr(buf, "\nSigIgn:\t");
	if (line == NULL)
		return false;
	*ignored = strtoull(line + 9, NULL, 16);
	return true;
}

/* The ending signals ctempfile takes over, real-time ones included. */
void guard_ending(sigset_t *set)
{
	unsigned long long ignored;
	bool known = SIGRTMAX <= 64 && ignored_now(&ignored);
	struct sigaction sa;

	*set = ending_set;
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
		if (known ? !(ignored >> (sig - 1) & 1)
			  : sigaction(sig, NULL, &sa) == 0 &&
			    sa.sa_handler != SIG_IGN)
			sigaddset(set, sig);
	}
}

/*
 * With the ending signals blocked (waiting for COMMAND), let them in, or
 * hold them again, around a phase that may block for as long as its input
 * lasts: their handler then removes what was made and dies of them.
 */
void guard_let_in(bool in)
{
	sigprocmask(in ? SIG_UNBLOCK : SIG_BLOCK, &ending_set, NULL);
}

/* For COMMAND, between fork and exec: what ctempfile was started with. */
void guard_restore(void)
{
	if (!installed)
		return;
	for (size_t i = 0; i < NCHANGED; i++)
		sigaction(changed[i].sig, &orig_changed[i], NULL);
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
}

/* A signal noted while held: remove what was made, and die of it. */
static void guard_check_held(void)
{
	if (caught != 0) {
		undo();
		die_of(caught);
	}
}

void guard_check(void)
{
	if (held == 0)
		guard_check_held();
}

/* What a signal must remove from now on: the names in NL. */
void guard_names(const struct names *nl, enum tmp_kind kind)
{
	guard_hold();
	target_names = nl;
	target_kind = kind;
	guard_release();
}

/* The same for one PATH. */
void guard_path(const char *path, enum tmp_kind kind)
{
	guard_hold();
	target_path = path;
	target_kind = kind;
	guard_release();
}

/* The watcher of what was made goes too, if a signal comes first. */
void guard_watcher(pid_t pid)
{
	guard_hold();
	target_watcher = pid;
	guard_release();
}

/*
 * Handed over: a signal from now on no longer removes anything.  One that
 * came before still does.
 */
void guard_done(void)
{
	guard_hold();
	guard_check_held();
	check_pending();
	target_names = NULL;
	target_path = NULL;
	target_watcher = 0;
	held--;
}

void guard_hold(void)
{
	held++;
}

/* Let go; a signal that came meanwhile now removes and ends the call. */
void guard_release(void)
{
	if (--held == 0)
		guard_check();
}

bool guard_caught(void)
{
	return caught != 0;
}

/* Out of memory, or another fatal error: remove what was made, then exit. */
void guard_undo(void)
{
	held++;
	undo();
}
