-- Demo district, part 3: households, residents, party members, villager
-- representatives and the links between them and the households.
--
-- The bulk is loaded with session_replication_role = replica, so the row
-- triggers (path derivation, link checks, audit) do not run: every INSERT
-- fills district_id and path exactly as the *_derive triggers would (the
-- path of the village) and the data respects every rule they enforce (head
-- is a member, a contact lives in the household's village and links at most
-- 10 households). Note that replica also skips the foreign-key triggers, so
-- the references are right by construction. Keys are numbered here
-- (OVERRIDING SYSTEM VALUE) and the identity sequences moved past them.

SET LOCAL session_replication_role = replica;

-- Secondary indexes off for the load (see pg_temp.mq_drop_indexes), and the
-- insert triggers that keep a transition table (household_search and
-- household_cell: they do not fire in replica mode, 70_memo.sql and
-- 80_visits.sql fill those tables; people_count, counted at the end; see
-- pg_temp.mq_drop_triggers).
SELECT pg_temp.mq_drop_indexes('{household,resident,party_member,villager_representative,household_link}');
SELECT pg_temp.mq_drop_triggers('{household,resident,party_member,household_link}', '{}');

-- Households and their composition. Per household: size 1-7 (mean ~3.3),
-- the head's age and sex, surnames, whether there is a spouse; the grid cell
-- (~100 households), the party-member group inside the cell (5-10
-- households, a size per cell between 6 and 9) and the representative group
-- (~15 households); the first resident id (rid0, the head). Cells and groups
-- are even splits of a range, so position and size come from arithmetic.
CREATE TEMP TABLE mq_hh ON COMMIT DROP AS
WITH h AS (
	SELECT v.vidx, g.n, v.nh, v.hh_off + g.n AS hid, c.cells, (g.n - 1) * c.cells / v.nh AS c0,
	       pg_temp.mq_h('hh', v.hh_off + g.n) AS h1, pg_temp.mq_h('hh2', v.hh_off + g.n) AS h2
	  FROM mq_v v
	 CROSS JOIN LATERAL (SELECT greatest(1, round(v.nh / 100.0))::int AS cells) c
	 CROSS JOIN generate_series(1, v.nh) AS g(n)
	OFFSET 0
), cellpos AS (
	-- cell c0 (0-based) holds households ceil(c0*nh/cells) .. ceil((c0+1)*nh/cells)-1 (0-based)
	SELECT h.*, h.c0 + 1 AS cell,
	       h.n - (h.c0 * h.nh + h.cells - 1) / h.cells AS cpos,
	       ((h.c0 + 1) * h.nh + h.cells - 1) / h.cells - (h.c0 * h.nh + h.cells - 1) / h.cells AS cn
	  FROM h
), groups AS (
	SELECT c.*,
	       least(greatest(round(c.cn / (6 + 3 * pg_temp.mq_u('pm-size', c.vidx * 10000 + c.cell))),
	                      ceil(c.cn / 10.0)), floor(c.cn / 5.0))::int AS g,
	       greatest(1, round(c.cn / 15.0))::int AS gr
	  FROM cellpos c
	OFFSET 0
), rep AS (
	SELECT g.*, (g.cpos - 1) * g.g / g.cn AS pm_grp, (g.cpos - 1) * g.gr / g.cn AS rep_grp
	  FROM groups g
), comp AS (
	SELECT r.vidx, r.n, r.nh, r.hid, r.cell, r.h1, r.cpos, r.pm_grp, r.rep_grp,
	       r.cpos - (r.rep_grp * r.cn + r.gr - 1) / r.gr AS gpos,
	       ((r.rep_grp + 1) * r.cn + r.gr - 1) / r.gr - (r.rep_grp * r.cn + r.gr - 1) / r.gr AS gsize,
	       CASE WHEN pg_temp.mq_bits(r.h1, 0, 16) < 6554 THEN 1
	            WHEN pg_temp.mq_bits(r.h1, 0, 16) < 20972 THEN 2
	            WHEN pg_temp.mq_bits(r.h1, 0, 16) < 39322 THEN 3
	            WHEN pg_temp.mq_bits(r.h1, 0, 16) < 52429 THEN 4
	            WHEN pg_temp.mq_bits(r.h1, 0, 16) < 60293 THEN 5
	            WHEN pg_temp.mq_bits(r.h1, 0, 16) < 64225 THEN 6
	            ELSE 7 END AS size,
	       25 + pg_temp.mq_bits(r.h1, 16, 8) % 31 + pg_temp.mq_bits(r.h1, 24, 8) % 31 AS head_age,
	       pg_temp.mq_bits(r.h1, 32, 8) < 205 AS head_male,
	       pg_temp.mq_surname(r.h1 >> 40) AS surname,
	       pg_temp.mq_surname(r.h2 >> 8) AS sp_surname,
	       pg_temp.mq_bits(r.h2, 0, 6) < 59 AS spouse_wanted
	  FROM rep r
)
SELECT c.vidx, c.n, c.nh, c.hid, c.cell, c.h1, c.cpos, c.pm_grp, c.rep_grp, c.gpos, c.gsize, c.size,
       c.head_age, c.head_male, c.surname, c.sp_surname,
       c.size >= 2 AND c.spouse_wanted AS spouse,
       sum(c.size) OVER (ORDER BY c.hid) - c.size + 1 AS rid0,
       CASE WHEN c.head_male THEN c.surname WHEN c.size >= 2 AND c.spouse_wanted THEN c.sp_surname
            ELSE c.surname END AS fam,
       CASE WHEN NOT c.head_male THEN c.surname WHEN c.size >= 2 AND c.spouse_wanted THEN c.sp_surname
            ELSE c.surname END AS mother_surname
  FROM comp c;
