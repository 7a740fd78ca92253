/*
 * Removal of a directory tree that an untrusted command has had its hands
 * on.  Every step is relative to a descriptor of the directory being
 * emptied, so no path inside the tree is ever resolved and a directory
 * swapped for a link cannot redirect the walk.  No link is followed; only
 * directories opened here, inside the tree, are ever chmod-ed, and then
 * through their own descriptor.  Mount points are never entered.
 *
 * The walk is a loop over an explicit stack, one frame per level: memory
 * grows with the depth of the tree, never with the number of entries.
 * Only the deepest levels keep a descriptor open; a level whose descriptor
 * was given up is reopened through ".." of its child and checked to be the
 * same directory, then read again from its start.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "src/ctempfile.h"

struct frame {
	DIR *dir;   /* NULL while its descriptor is given up */
	char *name; /* within the parent */
	dev_t dev;
	ino_t ino;
	uint64_t mnt;
	size_t pathlen;
	bool kept;	/* something inside stays */
	bool restarted; /* read again from the start */
};

struct kept {
	dev_t dev;
	ino_t ino;
};

struct walk {
	struct frame *f;
	size_t depth, cap;
	size_t window;	     /* frames that may hold a descriptor */
	int topfd;	     /* the directory that holds the top */
	struct frame parent; /* its identity */
	char *path;	     /* for messages only, never for system calls */
	size_t pathcap;
	struct kept *kept; /* what stays, so a restarted level skips it */
	size_t nkept;
	bool aborted;
};

static const unsigned int STATX_WANT = STATX_TYPE | STATX_MODE | STATX_INO |
    STATX_UID
#if HAVE_STATX_MNT_ID
    | STATX_MNT_ID
#endif
    ;

static void set_identity(struct frame *f, const struct statx *stx)
{
	f->dev = makedev(stx->stx_dev_major, stx->stx_dev_minor);
	f->ino = stx->stx_ino;
#if HAVE_STATX_MNT_ID
	f->mnt = stx->stx_mask & STATX_MNT_ID ? stx->stx_mnt_id : 0;
#else
	f->mnt = 0;
#endif
}

/*
 * Whether the directory described by STX is the root of a mount, bind
 * mounts of the same file system included.
 */
static bool is_mount(const struct statx *stx, const struct frame *parent)
{
	if (stx->stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		return stx->stx_attributes & STATX_ATTR_MOUNT_ROOT;
#if HAVE_STATX_MNT_ID
	if (stx->stx_mask & STATX_MNT_ID)
		return stx->stx_mnt_id != parent->mnt;
#endif
	return makedev(stx->stx_dev_major, stx->stx_dev_minor) != parent->dev;
}

/* Length of the current level's path. */
static size_t level_pathlen(const struct walk *w)
{
	return w->depth ? w->f[w->depth - 1].pathlen : w->parent.pathlen;
}

/* The path of NAME in the current level, for a message. */
static const char *entry_path(struct walk *w, const char *name)
{
	size_t base = level_pathlen(w);
	size_t need = base + 1 + strlen(name) + 1;

	if (need > w->pathcap) {
		w->pathcap = need * 2;
		w->path = xrealloc(w->path, w->pathcap);
	}
	w->path[base] = '/';
	memcpy(w->path + base + 1, name, strlen(name) + 1);
	return w->path;
}

static void remember_kept(struct walk *w, dev_t dev, ino_t ino)
{
	w->kept = xrealloc(w->kept, (w->nkept + 1) * sizeof(*w->kept));
	w->kept[w->nkept++] = (struct kept){ dev, ino };
}

static bool was_kept(const struct walk *w, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < w->nkept; i++) {
		if (w->kept[i].dev == dev && w->kept[i].ino == ino)
			return true;
	}
	return false;
}

/* An entry of the current level stays, for the reason ERROR. */
static void entry_failed(struct walk *w, const char *name, ino_t ino, int error)
{
	struct frame *f = &w->f[w->depth - 1];

	warnc(error, "cannot remove %s", quote(entry_path(w, name)));
	remember_kept(w, f->dev, ino);
	f->kept = true;
}

/* Give up the descriptor of the highest level that still has one. */
static bool give_up_one(struct walk *w)
{
	for (size_t i = 0; i + 1 < w->depth; i++) {
		if (w->f[i].dir != NULL) {
			closedir(w->f[i].dir);
			w->f[i].dir = NULL;
			return true;
		}
	}
	return false;
}

