#!/usr/bin/env bash
# minqing-admin import: paper registers into the system, from outside, on a
# scratch database of its own (two districts, a few villages, three
# accounts). Files made here: UTF-8 with and without a BOM, GBK by iconv,
# a bad row of each kind, duplicates within the file and against the
# database, a party member over 10 households; --partial and its reject
# file; re-runs that change nothing; a non-administrator and another
# jurisdiction refused. Messages are checked in Chinese (the default) and
# once in English. Then the village archive: import archive (good, bad,
# BOM, GBK, re-run, --partial) and export archive (CSV round trip, GBK,
# text within 80 columns).
set -euo pipefail
: "${PGDATABASE:?run through ./dev.sh test}" "${MQ_BUILD_DIR:?}"
admin=$MQ_BUILD_DIR/minqing-admin
tmp=$(mktemp -d)
db=mq_import_$$
adm=imp_admin_$$ tadm=imp_tadmin_$$ off=imp_officer_$$
cleanup() {
	psql -qX -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	for r in "$adm" "$tadm" "$off"; do psql -qX -U postgres -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=clilib.bash
source "$(dirname "$0")/clilib.bash"
q() { psql -qtAX -U postgres -d "$db" -v ON_ERROR_STOP=1 -c "$1"; }
as() { local who=$1; shift; env PGDATABASE="$db" PGUSER="$who" "$admin" "$@"; }
# An ID number with its GB 11643 check character, from its first 17 digits.
idc() {
	q "SELECT b || substr('10X98765432', ((SELECT sum(substr(b, i::int, 1)::int * w)
	     FROM unnest(ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]) WITH ORDINALITY AS t(w, i)) % 11)::int + 1, 1)
	   FROM (VALUES ('$1')) v(b)"
}

# --- the scratch district ---------------------------------------------------------------
psql -qX -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
PGDATABASE=$db "$admin" migrate >/dev/null
q "INSERT INTO minqing.district (district_id, code, name) VALUES (1, '330303', '龙湾区'), (2, '330399', '外区');
   INSERT INTO minqing.org_unit (district_id, parent_id, code, name, kind)
   VALUES (1, NULL, 'LW', '龙湾区', 'district'), (2, NULL, 'XQ', '外区', 'district');
   INSERT INTO minqing.org_unit (parent_id, code, name, kind)
   SELECT unit_id, v.code, v.name, v.kind::minqing.unit_kind FROM minqing.org_unit,
          (VALUES ('LW', 'T01', '一街道', 'street'), ('LW', 'T02', '二镇', 'town'), ('XQ', 'XQT01', '外区一镇', 'town'))
          AS v(parent, code, name, kind) WHERE org_unit.code = v.parent;
   INSERT INTO minqing.org_unit (parent_id, code, name, kind)
   SELECT unit_id, v.code, v.name, v.kind::minqing.unit_kind FROM minqing.org_unit,
          (VALUES ('T01', 'T01V01', '一村', 'village'), ('T01', 'T01V02', '二村', 'community'),
                  ('T02', 'T02V01', '二镇一村', 'village'), ('XQT01', 'XQT01V01', '外区一村', 'village'))
          AS v(parent, code, name, kind) WHERE org_unit.code = v.parent" >/dev/null
PGDATABASE=$db "$admin" user add "$adm" --name 区管理员 --unit LW --duty admin >/dev/null
PGDATABASE=$db "$admin" user add "$tadm" --name 街道管理员 --unit T01 --duty admin >/dev/null
PGDATABASE=$db "$admin" user add "$off" --name 信息员 --unit T01V01 --duty officer >/dev/null
households() { q "SELECT count(*) FROM minqing.household"; }
audits() { q "SELECT count(*) FROM minqing.audit_log WHERE table_name IN ('household', 'resident', 'party_member', 'household_link')"; }

