/* Unit tests of the portal's renderer and form parser, as TAP: every value
 * escaped for where it lands, and the places no escaping makes safe
 * refused. */
#include <stdio.h>
#include <string.h>

#include "portal/kn_web.h"

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - unit: html: %s\n", cond ? "" : "not ", n, what);
}

/* Renders tmpl with name = value; the page, or "ERROR: message". */
static const char *render(const char *tmpl, const char *value)
{
	static char out[2048];
	struct kn_arena a = { 0 };
	struct kn_buf b = { 0 };
	struct kn_err err = { 0 };
	struct kn_hctx *c = kn_h_new(&a);
	kn_h_set(c, "v", value);
	kn_h_safe(c, "html", "<b>safe</b>");
	kn_h_list(c, "none");
	for (int i = 1; i <= 2; i++)
		kn_h_setf(kn_h_item(c, "items"), "i", "%d", i);
	if (kn_html_render("t", tmpl, c, &b, &err) == KN_OK) {
		kn_buf_add(&b, "", 0);
		snprintf(out, sizeof out, "%s", b.data);
	} else {
		snprintf(out, sizeof out, "ERROR: %s", err.msg);
	}
	kn_buf_free(&b);
	kn_arena_free(&a);
	return out;
}

static int is(const char *tmpl, const char *value, const char *want)
{
	const char *got = render(tmpl, value);
	if (strcmp(got, want) != 0)
		printf("# %s -> %s (wanted %s)\n", tmpl, got, want);
	return strcmp(got, want) == 0;
}

static int refused(const char *tmpl)
{
	return strncmp(render(tmpl, "x"), "ERROR: ", 7) == 0;
}

int main(void)
{
	ok(is("<p>{{v}}</p>", "<script>&\"'", "<p>&lt;script&gt;&amp;&quot;&#39;</p>"),
	   "text: the five specials escaped");
	ok(is("<a title=\"{{v}}\">", "\" onclick=\"x", "<a title=\"&quot; onclick=&quot;x\">"),
	   "a quoted attribute cannot be left");
	ok(is("<a href=\"{{v}}\">", "javascript:alert(1)", "<a href=\"#\">"),
	   "href: javascript: becomes #");
	ok(is("<a href=\"{{v}}\">", "//evil.example/", "<a href=\"#\">"),
	   "href: a protocol-relative URL becomes #");
	ok(is("<a href=\"{{v}}\">", "https://ok.example/?a=1&b=2",
	      "<a href=\"https://ok.example/?a=1&amp;b=2\">"), "href: https kept, escaped");
	ok(is("<a href=\"/pets/{{v}}\">", "12", "<a href=\"/pets/12\">"),
	   "href: a value after the template's own path");
	ok(is("<form action=\"{{v}}\">", "data:text/html,x", "<form action=\"#\">"),
	   "action: data: becomes #");
	ok(refused("<a href={{v}}>"), "an unquoted attribute is refused");
	ok(refused("<script>var x = '{{v}}';</script>"), "a value in a script is refused");
	ok(refused("<style>p { color: {{v}} }</style>"), "a value in a style is refused");
	ok(refused("<!-- {{v}} -->"), "a value in a comment is refused");
	ok(refused("<p>{{{v}}}</p>"), "{{{ }}} of a value not marked safe is refused");
	ok(is("<div>{{{html}}}</div>", "", "<div><b>safe</b></div>"), "{{{ }}} of safe HTML");
	ok(refused("<p>{{nope}}</p>"), "an unknown field is an error, not a hole");
	ok(is("{{#items}}[{{i}}]{{/items}}", "", "[1][2]"), "a list's items");
	ok(is("{{^none}}none{{/none}}{{#none}}x{{/none}}", "", "none"), "an empty list");
	ok(is("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "", "no"), "an empty value");
	ok(is("<p>{{v}}</p><script>1</script><p>{{v}}</p>", "<", "<p>&lt;</p><script>1</script><p>&lt;</p>"),
	   "text again after a script ends");

	struct kn_arena a = { 0 };
	struct kn_form f;
	struct kn_err err = { 0 };
	const char *form = "a=1&b=x+y%21&pet=1&pet=2&a=3";
	ok(kn_form_parse(&a, form, strlen(form), &f, &err) == KN_OK && f.n == 5, "a form parses");
	int dup = 0;
	const char *b = kn_form_one(&f, "b", &dup);
	ok(b && strcmp(b, "x y!") == 0 && !dup, "plus is a space, %21 a !");
	kn_form_one(&f, "a", &dup);
	ok(dup, "a field sent twice is told");
	const char *pets[4];
	ok(kn_form_all(&f, "pet", pets, 4) == 2 && strcmp(pets[1], "2") == 0, "checkboxes, in order");
	ok(kn_form_parse(&a, "a=%4", 4, &f, &err) != KN_OK && f.n == 0, "a cut %XX is refused whole");
	ok(kn_form_parse(&a, "a=%00", 5, &f, &err) != KN_OK, "a NUL is refused");
	ok(kn_form_parse(&a, "a=%C3%28", 8, &f, &err) != KN_OK, "invalid UTF-8 is refused");
	char v[16];
	ok(kn_cookie_get("x=1; kennel_session=abc; y=2", "kennel_session", v, sizeof v) &&
	   strcmp(v, "abc") == 0, "a cookie among others");
	ok(!kn_cookie_get("my_kennel_session=abc", "kennel_session", v, sizeof v),
	   "a cookie whose name only ends like it is not it");
	kn_arena_free(&a);
	/* the plan last: a crash halfway leaves none, and tests/run fails it */
	printf("1..%d\n", n);
	return failed != 0;
}
