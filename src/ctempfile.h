#ifndef CTEMPFILE_H
#define CTEMPFILE_H

#include <err.h>
#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

/* GNU mktemp's alphabet, and Python's (safe on case-insensitive systems). */
#define ALPHABET_MKTEMP \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define ALPHABET_PYTHON "abcdefghijklmnopqrstuvwxyz0123456789_"

/* Names drawn before giving up with EEXIST, as glibc and Python do. */
#define TMP_TRIES 238328

/* Status when ctempfile itself fails while a COMMAND was given. */
#define EXIT_CANCELED 125
#define EXIT_CANNOT_INVOKE 126
#define EXIT_ENOENT 127

/* diag.c: diagnostics, in the user's locale */
struct option;
extern int exit_failure;
void diag_locale(void);
const char *tr(const char *) __attribute__((format_arg(1)));
const char *quote(const char *);
void try_help(const char *) __attribute__((noreturn));
const char *tr_gnulib(const char *);
int close_stdout(void);
int diag_getopt(int, char **, const char *, const struct option *);

/*
 * Every diagnostic reads the locale first (once, in diag_locale), so that
 * the system's error strings follow it as quoted names do; a call that
 * prints none never reads it.
 */
#define err(...) (diag_locale(), err(__VA_ARGS__))
#define errx(...) (diag_locale(), errx(__VA_ARGS__))
#define errc(...) (diag_locale(), errc(__VA_ARGS__))
#define warn(...) (diag_locale(), warn(__VA_ARGS__))
#define warnx(...) (diag_locale(), warnx(__VA_ARGS__))
#define warnc(...) (diag_locale(), warnc(__VA_ARGS__))

/* commands.c: the subcommands */
struct command {
	const char *name;
	int (*run)(int, char **);
	const char *help;
};
const struct command *command_find(const char *);
void print_commands(void);

/* copy.c: all of a descriptor, or of a buffer, written into another */
enum copy_side { COPY_READ, COPY_WRITE };
int copy_fd(int, off_t *, int, enum copy_side *);
int write_all(int, const void *, size_t);
int fill_from_stdin(int);

/* util.c */
void title_init(int, char **);
bool title_set(const char *);
rlim_t nofile_raise(rlim_t);
struct statx;
bool mount_root(const struct statx *, uint64_t, dev_t);
void *xmalloc(size_t);
void *xrealloc(void *, size_t);
char *xstrdup(const char *);

/* strset.c: a set of strings */
struct strset {
	char **slot;
	size_t n, cap;
};
bool strset_has(const struct strset *, const char *);
int strset_add(struct strset *, const char *);
void strset_free(struct strset *);

/* random.c */
void random_chars(char *, size_t, const char *);

/* path.c */
char *path_join_gnu(const char *, const char *);
char *path_absolute(const char *);

/* names.c: the names made, kept until they are printed */
struct names {
	char *buf; /* each name followed by the terminator */
	size_t len, cap;
	size_t *end; /* offset of each name's terminator */
	size_t n, nmax;
	char term; /* '\n' or '\0' */
};
void names_init(struct names *, char);
void names_reserve(struct names *, size_t);
void names_add(struct names *, const char *);
const char *names_get(struct names *, size_t);
void names_put(struct names *, size_t);
int names_write(const struct names *);
void names_free(struct names *);

/* create.c: the one way anything is created */
enum tmp_kind {
	TMP_NAMED, /* a file with a name: named-file, the mktemp form */
	TMP_DIR,
	TMP_UNNAMED, /* a file with no name, in the template's directory */
	TMP_MEMORY,  /* a file in memory */
};

/* Whether what KIND makes has a name in a directory. */
static inline bool tmp_named(enum tmp_kind kind)
{
	return kind != TMP_UNNAMED && kind != TMP_MEMORY;
}

struct tmpl {
	enum tmp_kind kind;
	bool dry_run;
	int mode; /* exact mode, or -1: 0600/0700 less the umask */
	const char *alphabet;
	int dirfd;	/* made relative to it (AT_FDCWD: by path) */
	char *pattern;	/* the whole path with X's in the random run */
	char *path;	/* the same, random run filled on each try */
	size_t nameoff; /* start of the last component */
	size_t randoff; /* start of the random run */
	size_t nrand;	/* its length */
};
void tmpl_from_path(struct tmpl *, char *, size_t, size_t);
void tmpl_from_parts(struct tmpl *, const char *, const char *, size_t,
    const char *);
int tmp_make(struct tmpl *, size_t, struct names *, int *);
int tmp_remove(const char *, enum tmp_kind);
int unlink_named(int, const char *, const char *);
int tmp_remove_all(struct names *, enum tmp_kind);
int tmp_hand_over(struct names *, enum tmp_kind, bool, int, const char *);
void tmpl_free(struct tmpl *);

