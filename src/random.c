/*
 * Random characters for names.  Bytes come from arc4random_buf(3) (seeded
 * from the kernel's generator) in growing batches, so a single name costs
 * one small request and a batch of names few.  A byte is used only if it is
 * below the largest multiple of the alphabet's size, so every character is
 * equally likely: no modulo bias.
 */
#include <stdlib.h>
#include <string.h>

#include "src/ctempfile.h"

#define POOL_MAX 4096

static unsigned char pool[POOL_MAX];
static size_t avail;
static size_t refill = 64;

void random_chars(char *dst, size_t n, const char *alphabet)
{
	size_t alen = strlen(alphabet);
	unsigned int limit = 256 - 256 % (unsigned int)alen;
	unsigned char b;

	while (n > 0) {
		if (avail == 0) {
			arc4random_buf(pool, refill);
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
