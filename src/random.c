/*
 * Random characters for names.  Bytes come from the kernel's generator,
 * getrandom(2), in growing batches, so a single name costs one system call
 * (a generator in the process would cost four, to seed itself and map its
 * state) and a batch of names few.  A byte is used only if it is below the
 * largest multiple of the alphabet's size, so every character is equally
 * likely: no modulo bias.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "src/ctempfile.h"

#define POOL_MAX 4096

static unsigned char pool[POOL_MAX];
static size_t avail;
static size_t refill = 64;

/*
 * LEN random bytes into BUF.  Requests up to 256 bytes are never cut short
 * once the generator is ready; a signal that comes first is retried, and
 * a kernel without getrandom(2) (before 3.17) ends the call.
 */
static void fill(unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t r = getrandom(buf, len, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			guard_undo();
			err(exit_failure, "getrandom");
		}
		buf += r;
		len -= (size_t)r;
	}
}

void random_chars(char *dst, size_t n, const char *alphabet)
{
	size_t alen = strlen(alphabet);
	unsigned int limit = 256 - 256 % (unsigned int)alen;
	unsigned char b;

	while (n > 0) {
		if (avail == 0) {
			fill(pool, refill);
			avail = refill;
			if (refill < POOL_MAX)
				refill *= 2;
		}
		b = pool[--avail];
		if (b < limit) {
			*dst++ = alphabet[b % alen];
			n--;
		}
	}
}
