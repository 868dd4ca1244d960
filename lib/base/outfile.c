/*
 * Files a command writes beside its work: rejects, reports, revealed
 * passwords (SPEC.md section 4).  Each is written to a private temporary
 * file in the target's folder and put in place only after the database
 * committed, so a file that cannot be written stops the commit, a crash
 * leaves no half file, and the target is never truncated while it is read
 * (it may be the input) nor followed when it is a symbolic link.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/kn_internal.h"
#include "base/kn_outfile.h"

struct kn_outfile {
	FILE *out;
	char *path, *tmp;
	int exclusive;
};

kn_status kn_outfile_open(struct kn_db *db, const char *path, const char *input, int exclusive,
                          struct kn_outfile **out, struct kn_err *err)
{
	struct stat target, source;

	*out = NULL;
	if (path == NULL)
		return KN_OK;
	if (input != NULL && strcmp(input, "-") != 0 && stat(path, &target) == 0 &&
	    stat(input, &source) == 0 && target.st_dev == source.st_dev &&
	    target.st_ino == source.st_ino)
		return kn_err_set(err, KN_USAGE, "'%s' is the input file: name another file",
		                  path);
	if (exclusive && lstat(path, &target) == 0)
		return kn_err_set(err, KN_FAIL, "cannot create '%s': file exists (refusing to overwrite)", path);
	/* up into store/: --dry-run writes no file either */
	if (kn_db_dry_run(db))
		return KN_OK; /* --dry-run writes no file */
	char *copy = kn_xstrdup(path);
	char *dir = dirname(copy);
	size_t n = strlen(dir) + strlen("/.kennel-XXXXXX") + 1;
	char *tmp = kn_xmalloc(n);
	snprintf(tmp, n, "%s/.kennel-XXXXXX", dir);
	free(copy);
	int fd = mkstemp(tmp); /* 0600: rows of owners' data are as private as the database */
	if (fd < 0) {
		kn_status s = kn_err_set(err, KN_FAIL, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return s;
	}
	struct kn_outfile *f = kn_xcalloc(1, sizeof *f);
	f->out = fdopen(fd, "w");
	if (f->out == NULL)
		abort();
	f->path = kn_xstrdup(path);
	f->tmp = tmp;
	f->exclusive = exclusive;
	*out = f;
	return KN_OK;
}

FILE *kn_outfile_stream(struct kn_outfile *f)
{
	return f ? f->out : NULL;
}

kn_status kn_outfile_flush(struct kn_outfile *f, struct kn_err *err)
{
	if (f == NULL)
		return KN_OK;
	if (ferror(f->out) || fflush(f->out) != 0 || fsync(fileno(f->out)) != 0)
		return kn_err_set(err, KN_FAIL, "writing '%s': %s (nothing was changed)", f->path,
		                  errno ? strerror(errno) : "write error");
	return KN_OK;
}

static void outfile_free(struct kn_outfile *f)
{
	free(f->path);
	free(f->tmp);
	free(f);
}

kn_status kn_outfile_publish(struct kn_outfile *f, struct kn_err *err)
{
	kn_status s = KN_OK;

	if (f == NULL)
		return KN_OK;
	if (fclose(f->out) != 0)
		s = kn_err_set(err, KN_FAIL, "writing '%s': %s", f->path, strerror(errno));
	/* rename replaces a link rather than following it; link refuses a
	 * target that appeared meanwhile */
	else if (f->exclusive ? link(f->tmp, f->path) != 0 : rename(f->tmp, f->path) != 0)
		s = kn_err_set(err, KN_FAIL, "cannot put '%s' in place: %s", f->path,
		               strerror(errno));
	unlink(f->tmp);
	outfile_free(f);
	return s;
}

void kn_outfile_discard(struct kn_outfile *f)
{
	if (f == NULL)
		return;
	fclose(f->out);
	unlink(f->tmp);
	outfile_free(f);
}
