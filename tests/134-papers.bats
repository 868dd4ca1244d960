#!/usr/bin/env bats
# Vet papers (PORTAL 3, SPEC vax): an owner uploads them from the pet
# page; the type is read from the content; staff list, save and close
# them; the portal never serves them back.
load test_helper
load portal_helper

papers_db() {
	portal_db
	kennel -q pet add 1 --name Rex
	kennel -q owner add --first Bo --last Ray --email bo@example.com
	kennel -q pet add 2 --name Fido
	printf '%%PDF-1.4\n%% a scan of the vet papers\n%%%%EOF\n' > "$BATS_TEST_TMPDIR/rabies.pdf"
	head -c 2000 /dev/urandom > "$BATS_TEST_TMPDIR/noise.bin"
	printf '\x89PNG\r\n\x1a\n' | cat - "$BATS_TEST_TMPDIR/noise.bin" > "$BATS_TEST_TMPDIR/photo.png"
}

# upload PATH FILE [name]: multipart POST with the session's csrf; prints the status
upload() {
	local csrf
	csrf=$(csrf_of /pets/1 jar)
	curl -s -o "$BATS_TEST_TMPDIR/b.txt" -D "$BATS_TEST_TMPDIR/h.txt" -w '%{http_code}' \
		-c "$(JAR jar)" -b "$(JAR jar)" -F "csrf=$csrf" -F "papers=@$2${3:+;filename=$3}" "$URL$1"
}

@test "an owner sends papers from the pet page; staff list, save and close them" {
	papers_db
	start_portal
	assert_equal "$(login ann 'a fine password 1' jar)" 303
	run -0 get /pets/1 jar
	assert_output --partial '<form method="post" action="/pets/1/papers" enctype="multipart/form-data">'
	assert_equal "$(upload /pets/1/papers "$BATS_TEST_TMPDIR/rabies.pdf")" 303
	assert_equal "$(header Location)" "/pets/1?notice=papers-sent#papers"
	assert_equal "$(upload /pets/1/papers "$BATS_TEST_TMPDIR/photo.png" "../../etc/Rex \"card\".png")" 303
	run -0 get "/pets/1?notice=papers-sent" jar
	assert_output --partial "the papers were sent"
	assert_output --partial "rabies.pdf, sent Mon, Nov 23, 2026: Waiting for review"
	# the name kept is the last part, quotes gone; the type from the content
	run -0 sh -c "'$KENNEL' papers list --pending --csv | tr -d '\r'"
	assert_line --index 0 "id,pet_id,pet,owner_id,owner,filename,type,size,uploaded_at,done_at,done_by,note"
	assert_line --index 1 "1,1,Rex,1,Ann Lee,rabies.pdf,pdf,42,2026-11-23T09:00:00,,,"
	assert_line --index 2 "2,1,Rex,1,Ann Lee,Rex %22card%22.png,png,2008,2026-11-23T09:00:00,,,"
	run -0 kennel papers save 1 "$BATS_TEST_TMPDIR/out.pdf"
	cmp "$BATS_TEST_TMPDIR/rabies.pdf" "$BATS_TEST_TMPDIR/out.pdf"
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/out.pdf")" "600"
	# never over a file
	run -1 kennel papers save 2 "$BATS_TEST_TMPDIR/out.pdf"
	cmp "$BATS_TEST_TMPDIR/rabies.pdf" "$BATS_TEST_TMPDIR/out.pdf"
	run -0 kennel papers done 1 --note "rabies to 2027-06-01"
	run -1 --separate-stderr kennel papers done 1
	assert_equal "$stderr" "kennel: papers 1 are done already"
	run -0 kennel papers list --pending --csv
	assert_equal "${#lines[@]}" 2
	run -0 get /pets/1 jar
	assert_output --partial "rabies.pdf, sent Mon, Nov 23, 2026: Reviewed"
	# nothing on the portal serves a paper back
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR jar)" "$URL/pets/1/papers"
	assert_output 303
	run -0 grep -c "vet papers 1 sent: rabies.pdf (pdf" <(kennel log)
	# a request that waits for papers is what staff look for
	kennel -q prefs set vaccines.required rabies
	kennel -q request add Bo --service daycare --pet Fido --start 2026-12-02
	csrf=$(csrf_of /requests jar)
	assert_equal "$(post /requests jar "csrf=$csrf" service=daycare pet=1 start=2026-12-03)" 303
	assert_equal "$(header Location)" "/requests?notice=papers#r2"
	run -0 kennel request list --papers-needed --json
	assert_equal "$(echo "$output" | jq -c 'map(.id)')" "[2]"
	run -0 kennel request list --series 7 --json
	assert_equal "$output" "[]"
}

@test "what is not papers is refused in words, and nothing is kept" {
	papers_db
	printf '<html><script>alert(1)</script></html>' > "$BATS_TEST_TMPDIR/fake.pdf"
	: > "$BATS_TEST_TMPDIR/empty.pdf"
	start_portal
	assert_equal "$(login ann 'a fine password 1' jar)" 303
	assert_equal "$(upload /pets/1/papers "$BATS_TEST_TMPDIR/fake.pdf")" 422
	grep -q "Send a PDF, a JPEG or a PNG file: this one is none of them." "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(upload /pets/1/papers "$BATS_TEST_TMPDIR/empty.pdf")" 422
	grep -q "The file is empty" "$BATS_TEST_TMPDIR/b.txt"
	# larger than 10 MiB: refused before it is read, and while it is read
	head -c $((10 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'x' | sed '1s/^/%PDF-/' > "$BATS_TEST_TMPDIR/big.pdf"
	assert_equal "$(upload /pets/1/papers "$BATS_TEST_TMPDIR/big.pdf")" 413
	grep -q "larger than 10 MB" "$BATS_TEST_TMPDIR/b.txt"
	# another owner's pet: 404; no session: the login; no csrf: 403
	assert_equal "$(upload /pets/2/papers "$BATS_TEST_TMPDIR/rabies.pdf")" 404
	run -0 curl -s -o /dev/null -w '%{http_code}' -F "papers=@$BATS_TEST_TMPDIR/rabies.pdf" "$URL/pets/1/papers"
	assert_output 303
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR jar)" -F "papers=@$BATS_TEST_TMPDIR/rabies.pdf" "$URL/pets/1/papers"
	assert_output 403
	# a form that is not multipart is no upload
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR jar)" -H 'Content-Type: text/plain' --data-binary 'x' "$URL/pets/1/papers"
	assert_output 415
	assert_equal "$(sql "SELECT count(*) FROM pet_papers")" "0"
	# the server still answers
	run -0 curl -s "$URL/healthz"
	assert_output ok
}
