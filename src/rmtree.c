/*
 * Removal of a directory tree that an untrusted command has had its hands
 * on.  Every step is relative to a descriptor of the directory being
 * emptied, so no path inside the tree is ever resolved and a directory
 * swapped for a link cannot redirect the walk.  No link is followed; only
 * directories opened here, inside the tree and owned by the user
 * removing, are ever chmod-ed, and then through their own descriptor.
 * Mount points are never entered.
 *
 * The walk is a loop over an explicit stack, one frame per level: memory
 * grows with the depth of the tree (and with what cannot be removed),
 * never with the number of entries.  Only the deepest levels keep a
 * descriptor open; a level whose descriptor was given up is reopened
 * through ".." of its child, checked to be the same directory, and read on
 * from where it was.  Where a file system cannot resume a listing at a
 * position (overlayfs), the level is found not empty at the end and read
 * again from its start, at most MAX_PASSES times: every walk ends,
 * whatever the file system says.
 *
 * What stays is remembered by name, in the level that holds it, so a level
 * read again passes over it at once.  Running out of memory or descriptors
 * never stops the walk: what cannot be handled is named and stays.
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
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "src/ctempfile.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

/* Full readings of one level, after the first, before it is given up. */
#define MAX_PASSES 2

struct frame {
	DIR *dir;   /* NULL while its descriptor is given up */
	char *name; /* within the parent */
	dev_t dev;
	ino_t ino;
	uint64_t mnt;
	size_t pathlen;
	long pos;	     /* where to read on, once reopened */
	bool resumed;	     /* reopened since last read from the start */
	unsigned int passes; /* readings from the start, after the first */
	bool kept;	     /* something inside stays */
	struct strset stays; /* names in this level that stay */
};

