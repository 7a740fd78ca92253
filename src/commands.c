/*
 * The subcommands: one table names each and says what it does, so that
 * dispatch and every help text that lists them cannot drift apart.
 */
#include <stdio.h>
#include <string.h>

#include "src/ctempfile.h"

static const struct command commands[] = {
	{ "file", cmd_file,
	    "run COMMAND with an unnamed temporary file on a descriptor" },
	{ "named-file", cmd_named_file,
	    "create a temporary file, or run COMMAND with one" },
	{ "directory", cmd_directory,
	    "create a temporary directory, or run COMMAND in one" },
	{ "clean", cmd_clean, "remove stale temporaries that nobody uses" },
	{ "gettempdir", cmd_gettempdir,
	    "print the default directory for temporary files" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

void print_commands(void)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-12s %s\n", commands[i].name, commands[i].help);
}