/* openat() that gives up a higher level's descriptor when out of them. */
static int open_at(struct walk *w, int dirfd, const char *name, int flags)
{
	int fd;

	while ((fd = openat(dirfd, name, flags | O_CLOEXEC)) < 0 &&
	    errno == EMFILE && give_up_one(w))
		;
	return fd;
}

/*
 * Open NAME in DIRFD as a directory, never through a link, and describe
 * it in STX.  A directory that was made unreadable or unsearchable is
 * first opened as a bare reference and given u+rwx through that very
 * reference (via /proc, since fchmod() refuses O_PATH); one that was made
 * read-only gets u+rwx on its open descriptor.  A mount point is returned
 * untouched: the caller leaves it.
 */
static int open_dir(struct walk *w, int dirfd, const char *name,
    const struct frame *parent, struct statx *stx)
{
	char proc[64];
	int fd, pfd;

	fd = open_at(w, dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0 && errno == EACCES) {
		pfd =
		    open_at(w, dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW);
		if (pfd < 0)
			return -1;
		if (statx(pfd, "", AT_EMPTY_PATH, STATX_WANT, stx) < 0) {
			close(pfd);
			return -1;
		}
		if (is_mount(stx, parent))
			return pfd;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
		if (chmod(proc, (stx->stx_mode & 07777) | S_IRWXU) < 0) {
			close(pfd);
			errno = EACCES;
			return -1;
		}
		fd = open_at(w, pfd, ".", O_RDONLY | O_DIRECTORY);
		close(pfd);
	}
	if (fd < 0)
		return -1;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_WANT, stx) < 0) {
		close(fd);
		return -1;
	}
	/* Only the owner's bits can be given back, and only by the owner. */
	if (!is_mount(stx, parent) && stx->stx_uid == geteuid() &&
	    (stx->stx_mode & S_IRWXU) != S_IRWXU &&
	    fchmod(fd, (stx->stx_mode & 07777) | S_IRWXU) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void push(struct walk *w, int fd, const char *name,
    const struct statx *stx)
{
	struct frame *f;
	size_t base;

	if (w->depth == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->f = xrealloc(w->f, w->cap * sizeof(*w->f));
	}
	if (w->depth >= w->window && w->f[w->depth - w->window].dir != NULL) {
		closedir(w->f[w->depth - w->window].dir);
		w->f[w->depth - w->window].dir = NULL;
	}
	base = level_pathlen(w);
	entry_path(w, name);
	f = &w->f[w->depth++];
	memset(f, 0, sizeof(*f));
	f->dir = fdopendir(fd);
	if (f->dir == NULL)
		err(exit_failure, "fdopendir");
	f->name = xstrdup(name);
	f->pathlen = base + 1 + strlen(name);
	set_identity(f, stx);
}

/*
 * Reopen the level above the current one through "..", and make sure it
 * is still the directory it was.
 */
static bool reopen_parent(struct walk *w)
{
	struct frame *f = &w->f[w->depth - 1], *p = &w->f[w->depth - 2];
	struct statx stx;
	int fd;

	fd = open_at(w, dirfd(f->dir), "..",
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd >= 0 && statx(fd, "", AT_EMPTY_PATH, STATX_WANT, &stx) == 0 &&
	    makedev(stx.stx_dev_major, stx.stx_dev_minor) == p->dev &&
	    stx.stx_ino == p->ino) {
		p->dir = fdopendir(fd);
		if (p->dir == NULL)
			err(exit_failure, "fdopendir");
		p->restarted = true;
		return true;
	}
	if (fd >= 0)
		close(fd);
	w->path[p->pathlen] = '\0';
	warnx("%s was moved during removal; left in place", quote(w->path));
	return false;
}

/* The current level is empty, or as empty as it gets: remove it. */
static void pop(struct walk *w)
{
	struct frame *f = &w->f[w->depth - 1];
	struct frame *p = w->depth > 1 ? &w->f[w->depth - 2] : &w->parent;
	int pfd;

	if (w->depth > 1 && p->dir == NULL && !reopen_parent(w)) {
		w->aborted = true;
		return;
	}
	closedir(f->dir);
	pfd = w->depth > 1 ? dirfd(p->dir) : w->topfd;
	w->path[f->pathlen] = '\0';
	if (!f->kept && unlinkat(pfd, f->name, AT_REMOVEDIR) < 0 &&
	    errno != ENOENT) {
		warn("cannot remove %s", quote(w->path));
		f->kept = true;
	}
	if (f->kept) {
		remember_kept(w, p->dev, f->ino);
		p->kept = true;
	}
	free(f->name);
	w->depth--;
}

/* A directory (or what the type said might be one) in the current level. */
static void descend(struct walk *w, const char *name, unsigned char type,
    ino_t ino)
{
	struct frame *f = &w->f[w->depth - 1];
	int dfd = dirfd(f->dir);
	struct statx stx;
	struct stat st;
	int fd;

	if (type == DT_UNKNOWN) {
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				entry_failed(w, name, ino, errno);
			return;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
				entry_failed(w, name, ino, errno);
			return;
		}
	}
	fd = open_dir(w, dfd, name, f, &stx);
	if (fd < 0) {
		/* Swapped for something else since it was read: unlink that. */
		if (errno == ENOTDIR || errno == ELOOP) {
			if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
				entry_failed(w, name, ino, errno);
		} else if (errno != ENOENT) {
			entry_failed(w, name, ino, errno);
		}
		return;
	}
	if (is_mount(&stx, f)) {
		warnx("%s is a mount point; left in place",
		    quote(entry_path(w, name)));
		remember_kept(w, f->dev, ino);
		f->kept = true;
		close(fd);
		return;
	}
	push(w, fd, name, &stx);
}

