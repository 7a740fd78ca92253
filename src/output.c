/*
 * --output: the temporary replaces FILE in one step, so that a reader sees
 * the old FILE or the new one, never a part of either.  The temporary is
 * made in FILE's directory, so that the last step is a rename(2) within
 * one file system; its data, and then the directory, are flushed to
 * stable storage around that rename unless --no-sync.
 *
 * FILE is resolved once, before anything is made, as the kernel resolves
 * it for a shell's "> FILE": its directory is opened (following links),
 * and a link in the last component is read and followed relative to the
 * directory that holds it.  From then on everything is done relative to
 * that directory's descriptor, so a directory renamed meanwhile is still
 * the one worked in.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* Links followed before giving up, as the kernel does. */
#define MAX_LINKS 40

/* What of an existing FILE, beyond its mode and owner, the new one keeps:
 * its POSIX access ACL (as sed -i keeps it) and its SELinux label. */
static const struct {
	const char *name;
	bool needed; /* failing to set it fails the replacement */
} kept_attrs[] = {
	{ "system.posix_acl_access", true },
	{ "security.selinux", false },
};

/* PATH cut at its last slash: the directory ("." if none) and the name. */
static void split(const char *path, char **dir, char **base)
{
	const char *slash = strrchr(path, '/');
	size_t len;

	if (slash == NULL) {
		*dir = xstrdup(".");
		*base = xstrdup(path);
		return;
	}
	len = slash == path ? 1 : (size_t)(slash - path);
	*dir = xmalloc(len + 1);
	memcpy(*dir, path, len);
	(*dir)[len] = '\0';
	*base = xstrdup(slash + 1);
}

static char *join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), nlen = strlen(name);
	bool slash = dlen > 0 && dir[dlen - 1] != '/';
	char *p = xmalloc(dlen + slash + nlen + 1);

	memcpy(p, dir, dlen);
	if (slash)
		p[dlen] = '/';
	memcpy(p + dlen + slash, name, nlen + 1);
	return p;
}

/*
 * FILE, or the link it is, ends in a slash (or is empty): refused with
 * what a redirection gets, which under O_CREAT is EISDIR whatever is
 * there.
 */
static void __attribute__((noreturn))
refuse_slash(const char *file, const char *path)
{
	errc(exit_failure, *path == '\0' ? ENOENT : EISDIR,
	    "cannot write to %s", quote(file));
}

/* The target of the link NAME in DIRFD, of SIZE bytes as lstat said. */
static char *read_link(const char *file, int dirfd, const char *name,
    off_t size)
{
	size_t cap = size > 0 && size < PATH_MAX ? (size_t)size + 1 : PATH_MAX;
	char *target = xmalloc(cap);
	ssize_t n = readlinkat(dirfd, name, target, cap - 1);

	if (n < 0)
		err(exit_failure, "%s", quote(file));
	target[n] = '\0';
	return target;
}

/*
 * FILE resolved into OUT: its directory opened and named, its last
 * component, and what is there now.  A directory that cannot be opened is
 * told when the temporary cannot be made in it.
 */
static void resolve(struct output *out, const char *path)
{
	char *dirstr, *base, *target, *tdir, *tbase, *next;
	int dirfd, fd, links = 0;
	struct stat st;

	split(path, &dirstr, &base);
	dirfd = open(dirstr, O_PATH | O_DIRECTORY | O_CLOEXEC);
	while (dirfd >= 0) {
		if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				err(exit_failure, "%s", quote(out->file));
			break;
		}
		if (!S_ISLNK(st.st_mode)) {
			out->exists = true;
			out->st = st;
			break;
		}
		if (++links > MAX_LINKS)
			errc(exit_failure, ELOOP, "%s", quote(out->file));
		target = read_link(out->file, dirfd, base, st.st_size);
		if (*target == '\0' || target[strlen(target) - 1] == '/')
			refuse_slash(out->file, target);
		split(target, &tdir, &tbase);
		free(base);
		base = tbase;
		if (strchr(target, '/') != NULL) {
			/* Relative to the directory that holds the link. */
			fd = openat(dirfd, tdir,
			    O_PATH | O_DIRECTORY | O_CLOEXEC);
			next = target[0] == '/' ? xstrdup(tdir)
						: join(dirstr, tdir);
			close(dirfd);
			dirfd = fd;
			free(dirstr);
			dirstr = next;
		}
		free(tdir);
		free(target);
	}
	out->dirfd = dirfd;
	out->dir_error = dirfd < 0 ? errno : 0;
	out->base = base;
	out->dir = dirfd >= 0 ? realpath(dirstr, NULL) : NULL;
	if (out->dir == NULL)
		out->dir = path_absolute(dirstr);
	free(dirstr);
}

