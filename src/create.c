/*
 * The one way ctempfile creates anything.  A template is a path with a run
 * of random characters in its last component; each try fills the run
 * afresh and creates exclusively, so an existing name, or a symbolic link
 * planted at it, is never opened.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/ctempfile.h"

static void tmpl_set(struct tmpl *t, char *pattern, size_t randoff,
    size_t nrand)
{
	char *slash;

	t->pattern = pattern;
	t->path = xstrdup(pattern);
	t->dirfd = AT_FDCWD;
	t->randoff = randoff;
	t->nrand = nrand;
	slash = memrchr(pattern, '/', randoff);
	t->nameoff = slash ? (size_t)(slash - pattern) + 1 : 0;
}

/* PATH, which T takes over; its random run is NRAND bytes from RANDOFF. */
void tmpl_from_path(struct tmpl *t, char *path, size_t randoff, size_t nrand)
{
	tmpl_set(t, path, randoff, nrand);
}

/* DIR/PREFIX, NRAND random characters, then SUFFIX. */
void tmpl_from_parts(struct tmpl *t, const char *dir, const char *prefix,
    size_t nrand, const char *suffix)
{
	size_t dlen = strlen(dir), plen = strlen(prefix), slen = strlen(suffix);
	bool slash = dlen > 0 && dir[dlen - 1] != '/';
	char *p = xmalloc(dlen + slash + plen + nrand + slen + 1);
	size_t off = 0;

	memcpy(p, dir, dlen);
	off += dlen;
	if (slash)
		p[off++] = '/';
	memcpy(p + off, prefix, plen);
	off += plen;
	memset(p + off, 'X', nrand);
	memcpy(p + off + nrand, suffix, slen + 1);
	tmpl_set(t, p, off, nrand);
}

void tmpl_free(struct tmpl *t)
{
	free(t->pattern);
	free(t->path);
}

/* T's current name as seen from DIRFD: the whole path, or the last part. */
static const char *name_in(const struct tmpl *t, int dirfd)
{
	return t->path + (dirfd == AT_FDCWD ? 0 : t->nameoff);
}

