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
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/ctempfile.h"

/*
 * A standard descriptor that was closed at start is held by /dev/null,
 * opened in the wrong direction so that using it fails as a closed one
 * would, and so that no file ctempfile opens can take its number.  It is
 * close-on-exec: COMMAND finds it closed, as ctempfile did.  One poll(2)
 * tells which are closed (POLLNVAL), in one system call rather than three.
 */
static void hold_std_fds(void)
{
	struct pollfd p[3] = { { .fd = 0 }, { .fd = 1 }, { .fd = 2 } };
	int n = poll(p, 3, 0);

	for (int fd = 0; fd <= 2 && n != 0; fd++) {
		if (n > 0 ? !(p[fd].revents & POLLNVAL)
			  : fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null",
			(fd == 0 ? O_WRONLY : O_RDONLY) | O_CLOEXEC) != fd)
			err(exit_failure, "/dev/null");
	}
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	const char *state;

	title_init(argc, argv);
	/* A watcher started again under its title (watch.c). */
	if (argc == 1 && (state = getenv("CTEMPFILE_WATCHER_STATE")) != NULL)
		watch_resume(state);
	hold_std_fds();
	/*
	 * Installed as mktemp, only the mktemp form: "mktemp directory" is a
	 * template.  Its getopt complaints and "Try ... --help" name argv[0]
	 * as invoked, as GNU 9.5 and later do; the subcommands' name
	 * ctempfile and the subcommand.
	 */
	if (argc > 1 && strcmp(getprogname(), "mktemp") != 0 &&
	    (cmd = command_find(argv[1])) != NULL) {
		argv[1] = (char *)getprogname();
		return cmd->run(argc - 1, argv + 1);
	}
	return cmd_mktemp(argc, argv);
}
