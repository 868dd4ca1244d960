#!/usr/bin/env bats
# The CSV torture corpus: for each file, exactly how many rows import and
# how many lines are rejected. Every line of a file is accounted for: a row,
# part of a quoted row, blank, or one rejected line.
load test_helper

# FILE ROWS CREATED REJECTED: owner import's summary, and the owners there
imports() {
	run --separate-stderr kennel owner import "$1" --json
	[ "$status" -eq 0 ] || [ "$status" -eq 3 ]
	assert_equal "$(echo "$output" | jq -c '[.rows, .created, .rejected]')" "[$2,$3,$4]"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "$3"
}

@test "quotes: doubled, inside an unquoted field, text after the closing one, never closed" {
	init_db
	cat > f.csv <<'CSV'
first_name,last_name,address
"Ann","Lee","1 Main St"
"Bo ""B""",Kim,"2 Main St, Apt 3"
Cy,O"Neil 5'10" tall,3 Main St
"Di"x,Ng,4 Main St
"Ed,Ko,5 Main St
Fa,Lu,"6 Main St
Suite 7"
Gi,Ma,7 Main St
CSV
	imports f.csv 7 5 2
	assert_equal "$(sql "SELECT first_name FROM owners WHERE last_name = 'Kim'")" 'Bo "B"'
	assert_equal "$(sql "SELECT last_name FROM owners WHERE first_name = 'Cy'")" "O\"Neil 5'10\" tall"
	assert_equal "$(sql "SELECT address FROM owners WHERE first_name = 'Fa'")" $'6 Main St\nSuite 7'
}

@test "CR, LF and CRLF line ends, mixed in one file (Excel's Macintosh CSV is CR only)" {
	init_db
	printf 'first_name,last_name,address\r\nA,B,\nC,D,\rE,F,\r\n\r\nG,H,"1 Main\r\nSuite 2"\rJ,K,' > f.csv
	imports f.csv 5 5 0
	assert_equal "$(sql "SELECT address FROM owners WHERE first_name = 'G'")" $'1 Main\r\nSuite 2'
	printf 'first_name,last_name\rA,B\rC,D\r' > mac.csv
	sql 'DELETE FROM owners'
	imports mac.csv 2 2 0
}

@test "a NUL byte rejects its line alone" {
	init_db
	printf 'first_name,last_name\nA,B\nC\0x,D\nE,F\n' > f.csv
	imports f.csv 3 2 1
	assert_equal "$(sql 'SELECT group_concat(first_name) FROM owners')" "A,E"
}

@test "a byte order mark at the start is skipped; one in the middle is data" {
	init_db
	printf '\xef\xbb\xbffirst_name,last_name\nA,B\n\xef\xbb\xbfC,D\n' > f.csv
	imports f.csv 2 2 0
}

@test "invalid UTF-8 rejects the row" {
	init_db
	printf 'first_name,last_name\nA,B\n\xff\xfe,D\nE,\xc3\n' > f.csv
	imports f.csv 3 1 2
}

@test "blank lines are no rows; an unterminated quote at the end rejects its line only" {
	init_db
	printf 'first_name,last_name\n\nA,B\n   \n"C,D\nE,F\n' > f.csv
	imports f.csv 3 2 1
	assert_equal "$(sql 'SELECT group_concat(first_name) FROM owners')" "A,E"
}

@test "100,000 columns in a row: one rejected row; a 1 MB field imports; a 2 MB line does not" {
	init_db
	/usr/bin/python3 - <<'PY'
with open("wide.csv", "w") as f:
    f.write("first_name,last_name\n")
    f.write(",".join(["x"] * 100000) + "\n")
    f.write("A,B\n")
with open("big.csv", "w") as f:
    f.write("first_name,last_name,address\n")
    f.write('A,B,"' + "y" * 1000000 + '"\n')
    f.write("C,D," + "z" * 2000000 + "\n")
    f.write("E,F,short\n")
PY
	imports wide.csv 2 1 1
	sql 'DELETE FROM owners'
	run -3 --separate-stderr kennel owner import big.csv --json
	assert_equal "$(echo "$output" | jq -c '[.rows, .created, .rejected]')" "[3,2,1]"
	assert_equal "${stderr_lines[0]}" "kennel: big.csv: line 3: a line longer than 1 MiB"
	assert_equal "$(sql "SELECT length(address) FROM owners WHERE first_name = 'A'")" "1000000"
}

@test "an unterminated quote with no later quote loses no row of 3,000" {
	init_db
	{
		echo "first_name,last_name,email"
		for i in $(seq 1 3000); do
			if [ "$i" = 10 ]; then echo "F$i,\"L$i,u$i@example.com"; else echo "F$i,L$i,u$i@example.com"; fi
		done
	} > f.csv
	imports f.csv 3000 2999 1
}
