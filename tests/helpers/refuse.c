/*
 * Run a command on a kernel that refuses something, as an older kernel or
 * another file system would, for testing ctempfile's fallbacks:
 *   o_tmpfile        open(2) and openat(2) with O_TMPFILE fail with EOPNOTSUPP
 *   fchmodat2        fchmodat2(2) fails with ENOSYS, as before Linux 6.6
 *   copy_file_range  copy_file_range(2) fails with EXDEV, as between two
 *                    file systems
 *   sendfile         sendfile(2) fails with EINVAL, as for a file that
 *                    cannot be mapped
 * A seccomp filter does the refusing, for the command and its children.
 * Usage: refuse WHAT[,WHAT]... COMMAND [ARG]...
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#define FAIL(e) (SECCOMP_RET_ERRNO | ((e)&SECCOMP_RET_DATA))
#define LOAD_NR \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))

/* __O_TMPFILE without O_DIRECTORY: the bit that only O_TMPFILE sets. */
#define TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)

/* If the system call is SYSNO and its flags, argument ARG, ask for O_TMPFILE,
 * refuse it; otherwise fall through to the next test. */
#define REFUSE_IF_TMPFILE(sysno, arg) \
	LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sysno), 0, 3), \
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(arg)), \
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, TMPFILE_BIT, 0, 1), \
	    BPF_STMT(BPF_RET | BPF_K, FAIL(EOPNOTSUPP))

/* If the system call is SYSNO, fail it with ERROR. */
#define REFUSE_CALL(sysno, error) \
	LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (sysno), 0, 1), \
	    BPF_STMT(BPF_RET | BPF_K, FAIL(error))

/* System call numbers are the native architecture's. */
#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define NATIVE_ARCH AUDIT_ARCH_ARM
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define NATIVE_ARCH AUDIT_ARCH_S390X
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH AUDIT_ARCH_RISCV64
#else
#error "refuse: no seccomp architecture known for this machine"
#endif

#define CHECK_ARCH \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, \
	    offsetof(struct seccomp_data, arch)), \
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0), \
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static struct sock_filter o_tmpfile[] = {
	CHECK_ARCH,
	REFUSE_IF_TMPFILE(SYS_openat, 2),
#ifdef SYS_open
	REFUSE_IF_TMPFILE(SYS_open, 1),
#endif
	ALLOW,
};

static struct sock_filter fchmodat2[] = {
	CHECK_ARCH,
	REFUSE_CALL(SYS_fchmodat2, ENOSYS),
	ALLOW,
};

static struct sock_filter no_copy_range[] = {
	CHECK_ARCH,
	REFUSE_CALL(SYS_copy_file_range, EXDEV),
	ALLOW,
};

static struct sock_filter no_sendfile[] = {
	CHECK_ARCH,
	REFUSE_CALL(SYS_sendfile, EINVAL),
	ALLOW,
};

static const struct {
	const char *name;
	struct sock_fprog prog;
} filters[] = {
	{ "o_tmpfile",
	    { sizeof(o_tmpfile) / sizeof(o_tmpfile[0]), o_tmpfile } },
	{ "fchmodat2",
	    { sizeof(fchmodat2) / sizeof(fchmodat2[0]), fchmodat2 } },
	{ "copy_file_range",
	    { sizeof(no_copy_range) / sizeof(no_copy_range[0]),
		no_copy_range } },
	{ "sendfile",
	    { sizeof(no_sendfile) / sizeof(no_sendfile[0]), no_sendfile } },
};

static const struct sock_fprog *filter(const char *name)
{
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		if (strcmp(name, filters[i].name) == 0)
			return &filters[i].prog;
	}
	errx(2, "nothing known as %s to refuse", name);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		errx(2, "usage: refuse WHAT[,WHAT]... COMMAND [ARG]...");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		err(2, "no_new_privs");
	/* Filters stack: each refuses what it names. */
	for (char *name = strtok(argv[1], ","); name != NULL;
	     name = strtok(NULL, ",")) {
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, filter(name)) <
		    0)
			err(2, "seccomp");
	}
	execvp(argv[2], argv + 2);
	err(127, "%s", argv[2]);
}
