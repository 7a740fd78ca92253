/*
 * clean: remove what crashes left in a directory of temporaries, each
 * entry whole, and only when nobody uses it.  An entry is a unit: a file,
 * or a directory with everything in it.  One walk judges a unit, as a
 * whole, against every rule; a second removes it (rmtree.c), from the unit
 * opened again without following links and checked to be the one judged,
 * while the exclusive lock taken for the judgement is still held.
 *
 * What processes use is read from /proc once per DIR, before any unit is
 * judged: every open descriptor, current and root directory and mapped
 * file, as the (device, inode) it names, and the socket files that
 * /proc/net/unix says are bound.  The judging walk keeps one descriptor and
 * one position per level and shares one buffer: memory grows with depth,
 * never with the number of entries.  No file inside a unit is ever opened;
 * directories are read with O_NOATIME where permitted, and no access time
 * of a directory counts, so reading a tree does not make it look new.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "src/ctempfile.h"

#define DEFAULT_AGE "10d"

/* What /proc shows in use: by a process, or (pid 0) a bound socket. */
struct used {
	dev_t dev;
	ino_t ino;
	pid_t pid;
};

struct useset {
	struct used *v;
	size_t n, cap;
	int error; /* why a process could not be read, where it matters */
};

struct clean {
	long long age; /* seconds; 0: any age */
	const char *age_text;
	struct timespec cutoff; /* newer than this is too new */
	const char **exclude;
	size_t nexclude;
	bool all_users, dry_run, zero, verbose, quiet;
	uid_t uid;
	struct useset used;
	int status;
};

/* Why a unit stays, in the order the rules are checked. */
enum why {
	KEEP_NONE,
	KEEP_EXCLUDED,
	KEEP_OWNER,
	KEEP_MOUNT,
	KEEP_LOCKED,
	KEEP_UNREADABLE,
	KEEP_IN_USE,
	KEEP_SOCKET,
	KEEP_STICKY,
	KEEP_NEW,      /* the only reason that a verbose walk reads on past */
	KEEP_REPLACED, /* judged, then found replaced or moved */
};

/* One directory being read in the judging walk. */
struct level {
	int fd;
	dev_t dev;
	ino_t ino;
	off_t next;	/* position of the entry after the one entered */
	size_t pathlen; /* of its path, in the walk's path */
};

struct judge {
	struct clean *c;
	uint64_t mnt; /* DIR's mount */
	dev_t dev;
	struct level *lv;
	size_t depth, cap;
	char *path; /* the entry's path, for messages */
	size_t pathcap;
	char *buf; /* one reading of a directory, shared by every level */
	enum why why;
	int error;   /* KEEP_UNREADABLE: why */
	pid_t pid;   /* KEEP_IN_USE: who */
	char *where; /* the entry that decided, or the newest */
	struct timespec newest;
	/* Of the top's entries, only those whose hash % PARTS is PART. */
	unsigned int part, parts;
	atomic_bool *stop; /* the other part has decided: the unit stays */
};

#define READ_BUF 32768

static int used_cmp(const void *a, const void *b)
{
	const struct used *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static void used_add(struct useset *u, dev_t dev, ino_t ino, pid_t pid)
{
	if (u->n > 0 && u->v[u->n - 1].dev == dev && u->v[u->n - 1].ino == ino)
		return; /* a file mapped several times in a row */
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 1024;
		u->v = xrealloc(u->v, u->cap * sizeof(*u->v));
	}
	u->v[u->n++] = (struct used){ dev, ino, pid };
}

static const struct used *used_find(const struct useset *u, dev_t dev,
    ino_t ino)
{
	struct used key = { dev, ino, 0 };

	return u->n ? bsearch(&key, u->v, u->n, sizeof(*u->v), used_cmp) : NULL;
}

/*
 * Note the failure to read a process's ERROR unless it only means that the
 * caller may not see it or that it has ended: then what it uses could be
 * missed, and nothing may be removed.
 */
