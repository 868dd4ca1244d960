/* libFuzzer: the option parser, argv made of the input's NUL-separated words. */
#include <stdlib.h>
#include <string.h>

#include "kennel.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *name = NULL, *service = NULL;
	int flag = 0, npos;
	long long n = 0;
	struct kn_strlist list = { 0 };
	const struct kn_opt opts[] = {
		{ "name", 0, KN_OPT_STR, &name, "NAME", NULL },
		{ "service", 0, KN_OPT_STR, &service, "S", "boarding|daycare" },
		{ "limit", 0, KN_OPT_INT, &n, "N", NULL },
		{ "map", 0, KN_OPT_LIST, &list, "M", NULL },
		{ "json", 'j', KN_OPT_BOOL, &flag, NULL, NULL },
		{ NULL, 0, 0, NULL, NULL, NULL },
	};
	char *copy = malloc(size + 1), *argv[64];
	int argc = 0;
	struct kn_err err = { 0 };

	memcpy(copy, data, size);
	copy[size] = '\0';
	for (char *p = copy; p < copy + size && argc < 64; p += strlen(p) + 1)
		argv[argc++] = p;
	(void)kn_opts_parse(opts, NULL, argc, argv, &npos, &err);
	kn_strlist_free(&list);
	free(copy);
	return 0;
}
