/*
 * Run a command on a kernel that refuses O_TMPFILE, as a file system
 * without it does: a seccomp filter makes open(2) and openat(2) with
 * O_TMPFILE fail with EOPNOTSUPP.  For testing ctempfile's fallback.
 * Usage: no-tmpfile COMMAND [ARG]...
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#define REFUSE (SECCOMP_RET_ERRNO | (EOPNOTSUPP & SECCOMP_RET_DATA))

/* __O_TMPFILE without O_DIRECTORY: the bit that only O_TMPFILE sets. */
#define TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)

/* If the system call is SYSNO and its flags, argument ARG, ask for O_TMPFILE,
 * refuse it; otherwise fall through to the next test. */
#define REFUSE_IF_TMPFILE(sysno, arg) \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)), \
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sysno), 0, 3), \
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)), \
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, TMPFILE_BIT, 0, 1), \
	    BPF_STMT(BPF_RET | BPF_K, REFUSE)

int main(int argc, char **argv)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		REFUSE_IF_TMPFILE(SYS_openat, 2),
		REFUSE_IF_TMPFILE(SYS_open, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	if (argc < 2)
		errx(2, "usage: no-tmpfile COMMAND [ARG]...");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		err(2, "seccomp");
	execvp(argv[1], argv + 1);
	err(127, "%s", argv[1]);
}
