/*
 * Copying all the bytes of one descriptor into another, by the fastest
 * means the kernel offers for the pair.  From a regular file:
 * copy_file_range(2) (a copy inside the kernel, or a reflink), then
 * sendfile(2), which works across file systems, then read(2) and
 * write(2); each path falls back to the next where a kernel or a file
 * system refuses.  Whatever error a faster path meets, read and write
 * take over from where it stopped: they meet the same error, and know
 * which side had it.
 *
 * From a pipe, read and write: splice(2) into a file was measured slower
 * than them on tmpfs (1.2 times as long as cat(1) for 256 MiB, against
 * 0.95) and no faster on ext4.  A pipe's writer sets the pace anyway.
 */
#include <err.h>
#include <errno.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/ctempfile.h"

/* The most asked of the kernel in one call; it copies less if it likes. */
#define KERNEL_CHUNK ((size_t)1 << 30)

/* The buffer of the plain path: cat(1)'s size, good for pipes and disks. */
#define PLAIN_CHUNK ((size_t)128 * 1024)

enum path { PATH_RANGE, PATH_SENDFILE, PATH_PLAIN };

/* Write all N bytes at BUF to OUT: 0, or -1 with errno set. */
int write_all(int out, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		w = write(out, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_plain(int in, off_t *off, int out, enum copy_side *side)
{
	char buf[PLAIN_CHUNK];
	ssize_t r;

	for (;;) {
		r = off ? pread(in, buf, sizeof(buf), *off)
			: read(in, buf, sizeof(buf));
		if (r == 0)
			return 0;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*side = COPY_READ;
			return -1;
		}
		if (write_all(out, buf, (size_t)r) < 0) {
			*side = COPY_WRITE;
			return -1;
		}
		if (off)
			*off += r;
	}
}

/*
 * Which path to try first.  A regular file that says it is empty may be
 * one whose size means nothing (/proc, /sys): only reading finds its end.
 */
static enum path first_path(int in)
{
	struct stat st;

	if (fstat(in, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		return PATH_RANGE;
	return PATH_PLAIN;
}

/*
 * Copy IN into OUT, from IN's offset or from *OFF (then advanced, IN's
 * offset left alone) to the end of IN.  0, or -1 with errno set and *SIDE
 * saying whether reading or writing failed.
 */
int copy_fd(int in, off_t *off, int out, enum copy_side *side)
{
	enum path path = first_path(in);
	ssize_t n;

	for (;;) {
		switch (path) {
		case PATH_RANGE:
			n = copy_file_range(in, off, out, NULL, KERNEL_CHUNK,
			    0);
			break;
		case PATH_SENDFILE:
			n = sendfile(out, in, off, KERNEL_CHUNK);
			break;
		default: return copy_plain(in, off, out, side);
		}
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR)
			path = path == PATH_RANGE ? PATH_SENDFILE : PATH_PLAIN;
	}
}

/*
 * Copy standard input into FD and rewind it: 0, or -1 with a diagnostic.
 */
int fill_from_stdin(int fd)
{
	enum copy_side side;

	if (copy_fd(STDIN_FILENO, NULL, fd, &side) < 0) {
		warn(side == COPY_READ ? "cannot read standard input"
				       : "cannot write the temporary file");
		return -1;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		warn("cannot rewind the temporary file");
		return -1;
	}
	return 0;
}