# --- households: UTF-8 without a BOM, then the same file again ---------------------------------
printf '村代码,户号,地址,电话,网格\nT01V01,001,一村1号,13800000001,A1\nT01V01,002,一村2号,,\nT01V02,001,二村1号,0577-86001234,\n' >"$tmp/h_good.csv"
check "households, UTF-8 without BOM" 0 as "$adm" import households "$tmp/h_good.csv"
expect_in "$tmp/out" "读入 3 行，新增 3 行，更新 0 行，未变 0 行，拒绝 0 行" "the figures in Chinese"
same "$(households)" 3 "three households stored"
same "$(q "SELECT h.address || '|' || h.phone || '|' || h.grid_cell FROM minqing.household h JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T01V01' AND h.household_no = '001'")" \
	"一村1号|13800000001|A1" "the fields went to their columns"
before=$(audits)
check "the same file again" 0 as "$adm" import households "$tmp/h_good.csv"
expect_in "$tmp/out" "新增 0 行，更新 0 行，未变 3 行" "a re-run finds every row unchanged"
same "$(audits)" "$before" "a re-run changes nothing (no audit row)"
same "$(q "SELECT count(*) FROM minqing.audit_log WHERE table_name = 'household' AND actor = '$adm'")" 3 \
	"each inserted household was audited, as the administrator"

# A changed phone number of a known household (same address) is an update.
printf '村代码,户号,地址,电话,网格\nT01V01,002,一村2号,13800000002,\n' >"$tmp/h_update.csv"
check "a known household with a new phone number" 0 as "$adm" import households "$tmp/h_update.csv"
expect_in "$tmp/out" "新增 0 行，更新 1 行，未变 0 行" "counted as updated"

# --- UTF-8 with a BOM (Excel's "CSV UTF-8") -----------------------------------------------
printf '\xef\xbb\xbf村代码,户号,地址,电话,网格\r\nT01V01,003,一村3号,,\r\n' >"$tmp/h_bom.csv"
check "households, UTF-8 with BOM and CRLF" 0 as "$adm" import households "$tmp/h_bom.csv"
same "$(q "SELECT count(*) FROM minqing.household h JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'T01V01' AND h.household_no = '003' AND h.address = '一村3号'")" 1 \
	"the row after a BOM header is read whole"
printf '\xef\xbb\xbf村代码,户号,地址,电话,网格\r\nT01V01,004,一村4号,,\r\nT01V01,005,,,\r\n' >"$tmp/h_bom_bad.csv"
check "UTF-8 with BOM, --partial" 0 as "$adm" import households "$tmp/h_bom_bad.csv" --partial
same "$(head -c 3 "$tmp/h_bom_bad.csv.rejected.csv" | od -An -tx1 | tr -d ' ')" efbbbf \
	"the reject file (beside the input by default) has the BOM of the input, for Excel"
expect_in "$tmp/h_bom_bad.csv.rejected.csv" '"T01V01","005","","","","此项必填"' "the rejected row in UTF-8"
check "a UTF-8 BOM with --encoding gbk" 2 as "$adm" import households "$tmp/h_bom.csv" --encoding gbk
expect_in "$tmp/err" "字节顺序标记" "the BOM contradicting --encoding is named"
printf '\xff\xfe0\x00' >"$tmp/utf16.csv"
check "a UTF-16 file" 1 as "$adm" import households "$tmp/utf16.csv"
expect_in "$tmp/err" "UTF-16" "UTF-16 is named"