ANALYZE mq_hh;

-- A resident's phone (hr: the resident's hash): most adults have a mobile,
-- the old less often, teenagers sometimes, children never.
CREATE FUNCTION pg_temp.mq_res_phone(hr bigint, rid bigint, age integer) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN pg_temp.mq_bits(hr, 50, 7)
                 < CASE WHEN age >= 75 THEN 70 WHEN age >= 18 THEN 119 WHEN age >= 15 THEN 38 ELSE 0 END
            THEN pg_temp.mq_mobile(pg_temp.mq_h('p', rid)) END;

INSERT INTO minqing.household (household_id, district_id, unit_id, path, household_no, address,
                               head_resident_id, phone, grid_cell)
OVERRIDING SYSTEM VALUE
SELECT hh.hid, 1, v.unit_id, v.path,
       v.code || '-' || lpad(hh.n::text, greatest(4, length(hh.n::text)), '0'),
       CASE WHEN v.kind = 'community'
            THEN v.estate || ((hh.n - 1) / 24 + 1) || '幢' || ((hh.n - 1) % 24 / 12 + 1) || '单元'
                 || ((hh.n - 1) % 12 / 2 + 1) || '0' || ((hh.n - 1) % 2 + 1) || '室'
            ELSE v.name || ((hh.n - 1) / a.per + 1) || '组' || ((hh.n - 1) % a.per + 1) || '号' END,
       hh.rid0,
       coalesce(pg_temp.mq_res_phone(pg_temp.mq_h('r', hh.rid0), hh.rid0, hh.head_age),
                CASE WHEN pg_temp.mq_bits(hh.h1, 56, 4) < 10
                     THEN pg_temp.mq_landline(pg_temp.mq_h('hh-landline', hh.hid)) END),
       '第' || hh.cell || '网格'
  FROM mq_hh hh
  JOIN mq_v v ON v.vidx = hh.vidx
 CROSS JOIN LATERAL (SELECT ceil(v.nh / greatest(1, round(v.nh / 30.0)))::int AS per) a
 ORDER BY hh.hid;

