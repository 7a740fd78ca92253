/*
 * directory -o DIR: the tree COMMAND built in a temporary beside DIR takes
 * DIR's place in one step, renameat2(2) with RENAME_EXCHANGE (with
 * RENAME_NOREPLACE where there is no DIR yet), so that a reader resolving
 * DIR finds the old tree or the new one, never a mix and never nothing.
 * The old tree, then at the temporary's name, is removed as any temporary
 * is; the guardian is told first that whatever is at that name is now its
 * to remove, so that a SIGKILL at any moment leaves neither tree behind.
 * There is no fallback to two renames: that is the moment without DIR
 * this exists to avoid.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* Exchanges tried while another run creates or replaces DIR meanwhile. */
#define EXCHANGE_TRIES 8

/*
 * Flush every directory and regular file under the directory FD, not
 * crossing into another file system; never following a link, never
 * opening anything else.  0, or -1 if something could not be opened or
 * flushed (the caller then flushes the whole file system).
 */
static int sync_tree(int fd, dev_t dev)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3), status = 0;
	DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
	struct dirent *e;
	struct stat st;

	if (d == NULL) {
		if (copy >= 0)
			close(copy);
		return -1;
	}
	while ((errno = 0, e = readdir(d)) != NULL) {
		int child;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_type == DT_UNKNOWN &&
		    fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			e->d_type = S_ISDIR(st.st_mode) ? DT_DIR
			    : S_ISREG(st.st_mode)	? DT_REG
							: DT_UNKNOWN;
		if (e->d_type != DT_DIR && e->d_type != DT_REG)
			continue;
		child = openat(fd, e->d_name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (child < 0 || fstat(child, &st) < 0 ||
		    (S_ISDIR(st.st_mode) && st.st_dev == dev &&
			sync_tree(child, dev) < 0) ||
		    ((S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) &&
			fsync(child) < 0))
			status = -1;
		if (child >= 0)
			close(child);
	}
	if (errno != 0)
		status = -1;
	closedir(d);
	return status;
}

/*
 * The new top on FD takes its final mode: MODE exactly, else that of DIR
 * as it is now, and its owner and group where permitted, else 0777 less
 * the umask, as mkdir(1) would make it.
 */
static int set_mode(const struct output *out, int fd, int mode)
{
	struct stat st;
	mode_t mask;

	if (mode >= 0)
		return fchmod(fd, (mode_t)mode);
	if (fstatat(out->dirfd, out->base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode)) {
		mask = umask(0);
		umask(mask);
		return fchmod(fd, 0777 & ~mask);
	}
	/* The owner first: fchown() would clear set-ID bits set before. */
	if (fchown(fd, st.st_uid, st.st_gid) < 0)
		(void)!fchown(fd, (uid_t)-1, st.st_gid);
	return fchmod(fd, st.st_mode & 07777);
}

/* Whether LINE of /proc/self/mountinfo is of the device DEV. */
static bool mount_of(const char *line, dev_t dev)
{
	const char *p = line;
	unsigned long major, minor;
	char *end;

	/* The third field is MAJOR:MINOR. */
	for (int i = 0; i < 2 && p != NULL; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL)
		return false;
	major = strtoul(p, &end, 10);
	if (*end != ':')
		return false;
	minor = strtoul(end + 1, &end, 10);
	return *end == ' ' &&
	    makedev((unsigned int)major, (unsigned int)minor) == dev;
}

/*
 * The type of the file system holding the directory DIRFD, as
 * /proc/self/mountinfo names it, into BUF; "unknown" if it cannot be told.
 */
static void fs_type(int dirfd, char *buf, size_t size)
{
	char line[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	struct stat st;
	const char *sep;

	snprintf(buf, size, "unknown");
	if (f == NULL)
		return;
	while (fstat(dirfd, &st) == 0 && fgets(line, sizeof(line), f)) {
		if (!mount_of(line, st.st_dev) ||
		    (sep = strstr(line, " - ")) == NULL)
			continue;
		sep += 3;
		snprintf(buf, size, "%.*s", (int)strcspn(sep, " \n"), sep);
		break;
	}
	fclose(f);
}

/*
 * Put NAME in DIR's place: exchanged with DIR, or renamed to it where
 * there is none, as DIR comes and goes under another run.  *EXCHANGED
 * tells which.  0, or -1 with a diagnostic.
 */
static int exchange(const struct output *out, const char *name, bool *exchanged)
{
	struct stat st;
	bool exists =
	    fstatat(out->dirfd, out->base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	char type[64];
	int error = 0;

	for (int i = 0; i < EXCHANGE_TRIES; i++) {
		unsigned int flags =
		    exists ? RENAME_EXCHANGE : RENAME_NOREPLACE;

		if (renameat2(out->dirfd, name, out->dirfd, out->base, flags) ==
		    0) {
			*exchanged = exists;
			return 0;
		}
		error = errno;
		/* Without RENAME_NOREPLACE (FUSE without rename2, say), a
		 * plain rename can still only replace an empty directory. */
		if (error == EINVAL && !exists &&
		    renameat(out->dirfd, name, out->dirfd, out->base) == 0) {
			*exchanged = false;
			return 0;
		}
		if (error == EEXIST && !exists)
			exists = true;
		else if (error == ENOENT && exists)
			exists = false;
		else
			break;
	}
	if (error == EINVAL) {
		fs_type(out->dirfd, type, sizeof(type));
		warnx("cannot replace %s: its file system (%s) cannot exchange "
		      "two names in one step (RENAME_EXCHANGE)",
		    quote(out->file), type);
	} else {
		warnc(error, "cannot replace %s", quote(out->file));
	}
	return -1;
}

/*
 * The directory NAME beside DIR, which COMMAND filled, replaces DIR:
 * flushed (unless SYNC is false), given its mode, exchanged, the parent
 * flushed, and the old tree removed.  STANDDOWN reaches the guardian (or
 * is -1).  DIR is untouched on failure before the exchange, and the
 * temporary removed; what stays is named.  OUT's directory is closed.  0
 * or -1.
 */
int replace_dir(struct output *out, const char *name, int mode, bool sync,
    int standdown)
{
	char *shown = output_where(out, name);
	int fd = openat(out->dirfd, name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool exchanged = false;
	int status = -1, error;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		/* COMMAND left something else at the temporary's name. */
		warn("cannot replace %s with %s", quote(out->file),
		    quote(shown));
	} else if ((sync && sync_tree(fd, st.st_dev) < 0 && syncfs(fd) < 0) ||
	    set_mode(out, fd, mode) < 0 || (sync && fsync(fd) < 0)) {
		error = errno;
		warnc(error, "cannot replace %s", quote(out->file));
	} else {
		/* From here on, whatever is at NAME is the guardian's to
		 * remove: the new tree before the exchange, the old after. */
		guardian_adopt(standdown);
		status = exchange(out, name, &exchanged);
	}
	if (fd >= 0)
		close(fd);
	if (status == 0 && sync &&
	    output_sync_dir(out) < 0) /* DIR is new already */
		warn("cannot flush the directory of %s", quote(out->file));
	if (status < 0 || exchanged) {
		/* The walk takes DIR's directory over: it is needed no more,
		 * and a caller at its descriptor limit has none to spare. */
		int dirfd = out->dirfd;

		out->dirfd = -1;
		if (rmtree_in(dirfd, name, shown) < 0)
			status = -1;
	}
	free(shown);
	return status;
}
