/* kennel doctor: data health before a launch or after a migration. */
#include "builtin.h"

static int doctor(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	int errors;
	(void)argv;

	if (argc > 0)
		return usage_error("doctor", NULL, "unexpected argument '%s'", argv[0]);
	struct kn_printer *p = printer(s);
	kn_status st = kn_doctor(s->db, p, &errors, &err);
	int rc = finish_printer(p);
	if (st != KN_OK) {
		report(&err);
		return st;
	}
	if (errors)
		say(s, "%d finding(s) are errors", errors);
	return errors ? KN_FAIL : rc;
}

const struct verb doctor_verbs[] = {
	{ NULL, doctor, NULL, "",
	  "Invalid or shared emails, case-variant usernames, owners without usernames, pets "
	  "missing a required vaccination; exit 1 if a finding is an error.", NULL, 1 },
};

int cmd_doctor(int argc, char **argv)
{
	return dispatch("doctor", doctor_verbs, argc, argv);
}
