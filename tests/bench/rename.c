/*
 * rename(2), and nothing else: the COMMAND that moves a prepared tree into
 * ctempfile's directory, linked statically so that its own footprint does
 * not hide ctempfile's in a peak-memory measurement of the two.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	if (rename(argv[1], argv[2]) != 0) {
		perror("rename");
		return 1;
	}
	return 0;
}