# --- GBK with a bad row: refused whole, line-numbered; then --partial ----------------------------
printf '村代码,户号,地址,电话,网格\nT01V02,002,二村2号,,\nNOPE,009,某村9号,,\nT01V02,003,二村3号,12345,\n' | iconv -f UTF-8 -t GBK >"$tmp/h_gbk.csv"
n=$(households)
check "GBK read as UTF-8" 1 as "$adm" import households "$tmp/h_gbk.csv"
expect_in "$tmp/err" "--encoding gbk" "the hint names --encoding gbk"
check "GBK with a bad row" 1 as "$adm" import households "$tmp/h_gbk.csv" --encoding gbk
expect_in "$tmp/out" "第 3 行，村（社区）代码：没有代码为 NOPE 的村（社区）" "the unknown village, with its line"
expect_in "$tmp/out" "第 4 行，联系电话：不是有效的电话号码：12345" "the bad phone number, with its line"
expect_in "$tmp/err" "未导入任何数据" "the administrator is told nothing was imported"
same "$(households)" "$n" "nothing written while a row is rejected"
check "GBK with --partial" 0 as "$adm" import households "$tmp/h_gbk.csv" --encoding gb18030 --partial --reject-file "$tmp/h_gbk.rej"
expect_in "$tmp/out" "新增 1 行，更新 0 行，未变 0 行，拒绝 2 行" "the good row taken"
same "$(households)" "$((n + 1))" "one household more"
if iconv -f GBK -t UTF-8 "$tmp/h_gbk.rej" >"$tmp/h_gbk.rej.utf8" 2>/dev/null && ! iconv -f UTF-8 -t UTF-8 "$tmp/h_gbk.rej" >/dev/null 2>&1; then
	echo "ok: the reject file is in GBK, as the input"; pass=$((pass + 1))
else
	echo "FAIL: the reject file is not GBK"; fails=$((fails + 1))
fi
expect_in "$tmp/h_gbk.rej.utf8" '"NOPE","009","某村9号","","","没有代码为 NOPE 的村（社区）"' "the rejected row and its reason"
expect_in "$tmp/h_gbk.rej.utf8" '"原因"' "the reject file's header names the reason"
same "$(grep -c . "$tmp/h_gbk.rej.utf8")" 3 "a header and the two rejected rows"
check "GBK with --partial again" 0 as "$adm" import households "$tmp/h_gbk.csv" --encoding gbk --partial --reject-file "$tmp/h_gbk.rej"
expect_in "$tmp/out" "新增 0 行，更新 0 行，未变 1 行，拒绝 2 行" "the re-run takes nothing twice"

# --- duplicates: within the file, against the database --------------------------------------------
printf '村代码,户号,地址,电话,网格\nT01V02,010,二村10号,,\nT01V02,010,二村11号,,\n' >"$tmp/h_dup.csv"
check "a household number twice in the file" 1 as "$adm" import households "$tmp/h_dup.csv"
expect_in "$tmp/out" "第 3 行，户号：户号 010 重复（首次出现在第 2 行）" "the second one is rejected, naming the first"
printf '村代码,户号,地址,电话,网格\nT01V01,001,别处8号,,\n' >"$tmp/h_dupdb.csv"
check "a household number the village gave another address" 1 as "$adm" import households "$tmp/h_dupdb.csv"
expect_in "$tmp/out" "第 2 行，户号：户号 001 已登记在另一地址：一村1号" "the stored address is named"

# --- jurisdiction and duty --------------------------------------------------------------------
printf '村代码,户号,地址,电话,网格\nXQT01V01,001,外区1号,,\n' >"$tmp/h_other_district.csv"
check "a village of another district" 1 as "$adm" import households "$tmp/h_other_district.csv"
expect_in "$tmp/out" "村（社区）XQT01V01 不在您的辖区内" "outside the jurisdiction"
printf '村代码,户号,地址,电话,网格\nT02V01,001,二镇1号,,\n' >"$tmp/h_other_town.csv"
check "a town administrator, a village of another town" 1 as "$tadm" import households "$tmp/h_other_town.csv"
expect_in "$tmp/out" "村（社区）T02V01 不在您的辖区内" "outside the town's jurisdiction"
same "$(q "SELECT count(*) FROM minqing.household h JOIN minqing.org_unit u USING (unit_id) WHERE u.code IN ('XQT01V01', 'T02V01')")" 0 \
	"nothing written outside"
check "an information officer" 1 as "$off" import households "$tmp/h_good.csv"
expect_in "$tmp/err" "只有管理员可以导入档案" "only an administrator imports"
same "$(q "SELECT count(*) FROM minqing.import_run WHERE login = '$off'")" 0 "the officer opened no import"

