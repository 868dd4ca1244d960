/*
 * Mail templates: header lines ("Subject: ..."), a blank line, the body;
 * {{field}} placeholders and {{#items}}...{{/items}} sections.  An unknown
 * field is an error when rendering, so a typo stops a blast before anything
 * is queued.  The shipped templates are compiled in (build/templates.c,
 * made from share/kennel/templates); a folder named by the caller
 * ($KENNEL_TEMPLATES) overrides them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

struct kn_shipped_template {
	const char *name, *text;
};
extern const struct kn_shipped_template kn_shipped_templates[];

static int name_ok(const char *name)
{
	if (*name == '\0' || strlen(name) > 64)
		return 0;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-'))
			return 0;
	return 1;
}

char *kn_template_load(const char *name, const char *dir, const char *file, struct kn_err *err)
{
	char path[4096];
	FILE *in = NULL;

	if (file) {
		snprintf(path, sizeof path, "%s", file);
		in = fopen(path, "rb");
		if (in == NULL) {
			kn_err_set(err, KN_FAIL, "cannot open template '%s': %s", file, strerror(errno));
			return NULL;
		}
	} else {
		if (!name_ok(name)) {
			kn_err_set(err, KN_USAGE, "invalid template name '%s'", name);
			return NULL;
		}
		if (dir && *dir) {
			snprintf(path, sizeof path, "%s/%s.txt", dir, name);
			in = fopen(path, "rb");
		}
		if (in == NULL) {
			for (const struct kn_shipped_template *t = kn_shipped_templates; t->name; t++)
				if (strcmp(t->name, name) == 0)
					return kn_xstrdup(t->text);
			kn_err_set(err, KN_FAIL, "no template '%s'", name);
			return NULL;
		}
	}
	struct kn_buf b = { 0 };
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		kn_buf_add(&b, chunk, n);
	fclose(in);
	if (b.data == NULL)
		kn_buf_add(&b, "", 0);
	return b.data;
}

static const char *lookup(const struct kn_tvars *v, const char *name, size_t len)
{
	for (size_t i = 0; v && i < v->n; i++)
		if (strlen(v->names[i]) == len && strncmp(v->names[i], name, len) == 0)
			return v->values[i] ? v->values[i] : "";
	return NULL;
}

static int line_of(const char *text, const char *at)
{
	int line = 1;
	for (const char *c = text; c < at; c++)
		line += *c == '\n';
	return line;
}

/* Renders src (a part of the template) into out; item is the current list
 * entry inside a section. */
static kn_status render(const char *tname, const char *whole, const char *src, size_t len,
                        const struct kn_tctx *ctx, const struct kn_tvars *item, int header,
                        struct kn_buf *out, struct kn_err *err)
{
	const char *p = src, *end = src + len;

	while (p < end) {
		const char *open = strstr(p, "{{");
		if (open == NULL || open >= end) {
			kn_buf_add(out, p, (size_t)(end - p));
			break;
		}
		kn_buf_add(out, p, (size_t)(open - p));
		const char *close = strstr(open, "}}");
		if (close == NULL || close >= end)
			return kn_err_set(err, KN_FAIL, "template '%s': unclosed '{{' on line %d", tname,
			                  line_of(whole, open));
		const char *name = open + 2;
		size_t nlen = (size_t)(close - name);
		if (*name == '#') {
			char endtag[80];
			snprintf(endtag, sizeof endtag, "{{/%.*s}}", (int)nlen - 1, name + 1);
			const char *body = close + 2;
			const char *stop = strstr(body, endtag);
			if (stop == NULL || stop >= end)
				return kn_err_set(err, KN_FAIL, "template '%s': section '%.*s' on line %d has "
				                  "no %s", tname, (int)nlen - 1, name + 1, line_of(whole, open),
				                  endtag);
			/* a section on lines of its own leaves no blank lines behind */
			if (*body == '\n')
				body++;
			if (nlen - 1 != 5 || strncmp(name + 1, "items", 5) != 0) {
				/* {{#field}}...{{/field}}: shown once when the field is not
				 * empty (mustache's rule), so a template can leave out a
				 * line that would have nothing in it */
				const char *v = lookup(&ctx->vars, name + 1, nlen - 1);
				if (v == NULL)
					return kn_err_set(err, KN_FAIL, "template '%s': unknown section '%.*s' on "
					                  "line %d", tname, (int)nlen - 1, name + 1,
					                  line_of(whole, open));
				struct kn_buf scratch = { 0 };
				kn_status s = render(tname, whole, body, (size_t)(stop - body), ctx, item,
				                     header, *v ? out : &scratch, err);
				kn_buf_free(&scratch);
				if (s != KN_OK)
					return s;
				p = stop + strlen(endtag);
				if (*p == '\n')
					p++;
				continue;
			}
			/* check the section once even with no items, so a typo in it is
			 * found on every run */
			struct kn_buf scratch = { 0 };
			struct kn_tvars none = { ctx->item_names, NULL, ctx->nitem_names };
			const char *empty_values[32] = { 0 };
			none.values = empty_values;
			kn_status s = render(tname, whole, body, (size_t)(stop - body), ctx, &none,
			                     header, &scratch, err);
			kn_buf_free(&scratch);
			if (s != KN_OK)
				return s;
			for (size_t i = 0; i < ctx->nitems; i++)
				if ((s = render(tname, whole, body, (size_t)(stop - body), ctx, &ctx->items[i],
				                header, out, err)) != KN_OK)
					return s;
			p = stop + strlen(endtag);
			if (*p == '\n')
				p++;
			continue;
		}
		const char *value = item ? lookup(item, name, nlen) : NULL;
		if (value == NULL)
			value = lookup(&ctx->vars, name, nlen);
		if (value == NULL)
			return kn_err_set(err, KN_FAIL, "template '%s': unknown field '{{%.*s}}' on line %d",
			                  tname, (int)nlen, name, line_of(whole, open));
		/* a line break in a header value would start a header of its own */
		if (header && strpbrk(value, "\r\n"))
			return kn_err_set(err, KN_FAIL, "refusing a mail header with CR or LF in it "
			                  "('{{%.*s}}' in template '%s')", (int)nlen, name, tname);
		kn_buf_add(out, value, strlen(value));
		p = close + 2;
	}
	return KN_OK;
}