static void proc_failed(struct useset *u, int error)
{
	if (error != EACCES && error != EPERM && error != ENOENT &&
	    error != ESRCH && u->error == 0)
		u->error = error;
}

/* What NAME in the process directory PFD names, if it can be seen. */
static void proc_link(struct useset *u, int pfd, const char *name, pid_t pid)
{
	struct stat st;

	if (fstatat(pfd, name, &st, 0) == 0)
		used_add(u, st.st_dev, st.st_ino, pid);
	else
		proc_failed(u, errno);
}

static void proc_fds(struct useset *u, int pfd, pid_t pid)
{
	int fd = openat(pfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	DIR *d;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		proc_failed(u, errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (errno = 0; (e = readdir(d)) != NULL; errno = 0)
		if (e->d_name[0] != '.')
			proc_link(u, dirfd(d), e->d_name, pid);
	if (errno != 0)
		proc_failed(u, errno);
	closedir(d);
}

/* Skip N fields of LINE and the blanks after them. */
static char *skip_fields(char *line, int n)
{
	for (; n > 0 && line != NULL; n--) {
		line += strspn(line, " ");
		line = strchr(line, ' ');
	}
	return line != NULL ? line + strspn(line, " ") : NULL;
}

/* Each file mapped: "ADDR PERMS OFFSET MAJOR:MINOR INODE [PATH]". */
static void proc_maps(struct useset *u, int pfd, pid_t pid)
{
	int fd = openat(pfd, "maps", O_RDONLY | O_CLOEXEC);
	unsigned long major, minor;
	unsigned long long ino;
	char *line = NULL, *p;
	size_t cap = 0;
	FILE *f;

	if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
		proc_failed(u, errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		if ((p = skip_fields(line, 3)) == NULL)
			continue;
		major = strtoul(p, &p, 16);
		if (*p++ != ':')
			continue;
		minor = strtoul(p, &p, 16);
		ino = strtoull(p, NULL, 10);
		if (ino != 0)
			used_add(u, makedev(major, minor), (ino_t)ino, pid);
	}
	if (ferror(f))
		proc_failed(u, errno);
	free(line);
	fclose(f);
}

/* Socket files bound by some process: the 8th field of /proc/net/unix. */
static void proc_sockets(struct useset *u)
{
	FILE *f = fopen("/proc/net/unix", "re");
	char *line = NULL, *p;
	size_t cap = 0;
	ssize_t len;
	struct stat st;

	if (f == NULL) {
		proc_failed(u, errno == ENOENT ? EIO : errno);
		return;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		p = skip_fields(line, 7);
		if (p == NULL || *p != '/')
			continue;
		if (lstat(p, &st) == 0 && S_ISSOCK(st.st_mode))
			used_add(u, st.st_dev, st.st_ino, 0);
	}
	if (ferror(f))
		proc_failed(u, errno);
	free(line);
	fclose(f);
}

/* Read what every process that /proc shows uses: -1 if /proc cannot be. */
static int proc_scan(struct useset *u)
{
	DIR *proc = opendir("/proc");
	pid_t self = getpid();
	struct dirent *e;
	struct statfs fs;
	int pfd;

	u->n = 0;
	u->error = 0;
	if (proc == NULL)
		return -1;
	if (fstatfs(dirfd(proc), &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC) {
		closedir(proc);
		return -1;
	}
	for (errno = 0; (e = readdir(proc)) != NULL; errno = 0) {
		const char *errstr;
		pid_t pid = (pid_t)strtonum(e->d_name, 1, INT32_MAX, &errstr);

		if (errstr != NULL || pid == self)
			continue;
		pfd = openat(dirfd(proc), e->d_name,
		    O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0) {
			proc_failed(u, errno);
			continue;
		}
		proc_link(u, pfd, "cwd", pid);
		proc_link(u, pfd, "root", pid);
		proc_fds(u, pfd, pid);
		proc_maps(u, pfd, pid);
		close(pfd);
	}
	if (errno != 0)
		proc_failed(u, errno);
	closedir(proc);
	proc_sockets(u);
	if (u->n > 0)
		qsort(u->v, u->n, sizeof(*u->v), used_cmp);
	return 0;
}

/* Room in the walk's path for NAME after the first LEN bytes. */
static void path_set(struct judge *j, size_t len, const char *name)
{
	size_t need = len + 1 + strlen(name) + 1;

	if (need > j->pathcap) {
		j->pathcap = 2 * need;
		j->path = xrealloc(j->path, j->pathcap);
	}
	j->path[len] = '/';
	memcpy(j->path + len + 1, name, strlen(name) + 1);
}

/* The unit stays for WHY, decided by the entry at the walk's path. */
static void keep(struct judge *j, enum why why)
{
	j->why = why;
	free(j->where);
	j->where = xstrdup(j->path);
}

static struct timespec later(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec ||
		(a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec)
	    ? a
	    : b;
}

static bool newer(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec ||
	    (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static struct timespec stx_time(struct statx_timestamp t)
{
	return (struct timespec){ t.tv_sec, t.tv_nsec };
}

/*
 * Judge one entry (the unit's top included): true once the unit is known
 * to stay, and nothing more needs reading.
 */
/* Whether a process uses what STX describes, or it is a live socket. */
static bool used_by(struct judge *j, const struct statx *stx)
{
	const struct used *u;

	u = used_find(&j->c->used,
	    makedev(stx->stx_dev_major, stx->stx_dev_minor), stx->stx_ino);
	if (u == NULL || (u->pid == 0 && !S_ISSOCK(stx->stx_mode)))
		return false;
	j->pid = u->pid;
	keep(j, u->pid != 0 ? KEEP_IN_USE : KEEP_SOCKET);
	return true;
}

static bool judge_entry(struct judge *j, const struct statx *stx)
{
	const struct clean *c = j->c;
	struct timespec t;

	if (used_by(j, stx))
		return true;
	if (S_ISREG(stx->stx_mode) && (stx->stx_mode & S_ISVTX)) {
		keep(j, KEEP_STICKY);
		return true;
	}
	if (S_ISDIR(stx->stx_mode) && mount_root(stx, j->mnt, j->dev)) {
		keep(j, KEEP_MOUNT);
		return true;
	}
	t = later(stx_time(stx->stx_mtime), stx_time(stx->stx_ctime));
	if (!S_ISDIR(stx->stx_mode))
		t = later(t, stx_time(stx->stx_atime));
	if (c->age > 0 && newer(t, j->newest)) {
		j->newest = t;
		if (newer(t, c->cutoff)) {
			keep(j, KEEP_NEW);
			return !c->verbose;
		}
	}
	return false;
}

#define STATX_JUDGE \
	(STATX_TYPE | STATX_MODE | STATX_INO | STATX_ATIME | STATX_MTIME | \
	    STATX_CTIME | STATX_MNT_ID)

/* Open NAME in DIRFD to be read, without following links or atime. */
static int open_read(int dirfd, const char *name)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = openat(dirfd, name, flags | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = openat(dirfd, name, flags);
	return fd;
}

/* Enter the directory FD, described by STX, at the walk's path. */
static void enter(struct judge *j, int fd, const struct statx *stx)
{
	if (j->depth == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 16;
		j->lv = xrealloc(j->lv, j->cap * sizeof(*j->lv));
	}
	j->lv[j->depth++] =
	    (struct level){ fd, makedev(stx->stx_dev_major, stx->stx_dev_minor),
		    stx->stx_ino, 0, strlen(j->path) };
}

/*
 * One entry of the current level: judged, and entered if it is a
 * directory that can be read.  A directory that the caller may not read
 * is judged by its own times: nothing can be put in it, nor anything in
 * it reached by name, without a change of mode, which is a change.  True
 * once the unit is known to stay.
 */
static bool judge_child(struct judge *j, const struct dirent64 *e)
{
	struct level *l = &j->lv[j->depth - 1];
	struct statx stx;
	int fd;

	path_set(j, l->pathlen, e->d_name);
	if (statx(l->fd, e->d_name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
		STATX_JUDGE, &stx) < 0) {
		if (errno == ENOENT)
			return false;
		j->error = errno;
		keep(j, KEEP_UNREADABLE);
		return true;
	}
	if (judge_entry(j, &stx))
		return true;
	if (!S_ISDIR(stx.stx_mode))
		return false;
	fd = open_read(l->fd, e->d_name);
	if (fd < 0) {
		if (errno == EACCES || errno == ENOENT)
			return false;
		j->error = errno;
		keep(j, KEEP_UNREADABLE);
		return true;
	}
	l->next = e->d_off;
	enter(j, fd, &stx);
	return false;
}

/* FNV-1a: which part of a split walk judges an entry of the top. */
static unsigned int name_hash(const char *s)
{
	uint32_t h = 2166136261U;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619U;
	return h;
}

/*
 * Read the current level on from where it was: false once the walk is
 * over.  A level read to its end is left, and its parent read on from the
 * entry after it.
 */
static bool judge_level(struct judge *j)
{
	struct level *l = &j->lv[j->depth - 1];
	size_t depth = j->depth;
	ssize_t n;

	if (j->stop != NULL && atomic_load(j->stop))
		return false;
	n = getdents64(l->fd, j->buf, READ_BUF);
	if (n <= 0) {
		if (n < 0) {
			j->error = errno;
			j->path[l->pathlen] = '\0';
			keep(j, KEEP_UNREADABLE);
			return false;
		}
		close(l->fd);
		if (--j->depth == 0)
			return false;
		l = &j->lv[j->depth - 1];
		return lseek(l->fd, l->next, SEEK_SET) >= 0 ||
		    (j->error = errno, keep(j, KEEP_UNREADABLE), false);
	}
	for (ssize_t off = 0; off < n && j->depth == depth;) {
		const struct dirent64 *e = (void *)(j->buf + off);

		off += e->d_reclen;
		if (e->d_name[0] == '.' &&
		    (e->d_name[1] == '\0' ||
			(e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		if (j->depth == 1 && j->parts > 1 &&
		    name_hash(e->d_name) % j->parts != j->part)
			continue;
		if (judge_child(j, e)) {
			if (j->stop != NULL)
				atomic_store(j->stop, true);
			return false;
		}
	}
	return true;
}

/* Walk the directory FD, described by STX, and all below it. */
static void walk(struct judge *j, int fd, const struct statx *stx)
{
	enter(j, fd, stx);
	while (j->depth > 0 && judge_level(j))
		;
	while (j->depth > 0)
		close(j->lv[--j->depth].fd);
}

/* The second part of a split walk, run by a thread of its own. */
struct part {
	struct judge j;
	int fd;
	const struct statx *top;
};

static void *walk_part(void *arg)
{
	struct part *p = arg;

	walk(&p->j, p->fd, p->top);
	return NULL;
}

/* Take the verdict of the other part O where it says more. */
static void merge(struct judge *j, struct judge *o)
{
	bool decided = j->why != KEEP_NONE && j->why != KEEP_NEW;

	if (o->why == KEEP_NONE || decided ||
	    (o->why == KEEP_NEW && j->why == KEEP_NEW &&
		!newer(o->newest, j->newest)))
		return;
	j->why = o->why;
	j->error = o->error;
	j->pid = o->pid;
	j->newest = later(j->newest, o->newest);
	free(j->where);
	j->where = o->where;
	o->where = NULL;
}

/*
 * Judge the directory FD (open for reading), the unit at the walk's path
 * described by STX: everything in it.  A unit with two subdirectories or
 * more is judged in two parts at once, each on a descriptor of its own
 * (the other's reading position is its own), each part taking the top's
 * entries by a hash of their names, so that an entry met by one reading
 * and not the other is judged still by the part it falls to.
 */
static void judge_tree(struct judge *j, int fd, const struct statx *stx)
{
	int mine = open_read(fd, ".");
	atomic_bool stop = false;
	struct part o = { .fd = -1, .top = stx };
	pthread_t t;

	if (mine < 0) {
		j->error = errno;
		keep(j, KEEP_UNREADABLE);
		return;
	}
	if (stx->stx_nlink > 3 && (o.fd = open_read(fd, ".")) >= 0) {
		o.j = (struct judge){ .c = j->c,
			.mnt = j->mnt,
			.dev = j->dev,
			.path = xstrdup(j->path),
			.pathcap = strlen(j->path) + 1,
			.buf = xmalloc(READ_BUF),
			.newest = j->newest,
			.part = 1,
			.parts = 2,
			.stop = &stop };
		j->part = 0;
		j->parts = 2;
		j->stop = &stop;
		if (pthread_create(&t, NULL, walk_part, &o) != 0) {
			close(o.fd);
			o.fd = -1;
			j->parts = 1;
		}
	}
	walk(j, mine, stx);
	if (o.fd >= 0) {
		pthread_join(t, NULL);
		merge(j, &o.j);
		free(o.j.where);
	}
	free(o.j.lv);
	free(o.j.path);
	free(o.j.buf);
	j->parts = 1;
	j->stop = NULL;
}

/*
 * Open the regular file NAME in DIRFD, described by STX, to lock it: by a
 * reference first, checked to be that file, so that nothing else (a FIFO,
 * a device) is ever opened in its place.
 */
static int open_file(int dirfd, const char *name, const struct statx *stx)
{
	int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	char proc[64];
	struct stat st;
	int ref, fd;

	ref = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (ref < 0)
		return -1;
	if (fstat(ref, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_ino != stx->stx_ino) {
		close(ref);
		errno = ESTALE;
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", ref);
	fd = open(proc, flags | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(proc, flags);
	close(ref);
	return fd;
}

/*
 * Take the unit's lock: the descriptor that holds it, -1 where the unit
 * is neither a directory nor a regular file (never opened) or may not be
 * opened by the caller (then no lock can be held on it but through a
 * descriptor that /proc shows).  Sets the verdict where it stays.
 */
static int lock_unit(struct judge *j, int dirfd, const char *name,
    struct statx *stx)
{
	struct statx now;
	int fd;

	if (S_ISDIR(stx->stx_mode))
		fd = open_read(dirfd, name);
	else if (S_ISREG(stx->stx_mode))
		fd = open_file(dirfd, name, stx);
	else
		return -1;
	if (fd < 0) {
		if (errno == ESTALE || errno == ENOENT || errno == ENOTDIR ||
		    errno == ELOOP) {
			keep(j, KEEP_REPLACED);
		} else if (errno == EWOULDBLOCK) {
			keep(j, KEEP_LOCKED); /* a lease */
		} else if (errno != EACCES) {
			j->error = errno;
			keep(j, KEEP_UNREADABLE);
		}
		return -1;
	}
	if (statx(fd, "", AT_EMPTY_PATH, STATX_JUDGE, &now) < 0 ||
	    now.stx_ino != stx->stx_ino ||
	    now.stx_dev_major != stx->stx_dev_major ||
	    now.stx_dev_minor != stx->stx_dev_minor) {
		keep(j, KEEP_REPLACED);
	} else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		j->error = errno;
		keep(j, errno == EWOULDBLOCK ? KEEP_LOCKED : KEEP_UNREADABLE);
	} else {
		*stx = now;
	}
	return fd;
}

/*
 * Judge the unit NAME in DIRFD, shown as SHOWN, against every rule, in
 * order: its verdict in J, and the descriptor that holds its lock (to be
 * held until it is gone), or -1.
 */
static int judge_unit(struct judge *j, int dirfd, const char *name,
    const char *shown, struct statx *stx, uid_t *owner)
{
	const struct clean *c = j->c;
	int fd;

	j->why = KEEP_NONE;
	j->newest = (struct timespec){ 0, 0 };
	free(j->path);
	j->path = xstrdup(shown);
	j->pathcap = strlen(shown) + 1;
	for (size_t i = 0; i < c->nexclude; i++)
		if (fnmatch(c->exclude[i], name, 0) == 0) {
			keep(j, KEEP_EXCLUDED);
			return -1;
		}
	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
		STATX_JUDGE | STATX_UID, stx) < 0) {
		j->error = errno;
		keep(j, KEEP_UNREADABLE);
		return -1;
	}
	*owner = stx->stx_uid;
	if (!c->all_users && stx->stx_uid != c->uid) {
		keep(j, KEEP_OWNER);
		return -1;
	}
	if (mount_root(stx, j->mnt, j->dev)) {
		keep(j, KEEP_MOUNT);
		return -1;
	}
	/* What a process holds open is never opened (nor its lease broken). */
	if (used_by(j, stx))
		return -1;
	fd = lock_unit(j, dirfd, name, stx);
	if (j->why != KEEP_NONE || judge_entry(j, stx))
		return fd;
	if (S_ISDIR(stx->stx_mode) && fd >= 0)
		judge_tree(j, fd, stx);
	return fd;
}

/* Say why the unit SHOWN stays, or that it goes. */
static void report(const struct judge *j, const char *shown, uid_t owner)
{
	const struct clean *c = j->c;
	const char *q = quote(shown), *w = quote(j->where ? j->where : shown);
	char when[64];
	struct tm tm;

	switch (j->why) {
	case KEEP_NONE:
		warnx("%s: %s", q, c->dry_run ? "would be removed" : "removed");
		break;
	case KEEP_EXCLUDED: warnx("%s: kept: excluded", q); break;
	case KEEP_OWNER:
		warnx("%s: kept: not yours (owner %u)", q, (unsigned int)owner);
		break;
	case KEEP_MOUNT: warnx("%s: kept: mount point %s", q, w); break;
	case KEEP_LOCKED: warnx("%s: kept: locked", q); break;
	case KEEP_REPLACED:
		warnx("%s: kept: replaced or moved while judged", q);
		break;
	case KEEP_UNREADABLE: break; /* told anyway */
	case KEEP_IN_USE:
		warnx("%s: kept: in use by process %ld: %s", q, (long)j->pid,
		    w);
		break;
	case KEEP_SOCKET: warnx("%s: kept: live socket %s", q, w); break;
	case KEEP_STICKY: warnx("%s: kept: sticky file %s", q, w); break;
	case KEEP_NEW:
		if (localtime_r(&j->newest.tv_sec, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm) == 0)
			snprintf(when, sizeof(when), "%lld",
			    (long long)j->newest.tv_sec);
		warnx("%s: kept: newer than %s: %s at %s", q, c->age_text, w,
		    when);
		break;
	}
}

/*
 * Remove the unit NAME in DIRFD, judged as STX, only if it is still that
 * one: 0 once it is gone, 1 if it was replaced or moved meanwhile (then
 * it is left), -1 if something stays (each reason told).
 */
static int remove_unit(int dirfd, const char *name, const char *shown,
    const struct statx *stx)
{
	struct ident id = { makedev(stx->stx_dev_major, stx->stx_dev_minor),
		stx->stx_ino };
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 1;
		warn("cannot remove %s", quote(shown));
		return -1;
	}
	if (st.st_dev != id.dev || st.st_ino != id.ino)
		return 1;
	if (S_ISDIR(stx->stx_mode))
		return rmtree_at(dirfd, name, shown, &id);
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT) {
		warn("cannot remove %s", quote(shown));
		return -1;
	}
	return 0;
}

/* Standard error closed for what -q silences, and opened back: -1/fd. */
static int hush(int saved)
{
	int fd;

	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
		return -1;
	}
	saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && fd >= 0)
		dup2(fd, STDERR_FILENO);
	if (fd >= 0)
		close(fd);
	return saved;
}

/* One unit: judged, then removed (or printed), the verdict told. */
static void clean_unit(struct judge *j, int dirfd, const char *name,
    const char *shown)
{
	struct clean *c = j->c;
	struct statx stx;
	uid_t owner = 0;
	int fd = judge_unit(j, dirfd, name, shown, &stx, &owner), quiet = -1;
	bool told = j->why == KEEP_UNREADABLE && j->error != ENOENT &&
	    j->error != ESTALE;

	if (told) {
		if (!c->quiet)
			warnc(j->error, "%s: kept: cannot read %s",
			    quote(shown), quote(j->where));
		c->status = EXIT_FAILURE;
	}
	if (j->why == KEEP_NONE) {
		if (c->dry_run) {
			fputs(shown, stdout);
			putchar(c->zero ? '\0' : '\n');
		} else {
			if (c->quiet)
				quiet = hush(-1);
			switch (remove_unit(dirfd, name, shown, &stx)) {
			case -1: c->status = EXIT_FAILURE; break;
			case 1: j->why = KEEP_REPLACED; break;
			default: break;
			}
			if (quiet >= 0)
				hush(quiet);
		}
	}
	if (fd >= 0)
		close(fd);
	if (c->verbose && !told)
		report(j, shown, owner);
}

/* Every unit in DIR. */
static void clean_dir(struct clean *c, struct judge *j, const char *dir)
{
	size_t len = strlen(dir);
	struct dirent *e;
	struct statx stx;
	struct stat root;
	char *shown;
	DIR *d;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || statx(fd, "", AT_EMPTY_PATH, STATX_JUDGE, &stx) < 0 ||
	    (d = fdopendir(fd)) == NULL) {
		warn("cannot read %s", quote(dir));
		if (fd >= 0)
			close(fd);
		c->status = EXIT_FAILURE;
		return;
	}
	if (stat("/", &root) == 0 && root.st_ino == stx.stx_ino &&
	    root.st_dev == makedev(stx.stx_dev_major, stx.stx_dev_minor)) {
		warnx("refusing to clean %s: it is the root directory",
		    quote(dir));
		closedir(d);
		c->status = EXIT_FAILURE;
		return;
	}
	j->dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	j->mnt = stx.stx_mask & STATX_MNT_ID ? stx.stx_mnt_id : 0;
	if (proc_scan(&c->used) < 0)
		errx(EXIT_FAILURE,
		    "cannot read /proc: what processes use "
		    "cannot be seen; nothing removed");
	if (c->used.error != 0)
		errc(EXIT_FAILURE, c->used.error,
		    "cannot read what processes use in /proc; nothing removed");
	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (errno = 0; (e = readdir(d)) != NULL; errno = 0) {
		if (e->d_name[0] == '.' &&
		    (e->d_name[1] == '\0' ||
			(e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		if (asprintf(&shown, "%.*s/%s",
			(int)(len == 1 && *dir == '/' ? 0 : len), dir,
			e->d_name) < 0)
			err(EXIT_FAILURE, NULL);
		clean_unit(j, dirfd(d), e->d_name, shown);
		free(shown);
	}
	if (errno != 0) {
		warn("cannot read %s", quote(dir));
		c->status = EXIT_FAILURE;
	}
	closedir(d);
}

/*
 * DURATION in seconds: a number of seconds, or numbers each followed by
 * s, m, h, d or w, in any combination ("1h30m"); -1 if it is not one.
 */
static long long parse_age(const char *s)
{
	static const char units[] = "smhdw";
	static const long long secs[] = { 1, 60, 3600, 86400, 604800 };
	const long long max = 1LL << 50;
	bool bare = *s != '\0' && strspn(s, "0123456789") == strlen(s);
	long long total = 0, v;
	const char *u;

	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		for (v = 0; *s >= '0' && *s <= '9'; s++)
			if ((v = v * 10 + (*s - '0')) > max)
				return -1;
		if (bare)
			return v;
		if (*s == '\0' || (u = strchr(units, *s)) == NULL)
			return -1;
		s++;
		if (v > (max - total) / secs[u - units])
			return -1;
		total += v * secs[u - units];
	}
	return total;
}

enum { OPT_AGE = 256, OPT_ALL_USERS, OPT_EXCLUDE, OPT_HELP };

static const struct option longopts[] = {
	{ "age", required_argument, NULL, OPT_AGE },
	{ "all-users", no_argument, NULL, OPT_ALL_USERS },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "zero", no_argument, NULL, 'z' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf("Usage: %s clean [OPTION]... [DIR]...\n%s\n\nOptions:\n",
	    getprogname(),
	    "Remove what crashes left in each DIR (default: what gettempdir prints):\n"
	    "every entry that is yours, on DIR's mount, unlocked, used by no process,\n"
	    "holding no live socket and no sticky file, and old as a whole.");
	usage_row(0, "age", "DURATION",
	    "only what nothing in has changed for DURATION,");
	usage_row(0, NULL, NULL, "like 30m, 12h, 1w2d; 0: any (default: 10d)");
	usage_row(0, "all-users", NULL, "whoever owns it (root only)");
	usage_row(0, "exclude", "GLOB",
	    "never an entry whose name matches GLOB");
	usage_row('n', "dry-run", NULL, "remove nothing; print what would go");
	usage_row('z', "zero", NULL, "with -n: end each name with NUL");
	usage_row('v', "verbose", NULL,
	    "say of every entry whether it goes, or why not");
	usage_row('q', "quiet", NULL, "say nothing when removal fails");
	usage_row(0, "help", NULL, "display this help and exit");
}

static void parse(struct clean *c, int argc, char **argv)
{
	bool bad = false;
	int ch;

	c->age_text = DEFAULT_AGE;
	c->uid = getuid();
	while ((ch = diag_getopt(argc, argv, "nzvq", longopts)) != -1) {
		switch (ch) {
		case OPT_AGE: c->age_text = optarg; break;
		case OPT_ALL_USERS: c->all_users = true; break;
		case OPT_EXCLUDE:
			c->exclude = xrealloc(c->exclude,
			    (c->nexclude + 1) * sizeof(*c->exclude));
			c->exclude[c->nexclude++] = optarg;
			break;
		case 'n': c->dry_run = true; break;
		case 'z': c->zero = true; break;
		case 'v': c->verbose = true; break;
		case 'q': c->quiet = true; break;
		case OPT_HELP: usage(); exit(close_stdout());
		default: bad = true; break;
		}
	}
	if (bad)
		try_help("clean");
	if ((c->age = parse_age(c->age_text)) < 0)
		errx(EXIT_FAILURE,
		    "invalid age %s: a number of seconds, or numbers with "
		    "s, m, h, d or w, like 1h30m",
		    quote(c->age_text));
	if (c->zero && !c->dry_run)
		errx(EXIT_FAILURE, "--zero applies only with --dry-run");
	if (c->all_users && c->uid != 0)
		errx(EXIT_FAILURE, "--all-users is for root only");
}

int cmd_clean(int argc, char **argv)
{
	struct clean c = { .status = EXIT_SUCCESS };
	struct judge j = { .c = &c };
	struct timespec now;

	parse(&c, argc, argv);
	clock_gettime(CLOCK_REALTIME, &now);
	c.cutoff = (struct timespec){ now.tv_sec - c.age, now.tv_nsec };
	j.buf = xmalloc(READ_BUF);
	nofile_raise(RLIM_INFINITY);
	if (optind == argc)
		clean_dir(&c, &j, gettempdir(false, c.quiet));
	for (int i = optind; i < argc; i++)
		clean_dir(&c, &j, argv[i]);
	free(j.buf);
	free(j.lv);
	free(j.path);
	free(j.where);
	free(c.used.v);
	free(c.exclude);
	if (close_stdout() != EXIT_SUCCESS)
		return EXIT_FAILURE;
	return c.status;
}