# --- the file's shape and the command line ----------------------------------------------------------
printf '村代码,户号\nT01V01,001\n' >"$tmp/h_short.csv"
check "too few columns" 1 as "$adm" import households "$tmp/h_short.csv"
expect_in "$tmp/err" "h_short.csv 第 2 行" "the line COPY stopped at"
expect_in "$tmp/err" "村（社区）代码, 户号, 地址, 联系电话, 网格" "the columns of the register are listed"
check "a file that does not exist" 1 as "$adm" import households "$tmp/none.csv"
check "an unknown kind" 2 as "$adm" import cattle "$tmp/h_good.csv"
check "an unknown encoding" 2 as "$adm" import households "$tmp/h_good.csv" --encoding big5
check "no file" 2 as "$adm" import households
printf 'ui = { language = "en"; };\n' >"$tmp/en.conf"
check "the report in English" 1 env PGDATABASE="$db" PGUSER="$adm" "$admin" -c "$tmp/en.conf" import households "$tmp/h_gbk.csv" --encoding gbk
expect_in "$tmp/out" "line 3, village code: unknown village NOPE" "line, column and reason in English"

# --- residents ---------------------------------------------------------------------------------
a=$(idc 33030319600307001) b=$(idc 33030319620101002) c=$(idc 33030319850505003) x=$(idc 33039919700101004)
bad=${c:0:17}$(((${c:17:1} + 1) % 10))
q "INSERT INTO minqing.household (unit_id, household_no, address) SELECT unit_id, '001', '外区1号' FROM minqing.org_unit WHERE code = 'XQT01V01';
   INSERT INTO minqing.resident (household_id, name, relation, id_card)
   SELECT household_id, '外区居民', 'head', '$x' FROM minqing.household h JOIN minqing.org_unit u USING (unit_id) WHERE u.code = 'XQT01V01'" >/dev/null
cat >"$tmp/r.csv" <<EOF
村代码,户号,姓名,性别,出生日期,与户主关系,电话,身份证号
T01V01,001,王大,男,1960-03-07,户主,13800000001,$a
T01V01,001,李二,女,1962/1/1,配偶,,${b,,}
T01V01,001,王三,M,1985.05.05,child,,$bad
T01V01,001,王四,X,1985-02-30,狗,,
T01V01,404,王五,,,子女,,
T01V01,001,王六,,,子女,,$a
T01V01,002,赵七,,,户主,,$x
EOF
check "residents with bad rows" 1 as "$adm" import residents "$tmp/r.csv"
expect_in "$tmp/out" "第 4 行，身份证号：身份证号 330303********${bad:14:4} 的校验码不正确" "a bad check character, the number masked"
expect_in "$tmp/out" "第 5 行，性别：" "a bad gender"
expect_in "$tmp/out" "第 5 行，出生日期：不是有效的日期" "a date that does not exist"
expect_in "$tmp/out" "第 5 行，与户主关系：无法识别的与户主关系：狗" "an unknown relation"
expect_in "$tmp/out" "第 6 行，户号：村（社区）T01V01 没有户号为 404 的户" "a household that is not registered"
expect_in "$tmp/out" "第 7 行，身份证号：身份证号 330303********${a:14:4} 重复（首次出现在第 2 行）" "an ID number twice in the file"
expect_in "$tmp/out" "第 8 行，身份证号：身份证号 330399********${x:14:4} 已登记在其他户" "an ID number registered in another district"
expect_not_in "$tmp/out" "$a" "no full ID number in the report"
same "$(q "SELECT count(*) FROM minqing.resident")" 1 "no resident written"
check "residents --partial" 0 as "$adm" import residents "$tmp/r.csv" --partial --reject-file "$tmp/r.rej"
expect_in "$tmp/out" "新增 2 行，更新 0 行，未变 0 行，拒绝 5 行" "the two good residents"
same "$(q "SELECT string_agg(r.name || r.gender || r.relation || r.birth_date, ',' ORDER BY r.name) FROM minqing.resident r JOIN minqing.household h USING (household_id) WHERE h.household_no = '001' AND h.path::text = 'LW.T01.T01V01'")" \
	"李二Fspouse1962-01-01,王大Mhead1960-03-07" "gender, relation and dates read from the register's words"
