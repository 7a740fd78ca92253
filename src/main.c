/*
 * ctempfile: create temporary files and directories securely, or run a
 * command that holds one and remove it however the command ends.
 *
 * The first argument picks the form: a subcommand name, else the GNU
 * mktemp form.  No template can be taken for a subcommand name, since a
 * template needs three X's.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/ctempfile.h"

int exit_failure = EXIT_FAILURE;

static const struct command {
	const char *name;
	int (*run)(int, char **);
	const char *help;
} commands[] = {
	{ "file", cmd_file,
	    "run COMMAND with an unnamed temporary file on a descriptor" },
	{ "named-file", cmd_named_file,
	    "create a temporary file, or run COMMAND with one" },
	{ "directory", cmd_directory,
	    "create a temporary directory, or run COMMAND in one" },
	{ "gettempdir", cmd_gettempdir,
	    "print the default directory for temporary files" },
};

void print_commands(void)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-12s %s\n", commands[i].name, commands[i].help);
}

void try_help(const char *subcommand)
{
	fprintf(stderr, "Try '%s%s%s --help' for more information.\n",
	    getprogname(), subcommand ? " " : "", subcommand ? subcommand : "");
	exit(exit_failure);
}

/* Standard output is fallible: --help and --version check it too. */
int close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("write error");
		return exit_failure;
	}
	return EXIT_SUCCESS;
}

/*
 * A standard descriptor that was closed at start is held by /dev/null,
 * opened in the wrong direction so that using it fails as a closed one
 * would, and so that no file ctempfile opens can take its number.  It is
 * close-on-exec: COMMAND finds it closed, as ctempfile did.
 */
static void hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null",
			(fd == 0 ? O_WRONLY : O_RDONLY) | O_CLOEXEC) != fd)
			err(exit_failure, "/dev/null");
	}
}

int main(int argc, char **argv)
{
	title_init(argc, argv);
	hold_std_fds();
	/* getopt's messages take their name from argv[0]. */
	argv[0] = (char *)getprogname();
	if (argc > 1) {
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]);
		     i++) {
			if (strcmp(argv[1], commands[i].name) == 0) {
				argv[1] = argv[0];
				return commands[i].run(argc - 1, argv + 1);
			}
		}
	}
	return cmd_mktemp(argc, argv);
}
