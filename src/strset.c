/*
 * A set of strings: open addressing, linear probing, at most half full.
 * Adding reports running out of memory instead of exiting, so that the
 * tree removal can go on without it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/ctempfile.h"

static size_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot that holds S, or the empty one where it would go. */
static size_t find(const struct strset *set, const char *s)
{
	size_t i = hash(s) & (set->cap - 1);

	while (set->slot[i] != NULL && strcmp(set->slot[i], s) != 0)
		i = (i + 1) & (set->cap - 1);
	return i;
}

static int grow(struct strset *set)
{
	size_t cap = set->cap ? 2 * set->cap : 16;
	struct strset bigger = { calloc(cap, sizeof(char *)), set->n, cap };

	if (bigger.slot == NULL)
		return -1;
	for (size_t i = 0; i < set->cap; i++) {
		if (set->slot[i] != NULL)
			bigger.slot[find(&bigger, set->slot[i])] = set->slot[i];
	}
	free(set->slot);
	*set = bigger;
	return 0;
}

bool strset_has(const struct strset *set, const char *s)
{
	return set->n > 0 && set->slot[find(set, s)] != NULL;
}

/* 1 if S was added, 0 if it was there, -1 (ENOMEM) if it cannot be. */
int strset_add(struct strset *set, const char *s)
{
	size_t i;
	char *copy;

	if (2 * (set->n + 1) > set->cap && grow(set) < 0)
		return -1;
	i = find(set, s);
	if (set->slot[i] != NULL)
		return 0;
	copy = strdup(s);
	if (copy == NULL)
		return -1;
	set->slot[i] = copy;
	set->n++;
	return 1;
}

void strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}