same "$(q "SELECT r.name FROM minqing.household h JOIN minqing.resident r ON r.resident_id = h.head_resident_id WHERE h.path::text = 'LW.T01.T01V01' AND h.household_no = '001'")" \
	"王大" "the head of the household is set"
same "$(grep -c . "$tmp/r.rej")" 6 "five rejected rows in the reject file"
before=$(audits)
check "residents --partial again" 0 as "$adm" import residents "$tmp/r.csv" --partial --reject-file "$tmp/r.rej"
expect_in "$tmp/out" "新增 0 行，更新 0 行，未变 2 行，拒绝 5 行" "the re-run finds them unchanged"
same "$(audits)" "$before" "the re-run changes nothing"

# --- party members and links: at most 10 households a party member --------------------------------
{ printf '村代码,户号,地址,电话,网格\n'; for i in $(seq 11 22); do printf 'T01V01,%03d,一村%d号,,\n' "$i" "$i"; done; } >"$tmp/h_many.csv"
check "twelve more households" 0 as "$adm" import households "$tmp/h_many.csv"
printf '身份证号,党支部,入党日期\n%s,一村党支部,1990-07-01\n%s,一村党支部,\n' "$a" "$x" >"$tmp/p.csv"
check "a party member of another district" 1 as "$adm" import party-members "$tmp/p.csv"
expect_in "$tmp/out" "第 3 行，身份证号：您的辖区内没有身份证号为 330399********${x:14:4} 的居民" "a resident outside is not found"
printf '身份证号,党支部,入党日期\n%s,一村党支部,1990-07-01\n' "$a" >"$tmp/p.csv"
check "a party member" 0 as "$adm" import party-members "$tmp/p.csv"
expect_in "$tmp/out" "新增 1 行" "the party member added"
check "the party member again" 0 as "$adm" import party-members "$tmp/p.csv"
expect_in "$tmp/out" "新增 0 行，更新 0 行，未变 1 行" "unchanged"
{ printf '身份证号,村代码,户号\n'; for i in $(seq 11 21); do printf '%s,T01V01,%03d\n' "$a" "$i"; done; printf '%s,T01V02,001\n' "$a"; } >"$tmp/l.csv"
check "a party member linked to 11 households and one of another village" 1 as "$adm" import links "$tmp/l.csv"
expect_in "$tmp/out" "第 12 行，身份证号：党员 330303********${a:14:4} 联系的户将超过 10 户" "the 11th household is over the limit"
expect_not_in "$tmp/out" "第 11 行，身份证号" "the 10th is not"
expect_in "$tmp/out" "第 13 行，户号：户 001 与该党员不在同一村（社区）" "a household of another village"
same "$(q "SELECT count(*) FROM minqing.household_link")" 0 "no link written"
check "links --partial" 0 as "$adm" import links "$tmp/l.csv" --partial --reject-file "$tmp/l.rej"
expect_in "$tmp/out" "新增 10 行，更新 0 行，未变 0 行，拒绝 2 行" "ten links"
same "$(q "SELECT count(*) FROM minqing.household_link")" 10 "ten links stored"
check "links --partial again" 0 as "$adm" import links "$tmp/l.csv" --partial --reject-file "$tmp/l.rej"
expect_in "$tmp/out" "新增 0 行，更新 0 行，未变 10 行，拒绝 2 行" "the re-run changes nothing"
printf '身份证号,村代码,户号\n%s,T01V01,022\n' "$a" >"$tmp/l2.csv"
check "one more household for a party member with ten" 1 as "$adm" import links "$tmp/l2.csv"
expect_in "$tmp/out" "第 2 行，身份证号：党员 330303********${a:14:4} 联系的户将超过 10 户" "the stored links count"

