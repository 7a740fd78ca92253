/*
 * --output: the temporary replaces FILE in one step, so that a reader sees
 * the old FILE or the new one, never a part of either.  The temporary is
 * made in FILE's directory, so that the last step is a rename(2) within
 * one file system; its data, and then the directory, are flushed to
 * stable storage around that rename unless --no-sync.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* Links followed before giving up, as the kernel does. */
#define MAX_LINKS 40

/* DIR joined with the relative NAME, for a link's target. */
static char *join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), nlen = strlen(name);
	char *p = xmalloc(dlen + 1 + nlen + 1);

	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, name, nlen + 1);
	return p;
}

/*
 * FILE with every symbolic link along its last component followed, made
 * absolute: what will be replaced, while the links stay.  A dangling link
 * gives the path it points to, where the file will be made.
 */
static char *follow_links(const char *file)
{
	char *path = path_absolute(file), *target, *next;
	struct stat st;
	ssize_t n;

	for (int i = 0; i < MAX_LINKS; i++) {
		if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
			return path;
		target = xmalloc(PATH_MAX);
		n = readlink(path, target, PATH_MAX - 1);
		if (n < 0) {
			free(target);
			return path;
		}
		target[n] = '\0';
		if (target[0] == '/') {
			next = path_absolute(target);
		} else {
			char *dir = xstrdup(path), *joined;

			*strrchr(dir, '/') = '\0';
			joined = join(*dir ? dir : "/", target);
			next = path_absolute(joined);
			free(joined);
			free(dir);
		}
		free(target);
		free(path);
		path = next;
	}
	errno = ELOOP;
	err(exit_failure, "%s", quote(file));
}

/*
 * Resolve FILE for OUT and refuse, before anything is made, what cannot
 * be replaced: a directory.  A missing or unwritable directory is refused
 * when the temporary cannot be made in it.
 */
void output_prepare(struct output *out, const char *file)
{
	char *slash;

	memset(out, 0, sizeof(*out));
	out->file = file;
	out->target = follow_links(file);
	if (stat(out->target, &out->st) == 0) {
		if (S_ISDIR(out->st.st_mode))
			errx(exit_failure, "cannot write to %s: %s",
			    quote(file), strerror(EISDIR));
		out->exists = true;
	} else if (errno != ENOENT) {
		err(exit_failure, "%s", quote(file));
	}
	slash = strrchr(out->target, '/');
	out->dir = xstrdup(out->target);
	out->dir[slash == out->target ? 1 : slash - out->target] = '\0';
	out->base = slash + 1;
}

void output_free(struct output *out)
{
	free(out->target);
	free(out->dir);
}

/* The prefix of the temporary's name: ".BASENAME." */
char *output_prefix(const struct output *out)
{
	size_t len = strlen(out->base);
	char *p = xmalloc(len + 3);

	p[0] = '.';
	memcpy(p + 1, out->base, len);
	p[len + 1] = '.';
	p[len + 2] = '\0';
	return p;
}

/* Flush the directory of OUT: the rename is then durable. */
static int sync_dir(const struct output *out)
{
	int fd = open(out->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int status = 0;

	if (fd < 0 || fsync(fd) < 0)
		status = -1;
	if (fd >= 0)
		close(fd);
	return status;
}

/*
 * The file on FD takes its final mode: MODE exactly, else FILE's bits and,
 * where permitted, its owner and group (as sed -i does), else 0666 less
 * the umask, as a shell redirection would make it.
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
	return fchmod(fd, out->st.st_mode & 07777);
}

/*
 * Give the unnamed file FD a fresh name beside FILE, in *NAME (freed by
 * the caller): a link to it, or where it cannot have one (a file unlinked
 * at once where O_TMPFILE is refused), a copy.  0, or -1 with errno set.
 */
static int name_unnamed(const struct output *out, int fd, char **name)
{
	struct tmpl t = { .kind = TMP_FILE, .alphabet = ALPHABET_PYTHON };
	char proc[64], *prefix = output_prefix(out);
	int status = -1, to, error;
	enum copy_side side;

	tmpl_from_parts(&t, out->dir, prefix, 8, "");
	free(prefix);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (long tries = 0; tries < TMP_TRIES; tries++) {
		random_chars(t.path + t.randoff, t.nrand, t.alphabet);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, t.path,
			AT_SYMLINK_FOLLOW) == 0 ||
		    linkat(fd, "", AT_FDCWD, t.path, AT_EMPTY_PATH) == 0) {
			status = 0;
			break;
		}
		if (errno == EEXIST)
			continue;
		to = open(t.path,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (to < 0 && errno == EEXIST)
			continue;
		if (to >= 0) {
			status = copy_fd(fd, &(off_t){ 0 }, to, &side);
			error = errno;
			if (close(to) < 0 && status == 0) {
				status = -1;
				error = errno;
			}
			if (status < 0)
				unlink(t.path);
			errno = error;
		}
		break;
	}
	if (status == 0) {
		*name = t.path;
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
	char *name;

	if (name_unnamed(out, fd, &name) < 0) {
		warn("cannot keep the file of COMMAND");
		return -1;
	}
	warnx("COMMAND failed; kept %s", quote(name));
	free(name);
	return 0;
}

/*
 * Replace FILE with the temporary: named TMPPATH, or unnamed on FD (then
 * TMPPATH is NULL).  FILE is untouched on failure, and the temporary
 * removed; the reason is told.  0 or -1.
 */
int output_publish(const struct output *out, const char *tmppath, int fd,
    int mode, bool sync)
{
	char *named = NULL;
	int error = 0;

	if (tmppath == NULL) {
		if (name_unnamed(out, fd, &named) < 0 || named == NULL) {
			warn("cannot replace %s", quote(out->file));
			return -1;
		}
		tmppath = named;
	}
	/* By name: COMMAND may have replaced the file by rename. */
	fd = open(tmppath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (sync && fsync(fd) < 0) || set_mode(out, fd, mode) < 0 ||
	    rename(tmppath, out->target) < 0) {
		error = errno;
		warnc(error, "cannot replace %s", quote(out->file));
		unlink(tmppath);
	} else if (sync && sync_dir(out) < 0) {
		/* FILE is replaced already: only durability is in doubt. */
		error = errno;
		warn("cannot flush the directory of %s", quote(out->file));
	}
	if (fd >= 0)
		close(fd);
	free(named);
	return error != 0 ? -1 : 0;
}
