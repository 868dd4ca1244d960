#!/bin/sh
# Compiles the shipped mail templates into the binary: one C string each.
# usage: embed_templates.sh share/kennel/templates/*.txt > templates.c
echo '/* Generated from share/kennel/templates by lib/embed_templates.sh. */'
echo 'struct kn_shipped_template { const char *name, *text; };'
echo 'extern const struct kn_shipped_template kn_shipped_templates[];'
echo 'const struct kn_shipped_template kn_shipped_templates[] = {'
for f in "$@"; do
	printf '\t{ "%s",\n' "$(basename "$f" .txt)"
	awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "\t  \"%s\\n\"\n", $0 }' "$f"
	printf '\t},\n'
done
printf '\t{ 0, 0 },\n};\n'