static void walk_level(struct walk *w)
{
	struct frame *f = &w->f[w->depth - 1];
	struct dirent *e;

	errno = 0;
	e = readdir(f->dir);
	if (e == NULL) {
		if (errno != 0) {
			w->path[f->pathlen] = '\0';
			warn("cannot read %s", quote(w->path));
			f->kept = true;
		}
		pop(w);
		return;
	}
	if (e->d_name[0] == '.' &&
	    (e->d_name[1] == '\0' ||
		(e->d_name[1] == '.' && e->d_name[2] == '\0')))
		return;
	if (f->restarted && was_kept(w, f->dev, e->d_ino))
		return;
	if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) {
		if (unlinkat(dirfd(f->dir), e->d_name, 0) == 0 ||
		    errno == ENOENT)
			return;
		if (errno != EISDIR) {
			entry_failed(w, e->d_name, e->d_ino, errno);
			return;
		}
	}
	descend(w, e->d_name, e->d_type, e->d_ino);
}

/* Levels that may hold a descriptor at once: half of what is left. */
static size_t window_size(void)
{
	struct rlimit rl;
	rlim_t n = 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		n = rl.rlim_cur;
	n = n > 16 ? (n - 16) / 2 : 1;
	return n < 1 ? 1 : n > 128 ? 128 : (size_t)n;
}

/*
 * Remove PATH, an absolute path, and everything under it: 0 if all of it
 * is gone, -1 if something stays (each reason has been told).
 */
int rmtree(const char *path)
{
	struct walk w = { .window = window_size(), .topfd = -1 };
	const char *slash = strrchr(path, '/');
	const char *name = slash + 1;
	char *dir = xstrdup(path);
	struct statx stx;
	int fd, status = 0;

	dir[slash == path ? 1 : slash - path] = '\0';
	w.topfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w.topfd < 0 ||
	    statx(w.topfd, "", AT_EMPTY_PATH, STATX_WANT, &stx) < 0) {
		warn("cannot remove %s", quote(path));
		status = -1;
		goto out;
	}
	set_identity(&w.parent, &stx);
	w.path = xstrdup(dir);
	w.pathcap = strlen(dir) + 1;
	w.parent.pathlen = slash == path ? 0 : strlen(dir);

	fd = open_dir(&w, w.topfd, name, &w.parent, &stx);
	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP) {
			/* The top replaced by a link or a file: that goes. */
			if (unlinkat(w.topfd, name, 0) == 0 || errno == ENOENT)
				goto out;
		} else if (errno == ENOENT) {
			goto out;
		}
		warn("cannot remove %s", quote(path));
		status = -1;
		goto out;
	}
	if (is_mount(&stx, &w.parent)) {
		warnx("%s is a mount point; left in place", quote(path));
		close(fd);
		status = -1;
		goto out;
	}
	push(&w, fd, name, &stx);
	while (w.depth > 0 && !w.aborted)
		walk_level(&w);
	if (w.aborted || w.parent.kept)
		status = -1;
	while (w.depth > 0) {
		struct frame *f = &w.f[--w.depth];

		if (f->dir != NULL)
			closedir(f->dir);
		free(f->name);
	}
out:
	if (w.topfd >= 0)
		close(w.topfd);
	free(w.f);
	free(w.kept);
	free(w.path);
	free(dir);
	return status;
}