kn_status kn_template_check_company(const char *tname, const char *text,
                                     const struct kn_company *c, int with_reset_links,
                                     struct kn_err *err)
{
	static const struct { const char *field; } fields[] = {
#define KN_FIELD_NAME(f) { #f },
		KN_COMPANY_FIELDS(KN_FIELD_NAME)
#undef KN_FIELD_NAME
	};
	const char *values[] = {
#define KN_FIELD_VALUE(f) c->f,
		KN_COMPANY_FIELDS(KN_FIELD_VALUE)
#undef KN_FIELD_VALUE
	};
	for (const char *p = strstr(text, "{{"); p; p = strstr(p + 2, "{{")) {
		const char *name = p + 2;
		size_t n = strcspn(name, "}");
		if (!with_reset_links && strncmp(name, "#reset_url}}", 12) == 0) {
			/* without links the section is left out: nothing in it shows */
			const char *stop = strstr(name, "{{/reset_url}}");
			if (stop == NULL)
				break;
			p = stop;
			continue;
		}
		if (n == 10 && strncmp(name, "#reset_url", 10) == 0)
			continue;
		if (n == 9 && strncmp(name, "reset_url", 9) == 0) {
			if ((c->reset_url == NULL || c->reset_url[0] == '\0') &&
			    (c->portal_url == NULL || c->portal_url[0] == '\0'))
				return kn_err_set(err, KN_FAIL, "template '%s' uses {{reset_url}}, but the "
				                  "company has no reset URL: set the portal's with 'kennel "
				                  "company set --portal-url URL' (or --reset-url URL)", tname);
			if (!with_reset_links)
				return kn_err_set(err, KN_FAIL, "template '%s' uses {{reset_url}}: add "
				                  "--with-reset-links, or every owner would get an empty link",
				                  tname);
			continue;
		}
		int section = *name == '#';
		if (section) {
			name++;
			n--;
		}
		if (n < 9 || strncmp(name, "company.", 8) != 0)
			continue;
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
			if (strlen(fields[i].field) != n - 8 || strncmp(fields[i].field, name + 8, n - 8))
				continue;
			int empty = values[i] == NULL || values[i][0] == '\0';
			if (section && empty) {
				/* {{#company.phone}}...{{/company.phone}} is left out for a
				 * business without a phone: nothing in it must be set */
				char endtag[48];
				snprintf(endtag, sizeof endtag, "{{/company.%s}}", fields[i].field);
				const char *stop = strstr(name, endtag);
				if (stop == NULL)
					return KN_OK; /* the renderer names the missing end */
				p = stop;
				break;
			}
			if (!section && empty) {
				char option[32];
				snprintf(option, sizeof option, "%s", fields[i].field);
				for (char *o = option; *o; o++)
					if (*o == '_')
						*o = '-';
				return kn_err_set(err, KN_FAIL, "template '%s' uses {{company.%s}}, which is "
				                  "empty: set it with 'kennel company set --%s ...'", tname,
				                  fields[i].field, option);
			}
		}
	}
	return KN_OK;
}

kn_status kn_template_render(const char *tname, const char *text, const struct kn_tctx *ctx,
                             char **subject, char **body, struct kn_err *err)
{
	struct kn_buf out = { 0 };
	const char *split = strstr(text, "\n\n");
	kn_status s;

	*subject = *body = NULL;
	if (split == NULL)
		return kn_err_set(err, KN_FAIL, "template '%s': no blank line after the headers", tname);
	/* headers and body are rendered apart, so a value can be refused in one
	 * and allowed in the other */
	s = render(tname, text, text, (size_t)(split - text), ctx, NULL, 1, &out, err);
	if (s == KN_OK) {
		kn_buf_add(&out, "\n\n", 2);
		s = render(tname, text, split + 2, strlen(split + 2), ctx, NULL, 0, &out, err);
	}
	if (s != KN_OK) {
		kn_buf_free(&out);
		return s;
	}
	char *p = out.data;
	char *sep = strstr(p, "\n\n");
	*sep = '\0';
	for (char *line = p; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncasecmp(line, "Subject:", 8) == 0) {
			const char *v = line + 8;
			while (*v == ' ')
				v++;
			free(*subject);
			*subject = kn_xstrdup(v);
		} else if (*line) {
			free(*subject);
			*subject = NULL;
			kn_err_set(err, KN_FAIL, "template '%s': unknown header line '%s'", tname, line);
			kn_buf_free(&out);
			return KN_FAIL;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (*subject == NULL) {
		kn_buf_free(&out);
		return kn_err_set(err, KN_FAIL, "template '%s': no Subject: line", tname);
	}
	*body = kn_xstrdup(sep + 2);
	kn_buf_free(&out);
	return KN_OK;
}