-- Residents. Slot 1 is the head, slot 2 the spouse (most households), then
-- by the head's age: a young head lives with children and parents, an older
-- one with grown children, their spouses and grandchildren. (One hash per
-- resident, hr, materialised once; its bits decide the rest.)
CREATE TEMP TABLE mq_res ON COMMIT DROP AS
WITH slot AS (
	SELECT hh.hid, hh.vidx, hh.head_age, hh.head_male, hh.spouse, hh.surname, hh.sp_surname, hh.fam,
	       hh.mother_surname, s, hh.rid0 + s - 1 AS rid, pg_temp.mq_h('r', hh.rid0 + s - 1) AS hr,
	       s - 1 - hh.spouse::int AS idx
	  FROM mq_hh hh CROSS JOIN generate_series(1, hh.size) AS s
	OFFSET 0
), rel AS (
	SELECT sl.*,
	       CASE WHEN sl.s = 1 THEN 'head'
	            WHEN sl.s = 2 AND sl.spouse THEN 'spouse'
	            WHEN sl.head_age < 45 THEN ('{child,child,parent,parent,child,child}'::text[])[sl.idx]
	            WHEN sl.head_age < 60
	            THEN ('{child,child_in_law,grandchild,parent,grandchild,grandchild}'::text[])[sl.idx]
	            ELSE ('{child,child_in_law,grandchild,grandchild,child,grandchild}'::text[])[sl.idx]
	       END AS relation,
	       pg_temp.mq_bits(sl.hr, 23, 8) AS off
	  FROM slot sl
), person AS (
	SELECT r.rid, r.hid, r.vidx, r.relation, r.hr,
	       CASE r.relation
	            WHEN 'head' THEN r.head_age
	            WHEN 'spouse' THEN greatest(20, CASE WHEN r.head_male THEN r.head_age - r.off % 6
	                                                 ELSE r.head_age + r.off % 6 END)
	            WHEN 'child' THEN greatest(0, r.head_age - 22 - r.off % 14)
	            WHEN 'child_in_law' THEN greatest(20, r.head_age - 22 - r.off % 14)
	            WHEN 'grandchild' THEN greatest(0, r.head_age - 46 - r.off % 16)
	            ELSE least(99, r.head_age + 22 + r.off % 12) END AS age,
	       CASE r.relation
	            WHEN 'head' THEN r.head_male
	            WHEN 'spouse' THEN NOT r.head_male
	            WHEN 'parent' THEN CASE WHEN r.head_age < 45 THEN r.idx = 3
	                                    ELSE pg_temp.mq_bits(r.hr, 22, 4) < 5 END
	            ELSE pg_temp.mq_bits(r.hr, 22, 1) = 1 END AS male,
	       CASE r.relation
	            WHEN 'head' THEN r.surname
	            WHEN 'spouse' THEN r.sp_surname
	            WHEN 'child_in_law' THEN NULL
	            WHEN 'parent' THEN CASE WHEN r.head_age < 45 AND r.idx = 3 THEN r.surname END
	            ELSE CASE WHEN pg_temp.mq_bits(r.hr, 57, 6) < 59 THEN r.fam ELSE r.mother_surname END
	       END AS surname
	  FROM rel r
	OFFSET 0
), named AS (
	SELECT p.rid, p.hid, p.vidx, p.relation, p.male,
	       pg_temp.mq_name(coalesce(p.surname, pg_temp.mq_surname(p.hr >> 40)), p.male, p.age < 40, p.hr)
	         AS name,
	       (date '2024-12-31' - make_interval(years => p.age))::date - pg_temp.mq_bits(p.hr, 31, 9) % 365
	         AS birth_date,
	       pg_temp.mq_res_phone(p.hr, p.rid, p.age) AS phone
	  FROM person p
)
SELECT n.*, to_char(n.birth_date, 'YYYYMMDD')::int AS bd FROM named n;
ANALYZE mq_res;