# --- archive: one field a row; export, and import of what was exported ----------------------
revisions() { q "SELECT count(*) FROM minqing.archive_revision"; }
cat >"$tmp/a.csv" <<'CSV'
村代码,栏目,序号,项目,内容
T01V01,村情概况,,面积（平方公里）,3.5
T01V01,1,,villager_groups,12
T01V01,overview,,户籍人口,2380
T01V01,村情概况,,备注,"沿江村落，""三改一拆""后
新建文化礼堂, 路网完善"
T01V01,班子建设,1,所属班子,党支部
T01V01,班子建设,1,姓名,王建国
T01V01,班子建设,1,职务,支部书记
T01V01,班子建设,1,任职时间,2021/1/9
T01V01,班子建设,2,committee,villagers
T01V01,班子建设,2,姓名,李芳
T01V01,班子建设,2,职务,村委会主任
T01V01,集体经济,2024,收入（元）,1250000
T01V01,集体经济,2024,资产（元）,-3000.5
T01V01,集体经济,2023,收入（元）,980000.00
CSV
check "archive, UTF-8 without BOM" 0 as "$adm" import archive "$tmp/a.csv"
expect_in "$tmp/out" "读入 14 行，新增 14 行，更新 0 行，未变 0 行，拒绝 0 行" "the archive's rows counted"
same "$(revisions)" 3 "one revision per section named in the file"
same "$(q "SELECT count(*) || '|' || min(committee) || '|' || min(since::text) FROM minqing.archive_member")" \
	"2|party|2021-01-09" "the members, their committees by Chinese or code, the date in the register's way"
same "$(q "SELECT string_agg(year || ':' || income || ':' || coalesce(assets::text, ''), ',' ORDER BY year) FROM minqing.archive_economy")" \
	"2023:980000.00:,2024:1250000.00:-3000.50" "the years by their item, a negative asset"
check "the same archive file again" 0 as "$adm" import archive "$tmp/a.csv"
expect_in "$tmp/out" "新增 0 行，更新 0 行，未变 14 行" "every row unchanged"
same "$(revisions)" 3 "a re-run makes no revision"
check "export archive as CSV" 0 as "$off" export archive T01V01 --output "$tmp/e.csv"
same "$(head -c 3 "$tmp/e.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "UTF-8 with a BOM, for Excel"
expect_in "$tmp/e.csv" '"沿江村落，""三改一拆""后' "a field with quotes and a line break is quoted, its quotes doubled"
expect_in "$tmp/e.csv" 'T01V01,集体经济,2024,资产（元）,-3000.50' "the year as the item, the Chinese label, the stored value"
check "the export imported again" 0 as "$adm" import archive "$tmp/e.csv"
expect_in "$tmp/out" "更新 0 行" "nothing to update"
same "$(revisions)" 3 "export then import makes no revision"
{ printf '\xef\xbb\xbf'; sed 's/^T01V01,1,,villager_groups,12$/T01V01,1,,villager_groups,13/' "$tmp/a.csv"; } >"$tmp/a_bom.csv"
check "archive, UTF-8 with BOM, one field changed" 0 as "$adm" import archive "$tmp/a_bom.csv"
expect_in "$tmp/out" "新增 0 行，更新 4 行，未变 10 行" "the rows of the changed section updated"
same "$(revisions)" 4 "one more revision: the changed section only"
same "$(q "SELECT changed::text FROM minqing.archive_revision ORDER BY revision_id DESC LIMIT 1")" "{villager_groups}" \
	"the revision names the changed field"
sed 's/,13$/,14/' "$tmp/a_bom.csv" | tail -c +4 | iconv -f UTF-8 -t GBK >"$tmp/a_gbk.csv"
check "archive in GBK" 0 as "$adm" import archive "$tmp/a_gbk.csv" --encoding gbk
same "$(q "SELECT villager_groups FROM minqing.archive_overview")" 14 "read as GBK"
check "export archive in GBK" 0 as "$adm" export archive T01V01 --encoding gbk --output "$tmp/e_gbk.csv"
same "$(iconv -f GBK -t UTF-8 "$tmp/e_gbk.csv" | md5sum)" "$(as "$adm" export archive T01V01 | tail -c +4 | md5sum)" \
	"GBK without a BOM, otherwise the same"