struct walk {
	struct frame *f;
	size_t depth, cap;
	size_t window;	     /* frames that may hold a descriptor */
	int topfd;	     /* the directory that holds the top, or -1 */
	struct frame parent; /* its identity */
	char *path;	     /* for messages only, never for system calls */
	size_t pathcap;
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

static bool same_identity(const struct statx *stx, dev_t dev, ino_t ino)
{
	return makedev(stx->stx_dev_major, stx->stx_dev_minor) == dev &&
	    stx->stx_ino == ino;
}

/*
 * Whether the directory described by STX is the root of a mount, bind
 * mounts of the same file system included.
 */
static bool is_mount(const struct statx *stx, const struct frame *parent)
{
	return mount_root(stx, parent->mnt, parent->dev);
}

/* Length of the current level's path. */
static size_t level_pathlen(const struct walk *w)
{
	return w->depth ? w->f[w->depth - 1].pathlen : w->parent.pathlen;
}

/* Room in the message path for NAME below the current level. */
static bool path_room(struct walk *w, const char *name)
{
	size_t need = level_pathlen(w) + 1 + strlen(name) + 1;
	char *p;

	if (need <= w->pathcap)
		return true;
	p = realloc(w->path, need * 2);
	if (p == NULL)
		return false;
	w->path = p;
	w->pathcap = need * 2;
	return true;
}

/*
 * The path of NAME in the current level, for a message; NAME alone if
 * there is no memory for more.
 */
static const char *entry_path(struct walk *w, const char *name)
{
	size_t base = level_pathlen(w);

	if (!path_room(w, name))
		return name;
	w->path[base] = '/';
	memcpy(w->path + base + 1, name, strlen(name) + 1);
	return w->path;
}

/* The path of the current level, for a message. */
static const char *level_path(struct walk *w)
{
	w->path[level_pathlen(w)] = '\0';
	return w->path;
}

/*
 * NAME, in the level of frame F, stays: remembered so that the level,
 * read again, passes over it.  If even that cannot be remembered, reading
 * again comes to it once more: the number of readings is bounded anyway.
 */
static void stays(struct frame *f, const char *name)
{
	strset_add(&f->stays, name);
	f->kept = true;
}

/* An entry of the current level stays, for the reason ERROR. */
static void entry_failed(struct walk *w, const char *name, int error)
{
	warnc(error, "cannot remove %s", quote(entry_path(w, name)));
	stays(&w->f[w->depth - 1], name);
}

/* Give up the descriptor of frame F, remembering where its reading was. */
static void give_up(struct frame *f)
{
	f->pos = telldir(f->dir);
	closedir(f->dir);
	f->dir = NULL;
}

/*
 * Give up one descriptor: the highest level's that is not the current
 * one, or else the one of the directory that holds the top.
 */
static bool give_up_one(struct walk *w)
{
	for (size_t i = 0; i + 1 < w->depth; i++) {
		if (w->f[i].dir != NULL) {
			give_up(&w->f[i]);
			return true;
		}
	}
	if (w->depth > 0 && w->topfd >= 0) {
		close(w->topfd);
		w->topfd = -1;
		return true;
	}
	return false;
}

/* openat() that gives up a higher level's descriptor when out of them. */
static int open_at(struct walk *w, int dirfd, const char *name, int flags)
{
	int fd;

	while ((fd = openat(dirfd, name, flags | O_CLOEXEC)) < 0 &&
	    (errno == EMFILE || errno == ENFILE) && give_up_one(w))
		;
	return fd;
}

/* fdopendir() that gives up the descriptor on failure. */
static DIR *open_stream(int fd)
{
	DIR *d = fdopendir(fd);

	if (d == NULL) {
		int error = errno;

		close(fd);
		errno = error;
	}
	return d;
}

/*
 * Give the directory of the bare reference PFD the mode MODE, without
 * following any link and without a path: fchmodat2(2) on the reference
 * itself (Linux 6.6), else through its /proc/self/fd entry.  0, or -1
 * with errno set and *WHY saying what was missing.
 */
static int chmod_ref(int pfd, mode_t mode, const char **why)
{
	char proc[64];

	if (syscall(SYS_fchmodat2, pfd, "", mode, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL && errno != EPERM)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	if (chmod(proc, mode) == 0)
		return 0;
	if (errno == ENOENT) {
		*why = "its mode can be given back only with fchmodat2 "
		       "(Linux 6.6) or with /proc mounted";
		errno = EACCES;
	}
	return -1;
}

/* Whether ctempfile may give a directory described by STX back u+rwx. */
static bool may_fix(const struct statx *stx)
{
	return stx->stx_uid == geteuid() &&
	    (stx->stx_mode & S_IRWXU) != S_IRWXU;
}

/*
 * Open NAME in DIRFD as a directory, never through a link, and describe
 * it in STX.  A directory that was made unreadable or unsearchable is
 * first opened as a bare reference and given u+rwx through that very
 * reference; one that was made read-only gets u+rwx on its open
 * descriptor.  Only the owner's own directories are changed.  A mount
 * point is returned untouched: the caller leaves it.  With EXPECT, a
 * directory that is not that one is left untouched too (ESTALE).
 */
static int open_dir(struct walk *w, int dirfd, const char *name,
    const struct frame *parent, struct statx *stx, const struct ident *expect,
    const char **why)
{
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
		if (expect != NULL &&
		    !same_identity(stx, expect->dev, expect->ino)) {
			close(pfd);
			errno = ESTALE;
			return -1;
		}
		if (is_mount(stx, parent))
			return pfd;
		if (!may_fix(stx) ||
		    chmod_ref(pfd, (stx->stx_mode & 07777) | S_IRWXU, why) <
			0) {
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
	if (expect != NULL && !same_identity(stx, expect->dev, expect->ino)) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	if (!is_mount(stx, parent) && may_fix(stx) &&
	    fchmod(fd, (stx->stx_mode & 07777) | S_IRWXU) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Enter the directory FD, NAME in the current level: 0, or -1 (ENOMEM).
 * NAME may live in the current level's stream, which may be given up
 * here: it is copied first.
 */
static int push(struct walk *w, int fd, const char *name,
    const struct statx *stx)
{
	struct frame *f;
	size_t base = level_pathlen(w);
	char *copy;
	DIR *d;

	if (w->depth == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;

		f = realloc(w->f, cap * sizeof(*w->f));
		if (f == NULL)
			goto nomem;
		w->f = f;
		w->cap = cap;
	}
	copy = path_room(w, name) ? strdup(name) : NULL;
	if (copy == NULL)
		goto nomem;
	d = open_stream(fd);
	if (d == NULL) {
		free(copy);
		return -1;
	}
	entry_path(w, copy);
	if (w->depth >= w->window && w->f[w->depth - w->window].dir != NULL)
		give_up(&w->f[w->depth - w->window]);
	f = &w->f[w->depth++];
	memset(f, 0, sizeof(*f));
	f->dir = d;
	f->name = copy;
	f->pathlen = base + 1 + strlen(copy);
	set_identity(f, stx);
	return 0;
nomem:
	close(fd);
	errno = ENOMEM;
	return -1;
}

/* Reopen frame P through ".." of FD, and make sure it is the same. */
static int reopen(struct walk *w, int fd, const struct frame *p)
{
	struct statx stx;
	int pfd;

	pfd = open_at(w, fd, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (pfd >= 0 && statx(pfd, "", AT_EMPTY_PATH, STATX_WANT, &stx) == 0 &&
	    same_identity(&stx, p->dev, p->ino))
		return pfd;
	if (pfd >= 0)
		close(pfd);
	return -1;
}

/*
 * The descriptor of the level above the current one, reopened if it was
 * given up; -1 if it cannot be, or is no longer the directory it was.
 */
static int parent_fd(struct walk *w)
{
	struct frame *f = &w->f[w->depth - 1];
	struct frame *p = w->depth > 1 ? &w->f[w->depth - 2] : &w->parent;
	int fd;

	if (w->depth == 1 && w->topfd >= 0)
		return w->topfd;
	if (w->depth > 1 && p->dir != NULL)
		return dirfd(p->dir);
	fd = reopen(w, dirfd(f->dir), p);
	if (fd < 0) {
		w->path[p->pathlen] = '\0';
		warnx("%s was moved or cannot be reopened during removal; "
		      "left in place",
		    quote(w->path));
		return -1;
	}
	if (w->depth == 1)
		return w->topfd = fd;
	p->dir = open_stream(fd);
	if (p->dir == NULL) {
		warn("cannot read %s", quote(w->path));
		return -1;
	}
	if (p->pos != 0)
		seekdir(p->dir, p->pos);
	p->resumed = true;
	return dirfd(p->dir);
}

/* The current level is empty, or as empty as it gets: remove it. */
static void pop(struct walk *w)
{
	struct frame *f = &w->f[w->depth - 1];
	struct frame *p = w->depth > 1 ? &w->f[w->depth - 2] : &w->parent;
	int pfd = parent_fd(w);

	if (pfd < 0) {
		w->aborted = true;
		return;
	}
	if (!f->kept && unlinkat(pfd, f->name, AT_REMOVEDIR) < 0 &&
	    errno != ENOENT) {
		/* Read on from a position that the file system did not keep:
		 * read the level again from its start. */
		if ((errno == ENOTEMPTY || errno == EEXIST) && f->resumed &&
		    f->passes < MAX_PASSES) {
			f->passes++;
			f->resumed = false;
			rewinddir(f->dir);
			return;
		}
		warn("cannot remove %s", quote(level_path(w)));
		f->kept = true;
	}
	if (f->kept)
		stays(p, f->name);
	closedir(f->dir);
	strset_free(&f->stays);
	free(f->name);
	w->depth--;
}

/* A directory (or what the type said might be one) in the current level. */
static void descend(struct walk *w, const char *name, unsigned char type)
{
	struct frame *f = &w->f[w->depth - 1];
	int dfd = dirfd(f->dir);
	const char *why = NULL;
	struct statx stx;
	struct stat st;
	int fd;

	if (type == DT_UNKNOWN) {
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				entry_failed(w, name, errno);
			return;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
				entry_failed(w, name, errno);
			return;
		}
	}
	fd = open_dir(w, dfd, name, f, &stx, NULL, &why);
	if (fd < 0) {
		/* Swapped for something else since it was read: unlink that. */
		if (errno == ENOTDIR || errno == ELOOP) {
			if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
				entry_failed(w, name, errno);
		} else if (why != NULL) {
			warnx("cannot remove %s: %s",
			    quote(entry_path(w, name)), why);
			stays(f, name);
		} else if (errno != ENOENT) {
			entry_failed(w, name, errno);
		}
		return;
	}
	if (is_mount(&stx, f)) {
		warnx("%s is a mount point; left in place",
		    quote(entry_path(w, name)));
		stays(f, name);
		close(fd);
		return;
	}
	if (push(w, fd, name, &stx) < 0)
		entry_failed(w, name, errno);
}

static void walk_level(struct walk *w)
{
	struct frame *f = &w->f[w->depth - 1];
	struct dirent *e;

	errno = 0;
	e = readdir(f->dir);
	if (e == NULL) {
		if (errno != 0) {
			warn("cannot read %s", quote(level_path(w)));
			f->kept = true;
		}
		pop(w);
		return;
	}
	if (e->d_name[0] == '.' &&
	    (e->d_name[1] == '\0' ||
		(e->d_name[1] == '.' && e->d_name[2] == '\0')))
		return;
	if (strset_has(&f->stays, e->d_name))
		return;
	if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) {
		if (unlinkat(dirfd(f->dir), e->d_name, 0) == 0 ||
		    errno == ENOENT)
			return;
		if (errno != EISDIR) {
			entry_failed(w, e->d_name, errno);
			return;
		}
	}
	descend(w, e->d_name, e->d_type);
}

/*
 * Levels that may hold a descriptor at once: half of what the limit
 * leaves, at most 128.  The limit is first raised as far as allowed; the
 * walk needs two free descriptors at the least, and gives up higher
 * levels' when short of them.
 */
static size_t window_size(struct rlimit *saved)
{
	rlim_t n = 64;

	if (getrlimit(RLIMIT_NOFILE, saved) == 0) {
		n = nofile_raise(saved->rlim_max);
		if (n == 0 || n == RLIM_INFINITY)
			n = 64;
	} else {
		saved->rlim_cur = 0; /* nothing to put back */
	}
	n = n > 16 ? (n - 16) / 2 : 1;
	return n > 128 ? 128 : (size_t)n;
}

/*
 * Remove NAME in the directory TOPFD (which the walk takes over) and
 * everything under it; SHOWN is its path for messages.  0 if all of it is
 * gone (or, with EXPECT, if it is not that directory: then nothing is
 * touched), -1 if something stays (each reason has been told).
 */
static int remove_tree(int topfd, const char *name, const char *shown,
    const struct ident *expect)
{
	struct walk w = { .topfd = topfd };
	size_t dirlen = (size_t)(strrchr(shown, '/') - shown);
	struct rlimit saved = { 0, 0 };
	const char *why = NULL;
	struct statx stx;
	int fd, status = 0;

	w.window = window_size(&saved);
	if (statx(w.topfd, "", AT_EMPTY_PATH, STATX_WANT, &stx) < 0 ||
	    (w.path = strdup(shown)) == NULL) {
		warn("cannot remove %s", quote(shown));
		status = -1;
		goto out;
	}
	set_identity(&w.parent, &stx);
	w.pathcap = strlen(shown) + 1;
	w.parent.pathlen = dirlen;

	fd = open_dir(&w, w.topfd, name, &w.parent, &stx, expect, &why);
	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP) {
			/* The top replaced by a link or a file: that goes. */
			if (expect != NULL || unlinkat(w.topfd, name, 0) == 0 ||
			    errno == ENOENT)
				goto out;
		} else if (errno == ENOENT || errno == ESTALE) {
			goto out;
		}
		if (why != NULL)
			warnx("cannot remove %s: %s", quote(shown), why);
		else
			warn("cannot remove %s", quote(shown));
		status = -1;
		goto out;
	}
	if (is_mount(&stx, &w.parent)) {
		warnx("%s is a mount point; left in place", quote(shown));
		close(fd);
		status = -1;
		goto out;
	}
	if (push(&w, fd, name, &stx) < 0) {
		warn("cannot remove %s", quote(shown));
		status = -1;
		goto out;
	}
	while (w.depth > 0 && !w.aborted)
		walk_level(&w);
	if (w.aborted || w.parent.kept)
		status = -1;
	while (w.depth > 0) {
		struct frame *f = &w.f[--w.depth];

		if (f->dir != NULL)
			closedir(f->dir);
		strset_free(&f->stays);
		free(f->name);
	}
out:
	strset_free(&w.parent.stays);
	if (w.topfd >= 0)
		close(w.topfd);
	if (saved.rlim_cur != 0)
		setrlimit(RLIMIT_NOFILE, &saved);
	free(w.f);
	free(w.path);
	return status;
}

/* Remove PATH, an absolute path, and everything under it: see above. */
int rmtree(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = xstrdup(path);
	int fd;

	dir[slash == path ? 1 : slash - path] = '\0';
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0) {
		warn("cannot remove %s", quote(path));
		return -1;
	}
	return remove_tree(fd, slash + 1, path, NULL);
}

/*
 * Remove NAME in DIRFD, shown as SHOWN (which holds a '/'), and everything
 * under it, taking DIRFD over (it is closed), so that a caller at the
 * descriptor limit spends none of its own on the walk.
 */
int rmtree_in(int dirfd, const char *name, const char *shown)
{
	return remove_tree(dirfd, name, shown, NULL);
}

/*
 * Remove NAME in DIRFD, shown as SHOWN (which holds a '/'), only if it is
 * still the directory EXPECT.
 */
int rmtree_at(int dirfd, const char *name, const char *shown,
    const struct ident *expect)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0) {
		warn("cannot remove %s", quote(shown));
		return -1;
	}
	return remove_tree(fd, name, shown, expect);
}