-- ID numbers: region, birth date, a sequence unique per (date, sex) whose
-- last digit is odd for men, and the check character. Longwan (330303)
-- first; only past 500 people of one sex born on one day (far beyond scale
-- 10) do other Wenzhou codes take over. Narrow rows, so the sort stays in
-- memory.
CREATE TEMP TABLE mq_idcard ON COMMIT DROP AS
SELECT y.rid, pg_temp.mq_id(y.region, y.bd, y.seq) AS id_card
  FROM (SELECT x.rid, x.bd,
               ('{330303,330302,330304,330381,330382,330305,330324,330326,330327,330328,330329,330383}'::int[])
                 [x.k / 500 + 1] AS region,
               ((pg_temp.mq_bits(pg_temp.mq_h('id-seq', x.bd), 0, 16) + x.k * 173) % 500 * 2
                + x.male::int)::int AS seq
          FROM (SELECT rid, bd, male, row_number() OVER (PARTITION BY bd, male ORDER BY rid) - 1 AS k
                  FROM mq_res) x
        OFFSET 0) y;
ANALYZE mq_idcard;

-- (mq_res was written in resident order, which the hash join keeps; the
-- ids are explicit, so the order only decides the physical layout.)
INSERT INTO minqing.resident (resident_id, district_id, household_id, path, name, gender, birth_date,
                              relation, phone, id_card)
OVERRIDING SYSTEM VALUE
SELECT r.rid, 1, r.hid, v.path, r.name, CASE WHEN r.male THEN 'M' ELSE 'F' END, r.birth_date,
       r.relation::minqing.relation, r.phone, i.id_card
  FROM mq_res r
  JOIN mq_idcard i ON i.rid = r.rid
  JOIN mq_v v ON v.vidx = r.vidx;

-- Party members: one per party-member group, the head or the spouse of one
-- of the group's households; branch of the village.
CREATE TEMP TABLE mq_pm ON COMMIT DROP AS
SELECT DISTINCT ON (hh.vidx, hh.cell, hh.pm_grp)
       hh.vidx, hh.cell, hh.pm_grp, hh.hid AS pm_hid,
       hh.rid0 + CASE WHEN hh.spouse AND pg_temp.mq_bits(pg_temp.mq_h('pm-who', hh.hid), 0, 4) < 4 THEN 1
                      ELSE 0 END AS pm_rid
  FROM mq_hh hh
 ORDER BY hh.vidx, hh.cell, hh.pm_grp, pg_temp.mq_h('pm', hh.hid), hh.hid;
ANALYZE mq_pm;

INSERT INTO minqing.party_member (resident_id, district_id, path, branch, joined_on)
SELECT p.pm_rid, 1, v.path, v.name || '党支部',
       least(date '2024-07-01',
             (r.birth_date + make_interval(years => 19 + pg_temp.mq_bits(pg_temp.mq_h('pm-join', p.pm_rid), 0, 5)))::date
             + pg_temp.mq_bits(pg_temp.mq_h('pm-join', p.pm_rid), 8, 9) % 365)
  FROM mq_pm p
  JOIN mq_v v ON v.vidx = p.vidx
  JOIN mq_res r ON r.rid = p.pm_rid
 ORDER BY p.pm_rid;

-- Villager representatives: one per ~15 households, the head of a household
-- of the group that has no party member in it; each looks after 5-10
-- households of the group, starting with their own.
CREATE TEMP TABLE mq_rep ON COMMIT DROP AS
WITH pick AS (
	SELECT DISTINCT ON (hh.vidx, hh.cell, hh.rep_grp)
	       hh.vidx, hh.cell, hh.rep_grp, hh.rid0 AS rep_rid, hh.gpos AS rep_gpos,
	       least(hh.gsize, 5 + pg_temp.mq_bits(pg_temp.mq_h('rep-n', hh.hid), 0, 16) % 6) AS nlink
	  FROM mq_hh hh
	 WHERE NOT EXISTS (SELECT 1 FROM mq_pm p WHERE p.pm_hid = hh.hid)
	 ORDER BY hh.vidx, hh.cell, hh.rep_grp, pg_temp.mq_h('rep', hh.hid), hh.hid
)
SELECT hh.hid, p.rep_rid, hh.vidx
  FROM mq_hh hh
  JOIN pick p ON p.vidx = hh.vidx AND p.cell = hh.cell AND p.rep_grp = hh.rep_grp
 WHERE (hh.gpos - p.rep_gpos + hh.gsize) % hh.gsize < p.nlink;
