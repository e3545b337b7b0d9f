-- account: postgres
-- The life of an assessment (schema/functions/73_assessment.sql): adjusted
-- by the district's administrator with a reason, published as a circular
-- on the bulletin board, then refused any change — through the functions,
-- and by a direct UPDATE or DELETE as the superuser and as the owner role
-- with row-level security out of the way; a correction is a new version
-- superseding it. Who may do what: a town supervisor reads the town only,
-- and may change nothing; an administrator of another district nothing.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(30);
\ir 85_assessment_fixture.inc

SELECT row_version AS kq_rv FROM assessment WHERE assessment_id = :kq_a \gset

-- Who may change it.
SET SESSION AUTHORIZATION kq_tsup;
SELECT throws_ok(format('SELECT minqing.assessment_compute(%L, now())', '2025Q1'), '42501', NULL,
                 'a supervisor may not compute');
SELECT throws_ok(format('SELECT minqing.assessment_adjust(%s, 12, %L, 5, %L)', :kq_a, 'KQT1', '试图'), '42501', NULL,
                 'a supervisor may not adjust');
SELECT throws_ok(format('SELECT minqing.assessment_publish(%s, %s)', :kq_a, :kq_rv), '42501', NULL,
                 'a supervisor may not publish');
-- A town supervisor reads the town and its villages only.
SELECT is((SELECT array_agg(unit_code) FROM assessment_ranking(:kq_a)), ARRAY['KQT1'],
          'a town supervisor''s ranking shows the town only');
SELECT is((SELECT array_agg(unit_code ORDER BY unit_code) FROM assessment_ranking(:kq_a, 'KQT1')),
          ARRAY['KQT1V1', 'KQT1V2'], 'and its villages');
SELECT is((SELECT count(*)::int FROM assessment_ranking(:kq_a, 'KQT2')), 0, 'not the other street''s villages');
SELECT is((SELECT count(*)::int FROM assessment_unit_items(:kq_a, 'KQT2V1')), 0, 'nor a village''s items there');
SELECT is((SELECT count(*)::int FROM assessment_evidence(:kq_a, 2, 'KQT2V1')), 0, 'nor the records behind them');
SELECT is((SELECT count(*)::int FROM assessment_score WHERE assessment_id = :kq_a AND path <@ 'KQ.KQT2'), 0,
          'nor, in the table, the street''s scores');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_admin;
SELECT throws_ok(format('SELECT minqing.assessment_adjust(%s, 12, %L, 5, %L)', :kq_a, 'KQT1', '外区'), 'P0002', NULL,
                 'another district''s administrator finds no such assessment');
SELECT is((SELECT count(*)::int FROM assessments() WHERE assessment_id = :kq_a), 0, 'nor sees it');
RESET SESSION AUTHORIZATION;

-- Adjusting and publishing.
SET SESSION AUTHORIZATION kq_admin;
SELECT throws_ok(format('SELECT minqing.assessment_publish(%s, %s)', :kq_a, :kq_rv), '55000', NULL,
                 'not published while a manual item has no score');
SELECT throws_ok(format('SELECT minqing.assessment_adjust(%s, 12, %L, 6, %L)', :kq_a, 'KQT1', '超出'), '23514', NULL,
                 'a score above the item''s maximum is refused');
SELECT throws_ok(format('SELECT minqing.assessment_adjust(%s, 12, %L, 4, %L)', :kq_a, 'KQT1', '　'), '23502', NULL,
                 'a blank reason is refused');
SELECT throws_ok(format('SELECT minqing.assessment_adjust(%s, 12, %L, 4, %L, %s)', :kq_a, 'KQT1', '过期', :kq_rv - 1),
                 '40001', NULL, 'a stale row version is refused');
SELECT assessment_adjust(:kq_a, 12, u.code, CASE u.code WHEN 'KQT1' THEN 4.5 ELSE 3 END, '特色工作突出') FROM
       (SELECT o.code FROM assessment_unit x JOIN org_unit o USING (unit_id) WHERE x.assessment_id = :kq_a ORDER BY o.code) u;
SELECT assessment_adjust(:kq_a, 1, 'KQT1V1', 14, '超期件经核实属群众原因') AS kq_rv \gset
RESET SESSION AUTHORIZATION;
SELECT is(row((pg_temp.kq('KQT1V1', 'ontime')).score, (pg_temp.kq('KQT1V1', 'ontime')).computed_score,
              (pg_temp.kq('KQT1V1', 'ontime')).adjusted), row(14.00::numeric, 11.25::numeric, true),
          'an adjusted score keeps the computed one beside it');
