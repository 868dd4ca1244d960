/*
 * The commands of kennel.  To add a command group:
 *   1. write cmd/<group>.c exporting cmd_<group>() and its verb table;
 *   2. add one line to the command table in cmd/kennel.c;
 *   3. write man/kennel-<group>.1 (mdoc; EXIT STATUS and EXAMPLES sections);
 *   4. run 'make completions' (the completion files are generated from the
 *      tables, and a test fails when they drift);
 *   5. write tests/NNN-<group>.bats.
 * Commands parse options, call libkennel, and print; every rule, every SQL
 * statement and all I/O with SQLite, CSV and mail live in lib/.
 */
#ifndef CMD_KENNEL_H
#define CMD_KENNEL_H

#include "kennel.h"

/* What every verb can use: the global options and the open database. */
struct session {
	const char *db_path;
	int json, csv, quiet, verbose, dry_run, help;
	enum kn_format format;
	struct kn_db *db;
	const char *command; /* "owner import" */
};

struct verb;
typedef int (*verb_fn)(struct session *s, int argc, char **argv);

struct verb {
	const char *name;          /* NULL: the group itself takes no verb */
	verb_fn fn;
	const struct kn_opt *opts; /* NULL-terminated; NULL for none */
	const char *usage;         /* arguments and options, after the verb */
	const char *summary;
	const struct verb *sub;    /* nested verbs: owner note add */
	int needs_db;
};

struct group {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct verb *verbs;
	const char *summary;
};

extern const struct kn_opt global_opts[];
extern const struct group groups[];

/* Parses options, opens the database when the verb needs it, runs it. */
int dispatch(const char *group, const struct verb *verbs, int argc, char **argv);

/* The help, from the tables (cmd/help.c): a group's verbs with their
 * summaries; a verb's usage line; a verb's usage, summary and options. */
void group_usage(FILE *out, const char *group, const struct verb *verbs);
void verb_usage(FILE *out, const char *group, const struct verb *v);
void verb_help(FILE *out, const char *group, const struct verb *v);

/* kennel: <what failed>: <why>, unless told to be quiet about all but errors */
void report(const struct kn_err *err);
/* Rolls back what the verb began, reports the error, returns its status. */
int fail(struct session *s, struct kn_err *err);
void say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* stdout for records, in the format the options chose */
struct kn_printer *printer(struct session *s);
int finish_printer(struct kn_printer *p);
/* Finishes the output of a verb that printed through p, then reports st:
 * the tail every printing verb shares. */
int printed(struct session *s, struct kn_printer *p, kn_status st, struct kn_err *err);
/* Reads a whole file (or stdin for "-") into a malloc'd string. */
char *slurp(const char *path, struct kn_err *err);
/* Progress on a terminal for long batches; notice lines on stderr. */
void progress_bar(void *ud, long long rows, long long bytes, long long total);
void notice_line(void *ud, const char *line);
void progress_done(struct session *s);
/* The one-line summary of an import on stderr, the object with --json. */
int import_summary(struct session *s, kn_status st, struct kn_err *err,
                   const struct kn_import_summary *sum, int have_rejects);
int usage_error(const char *group, const struct verb *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int completion_script(const char *shell);
int check_usage(void);

int cmd_init(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_company(int argc, char **argv);
int cmd_prefs(int argc, char **argv);
int cmd_owner(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_creds(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_blast(int argc, char **argv);
int cmd_pet(int argc, char **argv);
int cmd_vax(int argc, char **argv);
int cmd_product(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_order(int argc, char **argv);
int cmd_package(int argc, char **argv);
int cmd_request(int argc, char **argv);
int cmd_capacity(int argc, char **argv);
int cmd_block(int argc, char **argv);
int cmd_desk(int argc, char **argv);
int cmd_area(int argc, char **argv);
int cmd_payment(int argc, char **argv);
int cmd_account(int argc, char **argv);
int cmd_statement(int argc, char **argv);
int cmd_series(int argc, char **argv);
int cmd_waitlist(int argc, char **argv);
int cmd_papers(int argc, char **argv);
/* the offer pass after a command freed a spot (cmd/waitlist.c) */
int waitlist_freed(struct session *s);
int cmd_serve(int argc, char **argv);
int cmd_portal(int argc, char **argv);
/* kennel mail send, also run by blast and creds reset --notify */
struct kn_send_summary;
int deliver(struct session *s, long long limit, struct kn_send_summary *sum);

extern const struct verb init_verbs[], db_verbs[], company_verbs[], prefs_verbs[],
	owner_verbs[], log_verbs[], creds_verbs[], mail_verbs[], blast_verbs[],
	pet_verbs[], vax_verbs[], product_verbs[], report_verbs[], doctor_verbs[], remind_verbs[], order_verbs[],
	package_verbs[], request_verbs[], capacity_verbs[], block_verbs[], serve_verbs[],
	portal_verbs[], desk_verbs[], area_verbs[], payment_verbs[], account_verbs[],
	statement_verbs[], series_verbs[], waitlist_verbs[], papers_verbs[];

#endif