ANALYZE mq_rep;

INSERT INTO minqing.villager_representative (resident_id, district_id, path, term, since)
SELECT DISTINCT r.rep_rid, 1, v.path, '2021-2026',
       date '2021-01-05' + pg_temp.mq_bits(pg_temp.mq_h('rep-since', r.vidx), 0, 8) % 60
  FROM mq_rep r JOIN mq_v v ON v.vidx = r.vidx
 ORDER BY 1;

INSERT INTO minqing.household_link (household_id, contact_resident_id, contact_kind, district_id, path, since)
SELECT l.hid, l.rid, l.kind::minqing.contact_kind, 1, v.path,
       date '2021-03-01' + pg_temp.mq_bits(pg_temp.mq_h('link-since-' || l.kind, l.hid), 0, 16) % 1000
  FROM (SELECT hh.hid, p.pm_rid AS rid, 'party_member' AS kind, hh.vidx
          FROM mq_hh hh JOIN mq_pm p ON p.vidx = hh.vidx AND p.cell = hh.cell AND p.pm_grp = hh.pm_grp
        UNION ALL
        SELECT r.hid, r.rep_rid, 'representative', r.vidx FROM mq_rep r) l
  JOIN mq_v v ON v.vidx = l.vidx
 ORDER BY l.hid, l.kind, l.rid;

SET LOCAL session_replication_role = origin;

SELECT pg_temp.mq_rebuild_indexes();
SELECT pg_temp.mq_restore_triggers();
SELECT pg_temp.mq_analyse('{household,resident,party_member,villager_representative,household_link}');
-- The contacts' households, which the triggers did not keep. (The
-- jurisdiction overview's counts are made once, after the grid cells:
-- 80_visits.sql.)
SELECT minqing.contact_count_rebuild();

-- The numbered keys: move the identity sequences past them.
SELECT setval(pg_get_serial_sequence('minqing.household', 'household_id'),
              (SELECT max(household_id) FROM minqing.household));
SELECT setval(pg_get_serial_sequence('minqing.resident', 'resident_id'),
              (SELECT max(resident_id) FROM minqing.resident));

-- One audit row for the whole load (the bulk bypassed the row triggers).
INSERT INTO minqing.audit_log (district_id, table_name, row_id, op, path, before, after)
SELECT 1, 'demo-data',
       'scale=' || current_setting('minqing_demo.scale') || ' seed=' || current_setting('minqing_demo.seed'),
       'IMPORT', u.path, NULL,
       jsonb_build_object(
         'scale', current_setting('minqing_demo.scale')::numeric,
         'seed', current_setting('minqing_demo.seed')::bigint,
         'org_units', (SELECT count(*) FROM minqing.org_unit),
         'villages', (SELECT count(*) FROM minqing.org_unit WHERE kind IN ('village', 'community')),
         'stations', (SELECT count(*) FROM minqing.station),
         'staff', (SELECT count(*) FROM minqing.staff),
         'households', (SELECT count(*) FROM minqing.household),
         'residents', (SELECT count(*) FROM minqing.resident),
         'party_members', (SELECT count(*) FROM minqing.party_member),
         'villager_representatives', (SELECT count(*) FROM minqing.villager_representative),
         'household_links', (SELECT count(*) FROM minqing.household_link))
  FROM minqing.org_unit u WHERE u.code = 'LW';

-- Leave nothing behind (the temp tables go at commit).
DROP FUNCTION pg_temp.mq_res_phone(bigint, bigint, integer);
DROP FUNCTION pg_temp.mq_id(integer, integer, integer);
DROP FUNCTION pg_temp.mq_name(text, boolean, boolean, bigint);
DROP FUNCTION pg_temp.mq_given(boolean, boolean, bigint);
DROP FUNCTION pg_temp.mq_road(bigint);
DROP FUNCTION pg_temp.mq_estate(bigint);
DROP FUNCTION pg_temp.mq_landline(bigint);
DROP FUNCTION pg_temp.mq_u(text, bigint);
DROP FUNCTION pg_temp.mq_bits(bigint, integer, integer);