/* One object at a fresh name: a descriptor for a file, else 0; or -1. */
static int make_one(struct tmpl *t, int dirfd, mode_t mode)
{
	const char *name = name_in(t, dirfd);
	struct stat st;
	int fd;

	for (long tries = 0; tries < TMP_TRIES; tries++) {
		random_chars(t->path + t->randoff, t->nrand, t->alphabet);
		if (t->dry_run) {
			if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				return errno == ENOENT ? 0 : -1;
			errno = EEXIST;
		} else if (t->kind == TMP_DIR) {
			if (mkdirat(dirfd, name, mode) == 0)
				return 0;
		} else {
			fd = openat(dirfd, name,
			    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    mode);
			if (fd >= 0)
				return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/*
 * A file with no name: O_TMPFILE in the template's directory, or where the
 * file system cannot do that, a named file unlinked at once; with
 * TMP_MEMORY, a file in memory.
 */
static int make_unnamed(struct tmpl *t, mode_t mode)
{
	mode_t mask;
	int fd;

	if (t->kind == TMP_MEMORY) {
		fd = memfd_create("ctempfile", MFD_CLOEXEC);
		/* A memfd starts 0777, whatever the umask: apply it here. */
		mask = umask(0);
		umask(mask);
		if (fd >= 0 && fchmod(fd, mode & ~mask) < 0) {
			close(fd);
			return -1;
		}
		return fd;
	}
	if (t->dirfd != AT_FDCWD) {
		fd =
		    openat(t->dirfd, ".", O_RDWR | O_TMPFILE | O_CLOEXEC, mode);
	} else {
		t->path[t->nameoff] = '\0';
		fd = open(t->nameoff ? t->path : ".",
		    O_RDWR | O_TMPFILE | O_CLOEXEC, mode);
		t->path[t->nameoff] = t->pattern[t->nameoff];
	}
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd;
	fd = make_one(t, t->dirfd, mode);
	if (fd >= 0 && unlinkat(t->dirfd, name_in(t, t->dirfd), 0) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Within one call, --dry-run gives COUNT distinct names: none that exists,
 * none twice.  Whether T's name is new in SEEN, which it is added to.
 */
static bool unique(struct strset *seen, const struct tmpl *t)
{
	int added = strset_add(seen, t->path + t->nameoff);

	if (added < 0)
		err(exit_failure, NULL);
	return added == 1;
}

/*
 * COUNT objects from T, each name added to NAMES (which may be NULL for a
 * single one: its name is then T's path).  All or nothing: on failure
 * those already made are removed, and -1 is returned with errno set.  With
 * FDP and a single file, the file stays open there.
 *
 * A termination signal that comes meanwhile is acted on once what this
 * call made is removed again: the process dies of it (see signals.c).
 */
/*
 * The directory a batch of COUNT makes its names in: resolved once, not
 * once per name.  T's own where that is not needed; -1 with *ERROR set
 * where it cannot be opened.
 */
static int batch_dir(const struct tmpl *t, size_t count, int *error)
{
	char *dir;
	int fd;

	if (count <= 1 || t->nameoff == 0 || t->dirfd != AT_FDCWD)
		return t->dirfd;
	dir = xstrdup(t->path);
	dir[t->nameoff] = '\0';
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	*error = fd < 0 ? errno : 0;
	free(dir);
	return fd;
}

/*
 * Undo a tmp_make() that failed: the names it added to NAMES (from MADE
 * on) removed and forgotten, or without NAMES the single object on FD
 * (ISFILE, KEEP_OPEN: as tmp_make() had it) removed.
 */
static void undo_made(struct tmpl *t, struct names *names, size_t made, int fd,
    bool isfile, bool keep_open)
{
	if (names != NULL) {
		if (!t->dry_run) {
			while (names->n > made)
				tmp_remove(names_get(names, --names->n),
				    t->kind);
		}
		names->len = made ? names->end[made - 1] + 1 : 0;
		names->n = made;
	} else if (fd >= 0 && tmp_named(t->kind) && !t->dry_run) {
		if (isfile && keep_open)
			close(fd);
		unlinkat(t->dirfd, name_in(t, t->dirfd),
		    t->kind == TMP_DIR ? AT_REMOVEDIR : 0);
		guard_path(NULL, t->kind);
	}
}

int tmp_make(struct tmpl *t, size_t count, struct names *names, int *fdp)
{
	mode_t mode = t->kind == TMP_DIR ? 0700 : 0600;
	mode_t mask = 0;
	bool isfile = t->kind != TMP_DIR && !t->dry_run;
	bool unnamed = !tmp_named(t->kind);
	bool keep_open = fdp != NULL && count == 1;
	long dups = 0;
	int dirfd, fd = -1, error = 0;
	size_t made = names ? names->n : 0, len = strlen(t->path);
	struct strset seen = { NULL, 0, 0 };

	guard_hold();
	if (names != NULL && !t->dry_run)
		guard_names(names, t->kind);
	/* An exact mode is created as it is, never a moment wider. */
	if (t->mode >= 0) {
		mode = (mode_t)t->mode;
		mask = umask(0);
	}
	dirfd = batch_dir(t, count, &error);
	for (size_t i = 0; i < count && error == 0; i++) {
		if (guard_caught()) {
			error = EINTR;
			break;
		}
		if (names != NULL)
			names_reserve(names, len);
		fd = unnamed ? make_unnamed(t, mode) : make_one(t, dirfd, mode);
		if (fd < 0) {
			error = errno;
			break;
		}
		if (t->dry_run && count > 1 && !unique(&seen, t)) {
			if (++dups == TMP_TRIES) {
				error = EEXIST;
				break;
			}
			i--;
			continue;
		}
		dups = 0;
		if (names != NULL)
			names_add(names, t->path);
		else if (!t->dry_run && !unnamed)
			guard_path(t->path, t->kind);
		if (isfile && !keep_open)
			close(fd);
	}
	if (error == 0 && guard_caught())
		error = EINTR;
	if (t->mode >= 0)
		umask(mask);
	if (dirfd >= 0 && dirfd != t->dirfd)
		close(dirfd);
	strset_free(&seen);
	if (error != 0)
		undo_made(t, names, made, fd, isfile, keep_open);
	guard_release();
	if (error != 0) {
		errno = error;
		return -1;
	}
	if (fdp != NULL)
		*fdp = isfile && keep_open ? fd : -1;
	return 0;
}

int tmp_remove(const char *path, enum tmp_kind kind)
{
	return unlinkat(AT_FDCWD, path, kind == TMP_DIR ? AT_REMOVEDIR : 0);
}

/*
 * Remove the file NAME in DIRFD by name, whatever non-directory it now
 * is (a COMMAND may have replaced it by rename); a directory found there
 * stays.  SHOWN names it in messages.  0, or -1 with the reason told.
 */
int unlink_named(int dirfd, const char *name, const char *shown)
{
	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno == EISDIR)
		warnx("%s is now a directory; left in place", quote(shown));
	else
		warn("cannot remove %s", quote(shown));
	return -1;
}

/*
 * Hand the NAMES just made (of KIND) over: start the watcher of --pid
 * (PIDFD, for process PID; -1 for none), then print them.  What cannot be
 * handed over is removed again (a dry run made nothing) and the watcher
 * stopped.  0; -1 if the watcher could not start (said); or the errno of
 * the write that failed (not said: each form words it its own way).
 */
int tmp_hand_over(struct names *names, enum tmp_kind kind, bool dry_run,
    int pidfd, const char *pid)
{
	pid_t watcher = 0;
	int error;

	if (pidfd >= 0 &&
	    (watcher = watch_names(pidfd, pid, kind, names)) < 0) {
		tmp_remove_all(names, kind);
		return -1;
	}
	error = names_write(names);
	if (error != 0) {
		if (watcher > 0)
			watch_cancel(watcher);
		if (!dry_run)
			tmp_remove_all(names, kind);
	}
	return error;
}

/* Remove every name made; 0, or -1 with errno of the first failure. */
int tmp_remove_all(struct names *names, enum tmp_kind kind)
{
	int error = 0;

	for (size_t i = 0; i < names->n; i++) {
		if (tmp_remove(names_get(names, i), kind) < 0 && error == 0)
			error = errno;
		names_put(names, i);
	}
	errno = error;
	return error ? -1 : 0;
}