SELECT is((SELECT row(old_score, new_score, reason, author)::text FROM assessment_adjustment
            WHERE assessment_id = :kq_a AND item_no = 1),
          row(11.25::numeric(6,2), 14.00::numeric(6,2), '超期件经核实属群众原因', 'kq_admin'::name)::text,
          'the adjustment is kept: old, new, reason, author');
SELECT is((SELECT total FROM assessment_unit u JOIN org_unit o USING (unit_id) WHERE u.assessment_id = :kq_a AND o.code = 'KQT1V1'),
          (SELECT sum(score) FROM assessment_score s JOIN org_unit o USING (unit_id)
            WHERE s.assessment_id = :kq_a AND o.code = 'KQT1V1'), 'the total follows');
SET SESSION AUTHORIZATION kq_admin;
SELECT lives_ok(format('SELECT minqing.assessment_publish(%s, %s)', :kq_a, :kq_rv), 'the administrator publishes');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT n.kind::text || ' ' || n.state::text || ' ' || u.code FROM assessment a JOIN notice n USING (notice_id)
             JOIN org_unit u ON u.unit_id = n.unit_id WHERE a.assessment_id = :kq_a),
          'circular published KQ', 'its circular is on the district''s board');
SET SESSION AUTHORIZATION kq_h2;
SELECT matches((SELECT x.body FROM notices('current') n, notice(n.notice_id) x WHERE n.title LIKE '2025年第1季度考核结果通报%'),
               '1\. 考区一镇 [0-9.]+ 分\n2\. 考区二街道 [0-9.]+ 分', 'a village handler of the district reads it, with the towns'' ranking');
RESET SESSION AUTHORIZATION;

-- Published: no change, whoever asks.
SET SESSION AUTHORIZATION kq_admin;
SELECT throws_ok(format('SELECT minqing.assessment_adjust(%s, 1, %L, 15, %L)', :kq_a, 'KQT1V1', '再改'), '55000', NULL,
                 'published: the function refuses an adjustment');
SELECT throws_ok(format('SELECT minqing.assessment_compute(%L, now())', '2025Q1'), '55000', NULL,
                 'published: computing the period again is refused');
RESET SESSION AUTHORIZATION;
SELECT throws_ok(format('UPDATE minqing.assessment_score SET score = 15 WHERE assessment_id = %s', :kq_a), '55000', NULL,
                 'published: the superuser''s UPDATE of a score is refused');
SELECT throws_ok(format('DELETE FROM minqing.assessment_adjustment WHERE assessment_id = %s', :kq_a), '55000', NULL,
                 'published: the superuser''s DELETE of its adjustments is refused');
ALTER TABLE assessment NO FORCE ROW LEVEL SECURITY;
ALTER TABLE assessment_score NO FORCE ROW LEVEL SECURITY;
SET LOCAL ROLE mq_owner;
SELECT throws_ok(format('UPDATE minqing.assessment SET cutoff_at = cutoff_at WHERE assessment_id = %s', :kq_a), '55000',
                 NULL, 'published: the owner''s UPDATE of the assessment is refused');
SELECT throws_ok(format('UPDATE minqing.assessment_score SET explanation = %L WHERE assessment_id = %s', 'x', :kq_a),
                 '55000', NULL, 'published: the owner''s UPDATE of a score is refused');
RESET ROLE;

-- A correction: a new version superseding it.
SET SESSION AUTHORIZATION kq_admin;
SELECT assessment_new_version(:kq_a) AS kq_b \gset
SELECT throws_ok(format('SELECT minqing.assessment_new_version(%s)', :kq_a), '55000', NULL,
                 'only the latest published version is corrected');
SELECT assessment_adjust(:kq_b, 1, 'KQT1V1', 13, '更正：复核后调整') AS kq_rv_b \gset
RESET SESSION AUTHORIZATION;
SELECT is((SELECT row(version, supersedes, status)::text FROM assessment WHERE assessment_id = :kq_b),
          row(2, :kq_a, 'draft')::text, 'the correction is version 2, a draft superseding version 1');
SELECT is(row((SELECT score FROM assessment_score WHERE assessment_id = :kq_a AND item_no = 1
                 AND unit_id = (SELECT unit_id FROM org_unit WHERE code = 'KQT1V1')),
              (pg_temp.kq('KQT1V1', 'ontime')).score), row(14.00::numeric, 13.00::numeric),
          'version 1 keeps its score; version 2 has the corrected one');

SELECT * FROM finish();
ROLLBACK;
