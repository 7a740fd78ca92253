/*
 * Small helpers shared by every form: allocation that cannot return NULL
 * (out of memory, what was made is removed before exiting), and the title
 * a process shows in ps(1).
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "src/ctempfile.h"

/*
 * Where the command line starts, for title_set(): only a process that
 * sets a title pays for finding how far it and the environment reach.
 * The pointers in argv may be changed meanwhile; the strings are not.
 */
static char *title_area;
static int title_argc;

void title_init(int argc, char **argv)
{
	title_area = argv[0];
	title_argc = argc;
}

/* The bytes that the arguments and then the environment take in a row. */
static size_t title_size(void)
{
	char *end = title_area;

	for (int i = 0; i < title_argc; i++)
		end += strlen(end) + 1;
	for (size_t i = 0; environ[i] != NULL && environ[i] == end; i++)
		end += strlen(environ[i]) + 1;
	return (size_t)(end - title_area);
}

/*
 * Show TITLE as the command line in ps(1), in place of the arguments and
 * the environment, which this process no longer needs.  The program name
 * lives in that memory too: it is copied out first.  Whether the whole
 * title fit (under "env -i", the arguments alone may be too short).
 */
bool title_set(const char *title)
{
	size_t len = strlen(title), size;
	char *name = xstrdup(getprogname());
	bool fits;

	setprogname(name);
	program_invocation_short_name = name;
	if (title_area == NULL)
		return false;
	size = title_size();
	clearenv();
	fits = len < size;
	if (!fits)
		len = size - 1;
	memset(title_area, 0, size);
	memcpy(title_area, title, len);
	return fits;
}

/*
 * Raise the soft limit of open files to NEED, as far as the hard limit
 * allows: the soft limit in force after.
 */
rlim_t nofile_raise(rlim_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return need;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need
	    ? rl.rlim_max
	    : need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 &&
	    getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	return rl.rlim_cur;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL) {
		guard_undo();
		err(exit_failure, NULL);
	}
	return p;
}

void *xmalloc(size_t n)
{
	return xrealloc(NULL, n);
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/*
 * Whether what STX describes is the root of a mount, bind mounts of the
 * same file system included, given the mount id MNT (0 if unknown) and
 * the device DEV of the directory that holds it.
 */
bool mount_root(const struct statx *stx, uint64_t mnt, dev_t dev)
{
	if (stx->stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		return stx->stx_attributes & STATX_ATTR_MOUNT_ROOT;
#if HAVE_STATX_MNT_ID
	if ((stx->stx_mask & STATX_MNT_ID) && mnt != 0)
		return stx->stx_mnt_id != mnt;
#endif
	return makedev(stx->stx_dev_major, stx->stx_dev_minor) != dev;
}
