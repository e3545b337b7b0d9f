-- Demo district, part 1: helpers, the district and its organisation units.
--
-- Run by `minqing-admin demo-data` (src/admin/admin-demo.c) as a superuser,
-- with schema/demo/*.sql in name order in ONE transaction; the scale and seed
-- come from the settings minqing_demo.scale and minqing_demo.seed.
--
-- Every "random" choice is a hash of (seed, salt, row number) through
-- pg_temp.mq_h, never random(): the same seed gives the same district
-- whatever plan the server picks. Helpers live in pg_temp and the working
-- tables are ON COMMIT DROP, so nothing is left behind (30_people.sql drops
-- the helpers at the end).
--
-- Scale 1 is the district of the seed documents (Longwan, Wenzhou): 10
-- streets, 120 villages and communities, 12 departments, 255 sub-stations,
-- about 40,000 households. Towns, departments and the non-village units stay
-- fixed; below scale 1 there are fewer villages (at least one per town),
-- above it the same 120 villages hold proportionally more households.

SET LOCAL search_path = minqing, ext, public;
SET LOCAL session_replication_role = origin;
-- user_add re-grants group roles to roles other databases of the cluster
-- already made; those notices are noise here.
SET LOCAL client_min_messages = warning;
-- Room for the working tables and sorts; the bulk statements are planned on
-- analysed temp tables, JIT compiling would only add seconds. The working
-- tables of the cases are read many times over: at scale 10 the widest
-- (mq_c, 0.8 GB) stays in memory rather than being written out and read back
-- for each (memory taken as it is used, given back when the load ends).
DO $$
BEGIN
	-- (only possible before the session's first temp table)
	PERFORM set_config('temp_buffers', '1GB', true);
EXCEPTION WHEN invalid_parameter_value THEN
	NULL;
END
$$;
SET LOCAL work_mem = '128MB';
SET LOCAL maintenance_work_mem = '256MB';
SET LOCAL jit = off;

------------------------------------------------------------------------------
-- Helpers (inlinable SQL functions)
------------------------------------------------------------------------------
-- Bulk loads (30_people, 40_cases): the secondary indexes of the loaded
-- tables (those not behind a constraint) are dropped for the load and
-- rebuilt from their own definitions at the end: one sorted build instead of
-- a million random insertions (GiST on ltree with few distinct paths is the
-- slowest). Unique ones check their uniqueness when rebuilt; the single
-- transaction makes all of it invisible. p_keep names partial indexes of a
-- few rows (the open cases, a kind of event) that are cheaper kept up row by
-- row than built by reading the whole table again.
CREATE TEMP TABLE mq_saved_index (name text, def text, comment text) ON COMMIT DROP;

CREATE FUNCTION pg_temp.mq_drop_indexes(p_tables text[], p_keep text[] DEFAULT '{}') RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	n text;
BEGIN
	INSERT INTO mq_saved_index
	SELECT format('%I.%I', 'minqing', ic.relname), pg_get_indexdef(i.indexrelid),
	       obj_description(i.indexrelid, 'pg_class')
	  FROM pg_index i
	  JOIN pg_class c ON c.oid = i.indrelid
	  JOIN pg_class ic ON ic.oid = i.indexrelid
	 WHERE c.relnamespace = 'minqing'::regnamespace AND c.relname = ANY (p_tables)
	   AND NOT (i.indpred IS NOT NULL AND ic.relname = ANY (p_keep))
	   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);
	FOR n IN SELECT name FROM mq_saved_index ORDER BY name LOOP
		EXECUTE 'DROP INDEX ' || n;
	END LOOP;
END
$$;

CREATE FUNCTION pg_temp.mq_rebuild_indexes() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	x record;
BEGIN
	FOR x IN SELECT * FROM mq_saved_index ORDER BY name LOOP
		EXECUTE x.def;
		IF x.comment IS NOT NULL THEN
			EXECUTE format('COMMENT ON INDEX %s IS %L', x.name, x.comment);
		END IF;
	END LOOP;
	DELETE FROM mq_saved_index;
END
$$;

-- A statement trigger with a transition table makes every statement on its
-- table keep all the rows it writes (a tuplestore of a million rows for a
-- bulk insert), even when the trigger is disabled or does not fire in
-- replica mode. For the bulk inserts such insert triggers of the loaded
-- tables are dropped and re-created from their own definitions (enabled as
-- they were, with their comments) once the table is loaded; what they would
-- have written, the scripts write. p_always names the triggers that fire in
-- replica mode too (ENABLE ALWAYS or REPLICA) and that the caller replaces:
-- any other such trigger is an error (its work would be lost).
CREATE TEMP TABLE mq_saved_trigger (tab text, name text, def text, enabled "char", comment text) ON COMMIT DROP;

CREATE FUNCTION pg_temp.mq_drop_triggers(p_tables text[], p_always text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	x record;
BEGIN
	FOR x IN SELECT format('%I.%I', 'minqing', c.relname) AS tab, t.tgname AS name, pg_get_triggerdef(t.oid) AS def,
	                t.tgenabled AS enabled, obj_description(t.oid, 'pg_trigger') AS comment
	           FROM pg_trigger t
	           JOIN pg_class c ON c.oid = t.tgrelid
	          WHERE c.relnamespace = 'minqing'::regnamespace AND c.relname = ANY (p_tables) AND NOT t.tgisinternal
	            AND t.tgnewtable IS NOT NULL AND t.tgtype & 4 <> 0
	          ORDER BY 1, 2 LOOP
		IF x.enabled IN ('A', 'R') <> (x.name = ANY (p_always)) THEN
			RAISE EXCEPTION 'demo data: % on % fires in replica mode: %, but the scripts replace %',
			                x.name, x.tab, x.enabled IN ('A', 'R'), p_always;
		END IF;
		INSERT INTO mq_saved_trigger VALUES (x.tab, x.name, x.def, x.enabled, x.comment);
		EXECUTE format('DROP TRIGGER %I ON %s', x.name, x.tab);
	END LOOP;
	IF EXISTS (SELECT 1 FROM unnest(p_always) a(name) WHERE a.name NOT IN (SELECT s.name FROM mq_saved_trigger s)) THEN
		RAISE EXCEPTION 'demo data: the insert triggers % the scripts replace are not all there', p_always;
	END IF;
END
$$;

CREATE FUNCTION pg_temp.mq_restore_triggers() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	x record;
BEGIN
	FOR x IN SELECT * FROM mq_saved_trigger ORDER BY tab, name LOOP
		EXECUTE x.def;
		IF x.enabled <> 'O' THEN
			EXECUTE format('ALTER TABLE %s %s TRIGGER %I', x.tab,
			               CASE x.enabled WHEN 'A' THEN 'ENABLE ALWAYS' WHEN 'R' THEN 'ENABLE REPLICA'
			                              ELSE 'DISABLE' END, x.name);
		END IF;
		IF x.comment IS NOT NULL THEN
			EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', x.name, x.tab, x.comment);
		END IF;
	END LOOP;
	DELETE FROM mq_saved_trigger;
END
$$;

-- Statistics: the tables a script loads in bulk are analysed at its end, so
-- that the scripts after it plan on them (a million cases estimated from
-- their page count alone make nested loops of minutes); 99_cleanup.sql
-- analyses every other table, so the load commits with fresh statistics of
-- every table and none is analysed twice.
CREATE TEMP TABLE mq_analysed (name text PRIMARY KEY) ON COMMIT DROP;

CREATE FUNCTION pg_temp.mq_analyse(p_tables text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	n text;
BEGIN
	FOREACH n IN ARRAY p_tables LOOP
		EXECUTE format('ANALYZE minqing.%I', n);
		INSERT INTO mq_analysed VALUES (n) ON CONFLICT DO NOTHING;
	END LOOP;
END
$$;

-- The one source of randomness: a 64-bit hash of (salt, i) under the seed.
-- (hashint8extended mixes all 64 bits and is the same on every platform;
-- the salt's hash folds into the seed.) The seed is written into the
-- function, so that a constant salt folds with it into one constant when a
-- statement is planned: tens of millions of calls at scale 10 then read no
-- setting.
DO $$
BEGIN
	EXECUTE format($f$CREATE FUNCTION pg_temp.mq_h(salt text, i bigint) RETURNS bigint
		LANGUAGE sql IMMUTABLE PARALLEL SAFE
		RETURN hashint8extended(i, %L::bigint # hashtext(salt)::bigint)$f$,
	               current_setting('minqing_demo.seed')::bigint);
END
$$;

-- Bits [lo, lo+n) of a hash as a non-negative integer.
CREATE FUNCTION pg_temp.mq_bits(h bigint, lo integer, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((h >> lo) & ((1::bigint << n) - 1))::integer;

-- A uniform number in [0, 1).
CREATE FUNCTION pg_temp.mq_u(salt text, i bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (pg_temp.mq_h(salt, i) & 2147483647)::double precision / 2147483648.0;

-- An element of an array chosen by a number.
CREATE FUNCTION pg_temp.mq_pick(a text[], x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN a[1 + ((x & 2147483647) % cardinality(a))::integer];

-- A mainland mobile number (real prefixes) from a hash.
CREATE FUNCTION pg_temp.mq_mobile(h bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_temp.mq_pick('{130,131,132,133,134,135,136,137,138,139,150,151,152,153,155,156,157,158,159,'
                       '166,177,180,181,182,183,185,186,187,188,189,191,198,199,135,136,137,138,139,'
                       '150,151,152,157,158,159,182,187,188,139,138,137,158,159,135}'::text[], h >> 40)
       || lpad(((h & 1099511627775) % 100000000)::text, 8, '0');

-- A Wenzhou landline (area code 0577, 8-digit numbers starting 8 in Longwan).
CREATE FUNCTION pg_temp.mq_landline(h bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '0577-8' || pg_temp.mq_pick('{5,6,6,6,8,9}'::text[], h >> 32)
       || lpad(((h & 4294967295) % 1000000)::text, 6, '0');

-- An 18-character ID number (GB 11643): region code, birth date as
-- YYYYMMDD, 3-digit sequence, and the check character computed on the
-- integers (the weights are 2^(17-i) mod 11 for digit i).
CREATE FUNCTION pg_temp.mq_id(r integer, d integer, s integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN r::text || d::text || lpad(s::text, 3, '0')
       || substr('10X98765432',
                 (r / 100000 * 7 + r / 10000 % 10 * 9 + r / 1000 % 10 * 10 + r / 100 % 10 * 5
                  + r / 10 % 10 * 8 + r % 10 * 4
                  + d / 10000000 * 2 + d / 1000000 % 10 * 1 + d / 100000 % 10 * 6 + d / 10000 % 10 * 3
                  + d / 1000 % 10 * 7 + d / 100 % 10 * 9 + d / 10 % 10 * 10 + d % 10 * 5
                  + s / 100 * 8 + s / 10 % 10 * 4 + s % 10 * 2) % 11 + 1, 1);

-- Word lists as constant arrays (folded into the plans). Surnames are
-- weighted by repetition (common in Wenzhou and Zhejiang); given-name
-- characters differ by sex and by generation (born before 1985 or after).
CREATE FUNCTION pg_temp.mq_surname(x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_temp.mq_pick('{陈,陈,陈,陈,陈,陈,陈,陈,陈,陈,王,王,王,王,王,王,王,林,林,林,林,林,林,林,李,李,李,李,李,张,张,张,张,张,黄,黄,黄,黄,黄,周,'
                       '周,周,周,吴,吴,吴,吴,郑,郑,郑,郑,徐,徐,徐,金,金,金,叶,叶,叶,潘,潘,潘,胡,胡,胡,杨,杨,杨,朱,朱,刘,刘,蔡,蔡,郭,郭,谢,谢,戴,'
                       '戴,章,章,卢,卢,孙,孙,项,邵,池,钱,夏,董,姜,薛,虞,包,应,余,谷,邱,沈,方,施,季,汪,何,彭,缪,麻,苏}'::text[], x);

-- A given name of one or (mostly) two characters.
CREATE FUNCTION pg_temp.mq_given(male boolean, young boolean, x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN male AND young THEN pg_temp.mq_pick('{浩,宇,轩,子,梓,博,睿,泽,辰,俊,杰,文,晨,涛,磊,鑫,宏,晓,鹏,豪,一,然,航,诚,锦,铭,嘉,昊,天,乐,宸,逸,煜,哲,凯,毅}'::text[], x)
            WHEN male THEN pg_temp.mq_pick('{国,建,明,华,平,志,勇,斌,杰,海,峰,林,刚,东,德,忠,成,春,荣,生,宝,金,福,庆,祥,良,兴,富,贵,文,武,新,光,永,长,清,正,秋,根,才,'
                                             '义,松,洪,云,朝,元,伟,强,军,定,友}'::text[], x)
            WHEN young THEN pg_temp.mq_pick('{欣,怡,诗,涵,雨,佳,可,婷,琳,颖,萱,悦,梦,思,瑶,蕾,晓,雅,静,倩,璐,琪,妍,芯,彤,心,语,若,紫,馨,嘉,依}'::text[], x)
            ELSE pg_temp.mq_pick('{丽,芳,敏,静,燕,娟,红,霞,玲,艳,萍,梅,英,兰,琴,秀,莉,凤,素,珍,爱,月,彩,菊,香,花,云,玉,美,春,雪,慧,琼,淑,翠,银,巧,仙}'::text[], x) END;

CREATE FUNCTION pg_temp.mq_name(surname text, male boolean, young boolean, x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN surname || pg_temp.mq_given(male, young, x)
       || CASE WHEN pg_temp.mq_bits(x, 20, 2) < 3 THEN pg_temp.mq_given(male, young, x >> 10) ELSE '' END;

-- Roads of Longwan, and estate name endings for communities.
CREATE FUNCTION pg_temp.mq_road(x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_temp.mq_pick('{永宁西路,永强大道,永定路,永昌路,永兴北路,滨海大道,机场大道,蒲州路,府东路,瑶溪路,沙城大道,天河大道,'
                       '星海大道,海城大道,状元大道,龙祥路,龙腾路,金海大道,兴区路,富春路,上江路,灵昆路,度山路,文昌路}'::text[], x);

CREATE FUNCTION pg_temp.mq_estate(x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_temp.mq_pick('{花园,新村,小区,公寓,家园,嘉苑,华庭,锦园}'::text[], x);

------------------------------------------------------------------------------
-- The district and its fixed units
------------------------------------------------------------------------------
INSERT INTO minqing.district (district_id, code, name, name_en)
VALUES (1, '330303', '龙湾区', 'Longwan District');

-- Towns (streets): code, name, English name, villages at scale 1, share of
-- communities among them.
CREATE TEMP TABLE mq_town ON COMMIT DROP AS
SELECT t.* FROM (VALUES
	(1,  'T01', '永中街道', 'Yongzhong Subdistrict',  14, 0.50, '永宁西路'),
	(2,  'T02', '海滨街道', 'Haibin Subdistrict',     12, 0.25, '滨海大道'),
	(3,  'T03', '永兴街道', 'Yongxing Subdistrict',   13, 0.30, '永兴北路'),
	(4,  'T04', '海城街道', 'Haicheng Subdistrict',   12, 0.25, '海城大道'),
	(5,  'T05', '状元街道', 'Zhuangyuan Subdistrict', 13, 0.45, '状元大道'),
	(6,  'T06', '瑶溪街道', 'Yaoxi Subdistrict',      11, 0.40, '瑶溪路'),
	(7,  'T07', '蒲州街道', 'Puzhou Subdistrict',     12, 0.50, '蒲州路'),
	(8,  'T08', '沙城街道', 'Shacheng Subdistrict',   12, 0.20, '沙城大道'),
	(9,  'T09', '天河街道', 'Tianhe Subdistrict',     11, 0.20, '天河大道'),
	(10, 'T10', '星海街道', 'Xinghai Subdistrict',    10, 0.60, '星海大道'))
	AS t(tidx, code, name, name_en, nvill, urban, road);

INSERT INTO minqing.org_unit (district_id, parent_id, code, name, name_en, kind, address, phone)
VALUES (1, NULL, 'LW', '龙湾区', 'Longwan District', 'district', '温州市龙湾区永宁西路', '0577-86981234');

INSERT INTO minqing.org_unit (district_id, parent_id, code, name, name_en, kind, address, phone)
SELECT 1, (SELECT unit_id FROM minqing.org_unit WHERE code = 'LW'), t.code, t.name, t.name_en,
       'street', '温州市龙湾区' || t.road || (100 + pg_temp.mq_bits(pg_temp.mq_h('town-addr', t.tidx), 0, 8)) || '号',
       pg_temp.mq_landline(pg_temp.mq_h('town-phone', t.tidx))
  FROM mq_town t ORDER BY t.tidx;

-- District departments (the handlers of cases) and other district agencies.
CREATE TEMP TABLE mq_dept ON COMMIT DROP AS
SELECT d.* FROM (VALUES
	(1,  'D01', '区信访局', 'Letters and Calls Bureau'),
	(2,  'D02', '区民政局', 'Civil Affairs Bureau'),
	(3,  'D03', '区人力社保局', 'Human Resources and Social Security Bureau'),
	(4,  'D04', '区住建局', 'Housing and Urban-Rural Development Bureau'),
	(5,  'D05', '区自然资源和规划分局', 'Natural Resources and Planning Branch'),
	(6,  'D06', '区农业农村局', 'Agriculture and Rural Affairs Bureau'),
	(7,  'D07', '区卫生健康局', 'Health Bureau'),
	(8,  'D08', '区教育局', 'Education Bureau'),
	(9,  'D09', '区市场监管局', 'Market Supervision Bureau'),
	(10, 'D10', '区综合行政执法局', 'Comprehensive Administrative Law Enforcement Bureau'),
	(11, 'D11', '公安龙湾分局', 'Longwan Public Security Sub-bureau'),
	(12, 'D12', '区司法局', 'Justice Bureau')) AS d(didx, code, name, name_en);

INSERT INTO minqing.org_unit (district_id, parent_id, code, name, name_en, kind, address, phone)
SELECT 1, (SELECT unit_id FROM minqing.org_unit WHERE code = 'LW'), d.code, d.name, d.name_en,
       'department', '温州市龙湾区' || pg_temp.mq_road(pg_temp.mq_h('dept-road', d.didx))
                      || (1 + pg_temp.mq_bits(pg_temp.mq_h('dept-addr', d.didx), 0, 9)) || '号',
       pg_temp.mq_landline(pg_temp.mq_h('dept-phone', d.didx))
  FROM mq_dept d ORDER BY d.didx;

INSERT INTO minqing.org_unit (district_id, parent_id, code, name, kind, address, phone)
SELECT 1, (SELECT unit_id FROM minqing.org_unit WHERE code = 'LW'), 'A' || lpad(a.n::text, 2, '0'),
       a.name, 'agency', '温州市龙湾区' || pg_temp.mq_road(pg_temp.mq_h('agency-road', a.n))
                          || (1 + pg_temp.mq_bits(pg_temp.mq_h('agency-addr', a.n), 0, 9)) || '号',
       pg_temp.mq_landline(pg_temp.mq_h('agency-phone', a.n))
  FROM unnest(ARRAY['区委办公室', '区政府办公室', '区纪委区监委', '区委组织部', '区委宣传部',
                    '区委统战部', '区委政法委', '区发展和改革局', '区经济和信息化局', '区财政局',
                    '区科学技术局', '区文化和广电旅游体育局', '区应急管理局', '区统计局',
                    '区退役军人事务局', '区医疗保障分局', '区人民法院', '区人民检察院'])
       WITH ORDINALITY AS a(name, n)
 ORDER BY a.n;

------------------------------------------------------------------------------
-- Villages and communities
------------------------------------------------------------------------------
-- Name stems: villages from place-name characters (垟, 岙, 浃 ... are
-- typical of Wenzhou), a few "<surname>家<x>"; communities from auspicious
-- characters. A stem is used once in the district, as a village or a
-- community, so every name is unique.
CREATE TEMP TABLE mq_stem ON COMMIT DROP AS
WITH v AS (
	SELECT a || b AS stem, 'village' AS pool
	  FROM unnest(regexp_split_to_array('东西南北上下前后新中大小长高沙塘石山黄白青龙凤金梅横殿坦岩罗屿樟茅蓝', ''))
	       AS a
	 CROSS JOIN unnest(regexp_split_to_array('垟岙头桥塘湾浦田河屿洲浃堡埠岸埭坑门宅溪亭', '')) AS b
	 WHERE a <> b
	UNION
	SELECT s || '家' || b, 'village'
	  FROM unnest(regexp_split_to_array('李王陈张林黄周吴郑徐', '')) AS s
	 CROSS JOIN unnest(regexp_split_to_array('垟岙桥埭宅浃', '')) AS b
), c AS (
	SELECT a || b AS stem, 'community' AS pool
	  FROM unnest(regexp_split_to_array('永兴华昌盛和平安康宁泰瑞福祥明光阳春景滨文锦星天', '')) AS a
	 CROSS JOIN unnest(regexp_split_to_array('华昌兴和安康宁泰苑园湖江海城景秀新明光阳庭翠', '')) AS b
	 WHERE a <> b
)
SELECT stem, pool, row_number() OVER (PARTITION BY pool ORDER BY pg_temp.mq_h('stem-' || pool, hashtext(stem)), stem) AS rank
  FROM (SELECT * FROM v UNION ALL SELECT * FROM c WHERE stem NOT IN (SELECT stem FROM v)) s;

-- The villages: fewer below scale 1, the same 120 above it. Households per
-- village vary (about 150-600 at scale 1, communities larger), normalised so the
-- district holds about 40,000 x scale households; never fewer than 12, so
-- every village can have party members linking 5-10 households each.
CREATE TEMP TABLE mq_v ON COMMIT DROP AS
WITH s AS (
	SELECT current_setting('minqing_demo.scale')::numeric AS scale
), per_town AS (
	SELECT t.*, greatest(1, round(t.nvill * least(s.scale, 1)))::int AS nv
	  FROM mq_town t CROSS JOIN s
), vill AS (
	SELECT t.tidx, t.code AS town_code, t.name AS town_name, t.road AS town_road, i AS idx,
	       t.code || 'V' || lpad(i::text, 2, '0') AS code,
	       CASE WHEN pg_temp.mq_u('village-kind', t.tidx * 1000 + i) < t.urban THEN 'community'
	            ELSE 'village' END AS kind,
	       150 + 450 * power(pg_temp.mq_u('village-size', t.tidx * 1000 + i), 1.5) AS weight
	  FROM per_town t CROSS JOIN generate_series(1, t.nv) AS i
), numbered AS (
	SELECT v.*, row_number() OVER (ORDER BY tidx, idx) AS vidx,
	       row_number() OVER (PARTITION BY kind ORDER BY tidx, idx) AS kind_rank,
	       weight * CASE WHEN kind = 'community' THEN 1.4 ELSE 1 END AS w
	  FROM vill v
), sized AS (
	SELECT n.*, greatest(12, round(n.w * 40000 * s.scale / sum(n.w) OVER ()))::int AS nh
	  FROM numbered n CROSS JOIN s
)
SELECT z.vidx, z.tidx, z.town_code, z.town_name, z.idx, z.code, z.kind::minqing.unit_kind AS kind,
       st.stem || CASE WHEN z.kind = 'community' THEN '社区' ELSE '村' END AS name, st.stem,
       z.nh, (sum(z.nh) OVER (ORDER BY z.vidx) - z.nh)::bigint AS hh_off,
       CASE WHEN z.kind = 'community' THEN pg_temp.mq_road(pg_temp.mq_h('v-road', z.vidx))
            ELSE z.town_road END AS road,
       st.stem || pg_temp.mq_estate(pg_temp.mq_h('v-estate', z.vidx)) AS estate,
       NULL::integer AS unit_id, NULL::ext.ltree AS path
  FROM sized z
  JOIN mq_stem st ON st.pool = z.kind AND st.rank = z.kind_rank;

INSERT INTO minqing.org_unit (district_id, parent_id, code, name, kind, address, phone)
SELECT 1, t.unit_id, v.code, v.name, v.kind,
       '温州市龙湾区' || v.town_name ||
       CASE WHEN v.kind = 'community' THEN v.road || (1 + pg_temp.mq_bits(pg_temp.mq_h('v-addr', v.vidx), 0, 8)) || '号'
            ELSE v.name || '村委会' END,
       pg_temp.mq_landline(pg_temp.mq_h('v-phone', v.vidx))
  FROM mq_v v JOIN minqing.org_unit t ON t.code = v.town_code
 ORDER BY v.vidx;

UPDATE mq_v v SET unit_id = u.unit_id, path = u.path FROM minqing.org_unit u WHERE u.code = v.code;
ANALYZE mq_v;

------------------------------------------------------------------------------
-- Enterprises, town agencies and other units (schools, clinics, markets)
------------------------------------------------------------------------------
-- Six enterprises per town; Longwan's industries: valves and pumps, shoes,
-- garments, glasses, auto and motorcycle parts, printing, plastics.
CREATE TEMP TABLE mq_unit_extra ON COMMIT DROP AS
WITH ent AS (
	SELECT t.tidx, t.code AS town_code, t.name AS town_name, t.road, 'enterprise' AS kind, e AS idx,
	       t.code || 'E' || lpad(e::text, 2, '0') AS code,
	       pg_temp.mq_pick(ARRAY['温州', '浙江', '温州', '龙湾'], pg_temp.mq_h('ent-pre', t.tidx * 10 + e))
	       || b.brand
	       || pg_temp.mq_pick(ARRAY['阀门', '泵业', '鞋业', '服饰', '眼镜', '汽摩配件', '印刷',
	                                '塑业', '机械', '电气', '包装', '不锈钢', '合成革', '科技'],
	                          pg_temp.mq_h('ent-ind', t.tidx * 10 + e))
	       || '有限公司' AS name
	  FROM mq_town t CROSS JOIN generate_series(1, 6) AS e
	  JOIN (SELECT brand, row_number() OVER (ORDER BY pg_temp.mq_h('brand', hashtext(brand)), brand) AS r
	          FROM (SELECT a || b AS brand
	                  FROM unnest(regexp_split_to_array('正泰华力宏信瑞金鹏远东海精龙', '')) a
	                 CROSS JOIN unnest(regexp_split_to_array('达盛通力鑫宇强丰源驰诚', '')) b
	                 WHERE a <> b) x) b
	    ON b.r = (t.tidx - 1) * 6 + e
), oth AS (
	SELECT t.tidx, t.code, t.name, t.road, 'other', o, t.code || 'O' || lpad(o::text, 2, '0'),
	       CASE o WHEN 1 THEN t.name || '社区卫生服务中心'
	              WHEN 2 THEN left(t.name, 2) || '农贸市场'
	              ELSE CASE t.tidx WHEN 1 THEN '龙湾区第一人民医院' WHEN 3 THEN '永兴第一小学'
	                               WHEN 5 THEN '状元第一中学' WHEN 7 THEN '蒲州实验小学'
	                               ELSE '龙湾中学' END END
	  FROM mq_town t CROSS JOIN generate_series(1, 3) AS o
	 WHERE o < 3 OR t.tidx IN (1, 3, 5, 7, 9)
), agy AS (
	SELECT t.tidx, t.code, t.name, t.road, 'agency', 1, t.code || 'A01', left(t.name, 2) || '派出所'
	  FROM mq_town t
)
SELECT row_number() OVER (ORDER BY tidx, kind, idx) AS xidx, x.*
  FROM (SELECT * FROM ent UNION ALL SELECT * FROM agy UNION ALL SELECT * FROM oth) x;

INSERT INTO minqing.org_unit (district_id, parent_id, code, name, kind, address, phone)
SELECT 1, t.unit_id, x.code, x.name, x.kind::minqing.unit_kind,
       '温州市龙湾区' || x.town_name || x.road || (1 + pg_temp.mq_bits(pg_temp.mq_h('x-addr', x.xidx), 0, 10)) || '号',
       pg_temp.mq_landline(pg_temp.mq_h('x-phone', x.xidx))
  FROM mq_unit_extra x JOIN minqing.org_unit t ON t.code = x.town_code
 ORDER BY x.xidx;

-- The district's defaults: holidays, case categories, service commitments
-- and escalation thresholds (migration 002), with triggers on.
SELECT minqing.district_seed_defaults(1::smallint);