/*
 * Resolve FILE for OUT and refuse, before anything is made, what cannot
 * be replaced: a directory, or anything else but a regular file.  A
 * missing or unwritable directory is refused when the temporary cannot
 * be made in it.
 */
void output_prepare(struct output *out, const char *file)
{
	size_t len = strlen(file);

	memset(out, 0, sizeof(*out));
	out->file = file;
	if (len == 0 || file[len - 1] == '/')
		refuse_slash(file, file);
	resolve(out, file);
	if (!out->exists)
		return;
	if (S_ISDIR(out->st.st_mode))
		errc(exit_failure, EISDIR, "cannot write to %s", quote(file));
	if (!S_ISREG(out->st.st_mode))
		errx(exit_failure, "cannot write to %s: not a regular file",
		    quote(file));
}

/* Whether NAME in DIRFD is a mount point (a bind mount included). */
static bool mount_point(int dirfd, const char *name)
{
	struct statx top, parent;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_INO, &top) < 0 ||
	    statx(dirfd, "", AT_EMPTY_PATH, STATX_INO, &parent) < 0)
		return false;
	return mount_root(&top, 0,
	    makedev(parent.stx_dev_major, parent.stx_dev_minor));
}

/*
 * Resolve DIR for `directory -o` into OUT as output_prepare() resolves a
 * FILE (trailing slashes allowed), and refuse, before anything is made,
 * what cannot be replaced: anything but a directory, a mount point, and a
 * name that is not one of its own in its parent ("/", ".", "..").
 */
void output_prepare_dir(struct output *out, const char *dir)
{
	size_t len = strlen(dir);
	const char *base;
	char *path;

	memset(out, 0, sizeof(*out));
	out->file = dir;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	path = xmalloc(len + 1);
	memcpy(path, dir, len);
	path[len] = '\0';
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		errx(exit_failure,
		    "cannot replace %s: it is not a name in a parent directory",
		    quote(dir));
	resolve(out, path);
	free(path);
	if (!out->exists)
		return;
	if (!S_ISDIR(out->st.st_mode))
		errc(exit_failure, ENOTDIR, "cannot replace %s", quote(dir));
	if (mount_point(out->dirfd, out->base))
		errx(exit_failure, "cannot replace %s: it is a mount point",
		    quote(dir));
}

void output_free(struct output *out)
{
	if (out->dirfd >= 0)
		close(out->dirfd);
	free(out->dir);
	free(out->base);
}

/*
 * The prefix of the temporary's name, ".BASENAME.", with BASENAME cut so
 * that the prefix takes at most ROOM bytes (ROOM >= 3): any FILE that fits
 * in NAME_MAX can be replaced.  The cut never splits a UTF-8 character.
 */
char *output_prefix(const struct output *out, size_t room)
{
	size_t len = strlen(out->base);
	char *p;

	if (len + 2 > room) {
		len = room - 2;
		while (
		    len > 0 && ((unsigned char)out->base[len] & 0xc0) == 0x80)
			len--;
	}
	p = xmalloc(len + 3);
	p[0] = '.';
	memcpy(p + 1, out->base, len);
	p[len + 1] = '.';
	p[len + 2] = '\0';
	return p;
}

/*
 * Where NAME in FILE's directory is now (the directory may have been
 * moved since it was resolved), for messages.  Freed by the caller.
 */
char *output_where(const struct output *out, const char *name)
{
	char proc[64], dir[PATH_MAX];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", out->dirfd);
	n = readlink(proc, dir, sizeof(dir) - 1);
	if (n <= 0 || dir[0] != '/')
		return join(out->dir, name);
	dir[n] = '\0';
	return join(dir, name);
}

/* Remove the temporary NAME; what stays is named.  0 or -1. */
int output_remove(const struct output *out, const char *name)
{
	char *shown = output_where(out, name);
	int status = unlink_named(out->dirfd, name, shown);

	free(shown);
	return status;
}

