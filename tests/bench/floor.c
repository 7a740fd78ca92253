/*
 * The floor of batch creation: per file one getrandom(2), one
 * openat(O_CREAT|O_EXCL) and one close(2), printing each name.  What
 * "ctempfile named-file -n N -p DIR" is measured against.
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	unsigned char rnd[8];
	char name[16] = "tmp";
	long n;
	int dirfd, fd;

	if (argc != 3)
		errx(2, "usage: floor N DIR");
	n = strtol(argv[1], NULL, 10);
	dirfd = open(argv[2], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		err(1, "%s", argv[2]);
	for (long i = 0; i < n; i++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			err(1, "getrandom");
		for (size_t j = 0; j < sizeof(rnd); j++)
			name[3 + j] = alphabet[rnd[j] % (sizeof(alphabet) - 1)];
		name[11] = '\0';
		fd = openat(dirfd, name,
		    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			err(1, "%s", name);
		close(fd);
		printf("%s/%s\n", argv[2], name);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
