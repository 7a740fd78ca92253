/*
 * Path text, never touching the file system except for getcwd(3).
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/ctempfile.h"

/*
 * DIR and NAME joined as GNU mktemp joins them: trailing slashes of DIR
 * dropped, except those that are all of it, then one slash if needed.
 */
char *path_join_gnu(const char *dir, const char *name)
{
	size_t lead = strspn(dir, "/");
	size_t len = strlen(dir);
	size_t nlen = strlen(name);
	char *p;

	while (len > lead && dir[len - 1] == '/')
		len--;
	p = xmalloc(len + 1 + nlen + 1);
	memcpy(p, dir, len);
	if (len > 0 && dir[len - 1] != '/')
		p[len++] = '/';
	memcpy(p + len, name, nlen + 1);
	return p;
}

/*
 * PATH made absolute without resolving symbolic links, as Python's
 * os.path.abspath does: relative to the current directory, with empty and
 * "." components dropped and ".." taking away the component before it.
 * Exactly two leading slashes are kept, as POSIX allows them a meaning.
 */
char *path_absolute(const char *path)
{
	char *cwd = NULL, *out, *o;
	const char *s, *e;
	size_t lead;

	if (path[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (cwd == NULL)
			err(exit_failure, "cannot get the current directory");
	}
	out = xmalloc((cwd ? strlen(cwd) : 0) + strlen(path) + 3);
	s = cwd ? cwd : path;
	lead = strspn(s, "/") == 2 ? 2 : 1;
	memset(out, '/', lead);
	o = out + lead;

	for (int part = 0; part < 2; part++, s = path) {
		if (part == 1 && cwd == NULL)
			break;
		for (; *s != '\0'; s = e) {
			s += strspn(s, "/");
			e = s + strcspn(s, "/");
			if (e == s || (e - s == 1 && s[0] == '.'))
				continue;
			if (e - s == 2 && s[0] == '.' && s[1] == '.') {
				while (o > out + lead && o[-1] != '/')
					o--;
				if (o > out + lead)
					o--;
				continue;
			}
			if (o > out + lead)
				*o++ = '/';
			memcpy(o, s, (size_t)(e - s));
			o += e - s;
		}
	}
	*o = '\0';
	free(cwd);
	return out;
}