/* Flush FILE's directory: the rename is then durable. */
int output_sync_dir(const struct output *out)
{
	int fd = openat(out->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int status = 0;

	if (fd < 0 || fsync(fd) < 0)
		status = -1;
	if (fd >= 0)
		close(fd);
	return status;
}

/*
 * The ACL and label of FILE as it is now, given to the file on FD.  0, or
 * -1 if FILE has an ACL that cannot be given: better FILE untouched than
 * replaced by a file that others can read more, or less, than before.
 */
static int keep_attrs(const struct output *out, int fd)
{
	char path[PATH_MAX], *value;
	ssize_t n;
	int status = 0;

	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", out->dirfd,
	    out->base);
	if (access("/proc/self/fd", F_OK) < 0)
		snprintf(path, sizeof(path), "%s/%s", out->dir, out->base);
	for (size_t i = 0; i < sizeof(kept_attrs) / sizeof(kept_attrs[0]);
	     i++) {
		n = lgetxattr(path, kept_attrs[i].name, NULL, 0);
		if (n <= 0)
			continue;
		value = xmalloc((size_t)n);
		n = lgetxattr(path, kept_attrs[i].name, value, (size_t)n);
		if (n > 0 &&
		    fsetxattr(fd, kept_attrs[i].name, value, (size_t)n, 0) <
			0 &&
		    kept_attrs[i].needed)
			status = -1;
		free(value);
		if (status < 0)
			break;
	}
	return status;
}

/*
 * The file on FD takes its final mode: MODE exactly, else FILE's bits,
 * ACL and label and, where permitted, its owner and group (as sed -i
 * does), else 0666 less the umask, as a shell redirection would make it.
 */
static int set_mode(const struct output *out, int fd, int mode)
{
	mode_t mask;

	if (mode >= 0)
		return fchmod(fd, (mode_t)mode);
	if (!out->exists) {
		mask = umask(0);
		umask(mask);
		return fchmod(fd, 0666 & ~mask);
	}
	/* The owner first: fchown() would clear set-ID bits set before. */
	if (fchown(fd, out->st.st_uid, out->st.st_gid) < 0)
		(void)!fchown(fd, (uid_t)-1, out->st.st_gid);
	if (fchmod(fd, out->st.st_mode & 07777) < 0)
		return -1;
	return keep_attrs(out, fd);
}

/* The file on FD takes its mode and, unless SYNC is false, is flushed. */
static int finish_file(const struct output *out, int fd, int mode, bool sync)
{
	if (set_mode(out, fd, mode) < 0)
		return -1;
	return sync ? fsync(fd) : 0;
}

/*
 * Give the unnamed file FD, whose mode is final and data flushed, a fresh
 * name beside FILE, in *PATH (freed by the caller): a link to it, or where
 * it cannot have one (a file unlinked at once where O_TMPFILE is refused),
 * a copy, finished as FD was.  0, or -1 with errno set.
 */