check "the GBK export imported again" 0 as "$adm" import archive "$tmp/e_gbk.csv" --encoding gbk
expect_in "$tmp/out" "新增 0 行，更新 0 行" "unchanged"
before=$(revisions)
printf '村代码,栏目,序号,项目,内容\nNOPE,村情概况,,备注,x\nT01V01,第九栏,,备注,x\nT01V01,村情概况,,人口,5\nT01V01,村情概况,,面积（平方公里）,三点五\nT01V01,班子建设,3,任职时间,2021-02-30\nT01V01,班子建设,3,姓名,赵六\nT01V01,集体经济,,收入（元）,5\nT01V01,社会稳定,1,类别,吵架\nT01V01,社会稳定,1,事项,征地\nT01V01,社会事业,,备注,好\n' >"$tmp/a_bad.csv"
check "archive with bad rows" 1 as "$adm" import archive "$tmp/a_bad.csv"
expect_in "$tmp/out" "第 2 行，村（社区）代码：没有代码为 NOPE 的村（社区）" "unknown village"
expect_in "$tmp/out" "第 3 行，栏目：没有“第九栏”这一栏目" "unknown section"
expect_in "$tmp/out" "第 4 行，项目：栏目“村情概况”没有“人口”这一项目" "unknown field"
expect_in "$tmp/out" "第 5 行，内容：不是数字：三点五" "a bad number"
expect_in "$tmp/out" "第 6 行，内容：不是有效的日期（应为 年-月-日，如 1960-03-07）：2021-02-30" "a bad date"
expect_in "$tmp/out" "第 6 行，项目：第 3 项缺少所属班子、职务" "an item without the fields it needs"
expect_in "$tmp/out" "第 8 行，序号：“收入（元）”属于列表，请填写序号" "a list's field without its item"
expect_in "$tmp/out" "第 9 行，内容：无效的值 吵架：应为 矛盾纠纷、重点关注 之一" "an unknown choice"
expect_in "$tmp/out" "拒绝 7 行" "seven rows rejected"
same "$(revisions)" "$before" "nothing saved"
check "archive with bad rows --partial" 0 as "$adm" import archive "$tmp/a_bad.csv" --partial --reject-file "$tmp/a.rej"
expect_in "$tmp/out" "第 7 行，栏目：T01V01 的栏目“班子建设”有被拒绝的行，该栏目保持不变" "the good row of a section with bad rows is not taken"
expect_not_in "$tmp/out" "第 4 行，栏目：" "none of them left a section to save"
expect_in "$tmp/out" "新增 1 行" "the good section saved (社会事业)"
same "$(revisions)" "$((before + 1))" "one revision"
expect_in "$tmp/a.rej" '"T01V01","第九栏","","备注","x","没有“第九栏”这一栏目"' "the reject file"
check "an officer may not import the archive" 1 as "$off" import archive "$tmp/a.csv"
expect_in "$tmp/err" "只有管理员可以导入档案" "refused"
sed 's/^T01V01,/XQT01V01,/' "$tmp/a.csv" >"$tmp/a_x.csv"
check "the archive of a village of another district" 1 as "$tadm" import archive "$tmp/a_x.csv"
expect_in "$tmp/out" "第 2 行，村（社区）代码：村（社区）XQT01V01 不在您的辖区内" "outside the jurisdiction"
check "an officer may not export another village's archive" 1 as "$off" export archive T02V01
expect_in "$tmp/err" "T02V01" "refused by the database"
check "export archive as text" 0 as "$off" export archive T01V01 --format text --output "$tmp/e.txt"
expect_in "$tmp/e.txt" "一村（T01V01）村情档案" "the title"
expect_in "$tmp/e.txt" "八、困难群体（未填写）" "a section never saved"
expect_in "$tmp/e.txt" "  姓名：王建国" "a list item's field, indented"
widest=$(python3 -c 'import sys, unicodedata
print(max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) for l in open(sys.argv[1])))' "$tmp/e.txt")
same "$([ "$widest" -le 80 ] && echo within)" within "no line wider than 80 display columns ($widest)"
check "export: an unknown format" 2 as "$adm" export archive T01V01 --format pdf

echo "admin_import: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
