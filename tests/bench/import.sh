#!/usr/bin/env bash
# Benchmark (printed, never asserted): `minqing-admin import households` of
# a register of 40,000 households (100 villages of 400), against a bare COPY
# of the same file into a temporary table, in the same run (target: the
# import under 10 s). The import is everything a person waits for: connect,
# COPY into the staging view (a row trigger a row), the set-based checks,
# the inserts with their triggers and audit rows, the report. Then the same
# file again (every row unchanged: checks only), and the file in GBK.
#
# On a scratch database of its own, mq_bench_import_<pid> (migrate, one
# district with a street and 100 villages, one administrator), dropped on
# exit; minqing and minqing_test are never touched. Run by `./dev.sh bench`,
# which sets MQ_BUILD_DIR and PG*. MQ_BENCH_IMPORT_ROWS overrides 40000;
# MQ_BENCH_KEEP=1 keeps the scratch database (to look at the plans).
set -euo pipefail

# shellcheck source=benchlib.bash
source "$(dirname "$0")/benchlib.bash"
ROWS=${MQ_BENCH_IMPORT_ROWS:-40000}
DB=mq_bench_import_$$
LOGIN=bench_import_$$
WORK=$(mktemp -d)
cleanup() {
	[ -n "${MQ_BENCH_KEEP:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 ||
		echo "import.sh: could not drop scratch database $DB" >&2
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $LOGIN" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

psql -X -q -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
PGDATABASE=$DB "$ADMIN" migrate >/dev/null
psql -X -q -d "$DB" -v ON_ERROR_STOP=1 >/dev/null <<'EOF'
INSERT INTO minqing.district (district_id, code, name) VALUES (1, '330303', '龙湾区');
INSERT INTO minqing.org_unit (district_id, parent_id, code, name, kind) VALUES (1, NULL, 'LW', '龙湾区', 'district');
INSERT INTO minqing.org_unit (parent_id, code, name, kind)
SELECT unit_id, 'T01', '永中街道', 'street' FROM minqing.org_unit WHERE code = 'LW';
INSERT INTO minqing.org_unit (parent_id, code, name, kind)
SELECT u.unit_id, format('T01V%s', lpad(i::text, 3, '0')), format('第%s村', i), 'village'
  FROM minqing.org_unit u, generate_series(1, 100) AS i WHERE u.code = 'T01';
EOF
PGDATABASE=$DB "$ADMIN" user add "$LOGIN" --name 基准管理员 --unit LW --duty admin >/dev/null

awk -v n="$ROWS" 'BEGIN {
	print "村代码,户号,地址,电话,网格"
	for (i = 0; i < n; i++)
		printf "T01V%03d,%04d,永中街道第%d村%d号,138%08d,第%d网格\n", i % 100 + 1, int(i / 100) + 1, i % 100 + 1, int(i / 100) + 1, i, i % 7 + 1
}' >"$WORK/h.csv"
iconv -f UTF-8 -t GBK "$WORK/h.csv" >"$WORK/h_gbk.csv"
size=$(wc -c <"$WORK/h.csv")

t0=$(now)
psql -X -q -d "$DB" -c "CREATE TEMP TABLE bare (c1 text, c2 text, c3 text, c4 text, c5 text)" \
	-c "COPY bare FROM STDIN (FORMAT csv, HEADER true)" <"$WORK/h.csv"
t1=$(now)
PGDATABASE=$DB PGUSER=$LOGIN "$ADMIN" import households "$WORK/h.csv" >"$WORK/out1" 2>&1 ||
	{ echo "import.sh: the import failed:"; cat "$WORK/out1"; exit 1; }
t2=$(now)
PGDATABASE=$DB PGUSER=$LOGIN "$ADMIN" import households "$WORK/h.csv" >"$WORK/out2" 2>&1 ||
	{ echo "import.sh: the re-run failed:"; cat "$WORK/out2"; exit 1; }
t3=$(now)
psql -X -q -d "$DB" -c "CREATE TEMP TABLE bare (c1 text, c2 text, c3 text, c4 text, c5 text)" \
	-c "COPY bare FROM STDIN (FORMAT csv, HEADER true, ENCODING 'GBK')" <"$WORK/h_gbk.csv"
t4=$(now)
PGDATABASE=$DB PGUSER=$LOGIN "$ADMIN" import households "$WORK/h_gbk.csv" --encoding gbk >"$WORK/out3" 2>&1 ||
	{ echo "import.sh: the GBK re-run failed:"; cat "$WORK/out3"; exit 1; }
t5=$(now)

stored=$(psql -X -qtA -d "$DB" -c "SELECT count(*) FROM minqing.household")
echo "import of $ROWS households ($size bytes of CSV), $stored stored:"
echo "  bare COPY into a temporary table:  $(secs "$t0" "$t1") s"
echo "  minqing-admin import households:    $(secs "$t1" "$t2") s  (target: under 10 s)  $(tail -1 "$WORK/out1")"
echo "  the same file again (unchanged):    $(secs "$t2" "$t3") s  $(tail -1 "$WORK/out2")"
echo "  bare COPY of the GBK file:          $(secs "$t3" "$t4") s"
echo "  the GBK file (--encoding gbk):      $(secs "$t4" "$t5") s  $(tail -1 "$WORK/out3")"