static int name_unnamed(const struct output *out, int fd, int mode, bool sync,
    char **path)
{
	struct tmpl t = { .kind = TMP_NAMED, .alphabet = ALPHABET_PYTHON };
	char proc[64], *prefix = output_prefix(out, NAME_MAX - 8);
	const char *name;
	int status = -1, to, error;
	enum copy_side side;

	tmpl_from_parts(&t, out->dir, prefix, 8, "");
	free(prefix);
	name = t.path + t.nameoff;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (long tries = 0; tries < TMP_TRIES; tries++) {
		random_chars(t.path + t.randoff, t.nrand, t.alphabet);
		if (linkat(AT_FDCWD, proc, out->dirfd, name,
			AT_SYMLINK_FOLLOW) == 0 ||
		    linkat(fd, "", out->dirfd, name, AT_EMPTY_PATH) == 0) {
			status = 0;
			break;
		}
		if (errno == EEXIST)
			continue;
		to = openat(out->dirfd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (to < 0 && errno == EEXIST)
			continue;
		if (to >= 0) {
			status = copy_fd(fd, &(off_t){ 0 }, to, &side);
			if (status == 0)
				status = finish_file(out, to, mode, sync);
			error = errno;
			if (close(to) < 0 && status == 0) {
				status = -1;
				error = errno;
			}
			if (status < 0)
				unlinkat(out->dirfd, name, 0);
			errno = error;
		}
		break;
	}
	if (status == 0) {
		*path = t.path;
		t.path = NULL;
	}
	tmpl_free(&t);
	return status;
}

/*
 * COMMAND failed and -K asks to keep the unnamed file FD: give it a name
 * beside FILE and say where.  0, or -1 with a diagnostic.
 */
int output_keep(const struct output *out, int fd)
{
	char *path = NULL;

	if (name_unnamed(out, fd, 0600, false, &path) < 0 || path == NULL) {
		warn("cannot keep the file of COMMAND");
		return -1;
	}
	warnx("COMMAND failed; kept %s", quote(path));
	free(path);
	return 0;
}

/*
 * What COMMAND left at the temporary's NAME is not the one regular file
 * ctempfile made (as ST tells): it is not published, nor its mode or
 * owner changed.  A directory stays; anything else is only a name of
 * ctempfile's own, and goes.  Both are named.  Returns -1.
 */
static int refuse_leftover(const struct output *out, const char *name,
    const struct stat *st)
{
	char *shown = output_where(out, name);
	const char *why = !S_ISREG(st->st_mode) ? "is not a regular file"
	    : st->st_nlink != 1			? "has other hard links"
						: "has changed owner";

	if (S_ISDIR(st->st_mode)) {
		warnx("cannot replace %s: %s is a directory; left in place",
		    quote(out->file), quote(shown));
	} else {
		warnx("cannot replace %s: %s %s", quote(out->file),
		    quote(shown), why);
		if (unlinkat(out->dirfd, name, 0) < 0 && errno != ENOENT)
			warn("cannot remove %s", quote(shown));
	}
	free(shown);
	return -1;
}

/* Whether ST is the regular file ctempfile made, with no other name. */
static bool as_made(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_nlink == 1 &&
	    st->st_uid == geteuid();
}

/*
 * Open what is at the temporary's NAME, if it is the file ctempfile made:
 * never following a link, never blocking on a FIFO, never opening a
 * device.  The descriptor, or -1 with a diagnostic (and the leftover
 * named, or removed).
 */
static int open_made(const struct output *out, const char *name)
{
	struct stat st;
	int fd, error;

	if (fstatat(out->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		warn("cannot replace %s", quote(out->file));
		return -1;
	}
	if (!as_made(&st))
		return refuse_leftover(out, name, &st);
	fd = openat(out->dirfd, name,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		error = errno;
		if (fd >= 0)
			close(fd);
		warnc(error, "cannot replace %s", quote(out->file));
		output_remove(out, name);
		return -1;
	}
	if (!as_made(&st)) {
		close(fd);
		return refuse_leftover(out, name, &st);
	}
	return fd;
}

/* Flush FILE's directory after the rename, unless SYNC is false. */
static int sync_after(const struct output *out, bool sync)
{
	if (!sync || output_sync_dir(out) == 0)
		return 0;
	/* FILE is replaced already: only durability is in doubt. */
	warn("cannot flush the directory of %s", quote(out->file));
	return -1;
}

/*
 * Replace FILE with the temporary NAME in its directory.  FILE is
 * untouched on failure, and the temporary removed (or named); the reason
 * is told.  0 or -1.
 */
static int publish_named(const struct output *out, const char *name, int mode,
    bool sync)
{
	int fd = open_made(out, name), error;

	if (fd < 0)
		return -1;
	if (finish_file(out, fd, mode, sync) < 0 ||
	    renameat(out->dirfd, name, out->dirfd, out->base) < 0) {
		error = errno;
		close(fd);
		warnc(error, "cannot replace %s", quote(out->file));
		output_remove(out, name);
		return -1;
	}
	close(fd);
	return sync_after(out, sync);
}

/*
 * Replace FILE with the unnamed file FD: finished and flushed first, so
 * that the name it then gets lives only for the link and the rename.
 */
static int publish_unnamed(const struct output *out, int fd, int mode,
    bool sync)
{
	char *path = NULL;
	const char *name;
	int error;

	if (finish_file(out, fd, mode, sync) < 0 ||
	    name_unnamed(out, fd, mode, sync, &path) < 0 || path == NULL) {
		warn("cannot replace %s", quote(out->file));
		return -1;
	}
	guard_path(path, TMP_NAMED);
	name = strrchr(path, '/') + 1;
	if (renameat(out->dirfd, name, out->dirfd, out->base) < 0) {
		error = errno;
		warnc(error, "cannot replace %s", quote(out->file));
		output_remove(out, name);
		guard_path(NULL, TMP_NAMED);
		free(path);
		return -1;
	}
	guard_path(NULL, TMP_NAMED);
	free(path);
	return sync_after(out, sync);
}

/*
 * Replace FILE with the temporary: NAME in FILE's directory, or the
 * unnamed file on FD (then NAME is NULL).  0 or -1.
 */
int output_publish(const struct output *out, const char *name, int fd, int mode,
    bool sync)
{
	if (name != NULL)
		return publish_named(out, name, mode, sync);
	return publish_unnamed(out, fd, mode, sync);
}