/* signals.c: what was made goes first, whatever signal comes */
void guard_init(void);
void guard_init_one(void);
void guard_writing(int);
void guard_ending(sigset_t *);
void guard_all_ending(sigset_t *);
void guard_watcher(pid_t);
void guard_restore(void);
void guard_let_in(bool);
void guard_names(const struct names *, enum tmp_kind);
void guard_path(const char *, enum tmp_kind);
void guard_done(void);
void guard_hold(void);
void guard_release(void);
bool guard_caught(void);
void guard_check(void);
void guard_undo(void);
void die_of(int) __attribute__((noreturn));

/* options.c: the subcommands' options */
#define COUNT_MAX 1000000

enum {
	FORM_FILE = 1 << 0,
	FORM_NAMED = 1 << 1,
	FORM_DIR = 1 << 2,
	FORM_GETTEMPDIR = 1 << 3,
	FORM_MAKE = FORM_FILE | FORM_NAMED | FORM_DIR,
	FORM_ALL = FORM_MAKE | FORM_GETTEMPDIR,
};

struct opts {
	const char *dir, *prefix, *suffix, *replace, *env;
	size_t nrand, count;
	int mode, fd;
	bool dry_run, quiet, zero, verbose;
	bool keep, keep_failure, stdin_copy, cd, memory;
	const char *pid;    /* --pid, or NULL */
	const char *output; /* --output, or NULL */
	bool no_sync, allow_empty, prefix_set;
	struct output *out; /* --output resolved */
	char **cmd;	    /* COMMAND and its ARGs, or NULL */
};
int mode_value(const char *);
int parse_mode(const char *);
long long parse_number(const char *, const char *, long long, long long);
void parse_options(unsigned int, const char *, int, char **, struct opts *,
    void (*)(void));
void subcommand_usage(unsigned int, const char *, const char *, const char *);
void usage_row(int, const char *, const char *, const char *);

/* run.c */
int run_command(enum tmp_kind, const struct opts *, const char *, int);

/* rmtree.c */
struct ident {
	dev_t dev;
	ino_t ino;
};
int rmtree(const char *);
int rmtree_at(int, const char *, const char *, const struct ident *);
int rmtree_in(int, const char *, const char *);

/* watch.c: remove what was made once a process has ended */
struct watch {
	enum tmp_kind kind;
	struct names *names; /* paths in one directory */
	size_t nameoff;	     /* where the last component starts */
	int dirfd;	     /* that directory */
	char *dirpath;	     /* its absolute path, for messages */
	struct ident *ids;   /* what each one was when made */
	int *lockfds;	     /* each directory, held (and locked) */
	size_t nlocks;
	bool *gone;    /* watcher: seen gone from its name */
	size_t left;   /* how many are not */
	long touch;    /* seconds between access-time refreshes */
	int pidfd;     /* the process whose end is awaited */
	int standdown; /* guardian: ctempfile's word, or its end */
	bool adopted;  /* guardian: whatever is at the name is its */
};
int watch_open_pid(const char *, size_t, enum tmp_kind);
int watch_init(struct watch *, enum tmp_kind, struct names *);
pid_t guardian_start(struct watch *, pid_t, int *);
pid_t guardian_for(const char *, enum tmp_kind, int *);
void guardian_stand_down(pid_t, int);
void guardian_adopt(int);
pid_t watch_names(int, const char *, enum tmp_kind, struct names *);
void watch_cancel(pid_t);
void watch_free(struct watch *);
void watch_resume(const char *);

/* output.c: --output, replacing FILE atomically and durably */
struct output {
	const char *file; /* as given */
	char *dir;     /* its directory, links followed, for {} and messages */
	int dirfd;     /* that directory (O_PATH), or -1 */
	int dir_error; /* why it could not be opened */
	char *base;    /* FILE's last component in it */
	bool exists;
	struct stat st; /* FILE as it was */
};
void output_prepare(struct output *, const char *);
void output_prepare_dir(struct output *, const char *);
int output_sync_dir(const struct output *);
char *output_prefix(const struct output *, size_t);
char *output_where(const struct output *, const char *);
int output_remove(const struct output *, const char *);
int output_publish(const struct output *, const char *, int, int, bool);
int output_keep(const struct output *, int);
void output_free(struct output *);

/* replace.c: directory -o, replacing DIR atomically */
int replace_dir(struct output *, const char *, int, bool, int);

/* clean.c: what crashes left, removed when nobody uses it */
int cmd_clean(int, char **);

/* gettempdir.c */
char *gettempdir(bool, bool);
int cmd_gettempdir(int, char **);

/* mktemp.c */
int cmd_mktemp(int, char **);
bool check_template(const char *, const char *, const char *, bool, bool,
    size_t *, size_t *);

/* subcommand.c */
int cmd_file(int, char **);
int cmd_named_file(int, char **);
int cmd_directory(int, char **);

#endif
