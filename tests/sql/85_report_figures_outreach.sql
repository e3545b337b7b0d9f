-- account: postgres
-- The outreach figures of the reports (report_outreach over the summaries
-- report_outreach_refresh() counts, schema/functions/72_report_figures.sql)
-- against counts made here over the registers, for the demo district this
-- year as the district supervisor and for the town T01 as its supervisor;
-- a change to a register shows after the next recount, not before (the
-- summaries are the job's: as_of says when); only system jobs recount.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(12);

SELECT minqing.report_outreach_refresh(now(), true);
SELECT period_from AS y0, period_to AS y1 FROM report_period_bounds('year') \gset
CREATE FUNCTION pg_temp.t(d date) RETURNS timestamptz LANGUAGE sql RETURN (d::timestamp AT TIME ZONE 'Asia/Shanghai');

-- The counts over the registers, for a path.
CREATE FUNCTION pg_temp.hand(p ltree, y0 date, y1 date) RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' ',
		(SELECT coalesce(sum(c.households), 0) FROM minqing.grid_cell c JOIN minqing.org_unit u USING (unit_id)
		  WHERE u.kind = 'village' AND c.path <@ p),
		(SELECT count(*) FROM minqing.household_cell hc JOIN minqing.org_unit u USING (unit_id)
		  WHERE u.kind = 'village' AND hc.path <@ p
		    AND hc.last_visited_on > (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '1 year'),
		(SELECT count(*) FROM minqing.visit v WHERE v.path <@ p AND v.visited_at >= pg_temp.t(y0)
		    AND v.visited_at < pg_temp.t(y1 + 1)),
		(SELECT coalesce(sum(v.persons_met), 0) FROM minqing.visit v WHERE v.path <@ p AND v.visited_at >= pg_temp.t(y0)
		    AND v.visited_at < pg_temp.t(y1 + 1)),
		(SELECT count(*) FROM minqing.service_card c WHERE c.path <@ p AND c.issued_on <= y1
		    AND (c.voided_at IS NULL OR c.voided_at >= pg_temp.t(y1 + 1))),
		(SELECT count(*) FROM minqing.volunteer v WHERE v.path <@ p AND v.active),
		(SELECT coalesce(sum(s.hours), 0) FROM minqing.activity_signup s WHERE s.path <@ p
		    AND s.attended_on BETWEEN y0 AND y1),
		(SELECT count(*) FROM minqing.activity a WHERE a.path <@ p AND a.starts_on BETWEEN y0 AND y1),
		(SELECT count(*) FROM minqing.meeting m WHERE m.path <@ p AND m.status IN ('held', 'reviewed')
		    AND m.held_at >= pg_temp.t(y0) AND m.held_at < pg_temp.t(y1 + 1)),
		(SELECT count(*) FROM minqing.meeting m WHERE m.path <@ p AND m.status = 'reviewed'
		    AND m.held_at >= pg_temp.t(y0) AND m.held_at < pg_temp.t(y1 + 1)),
		(SELECT count(*) FROM minqing.pairing x WHERE (x.path <@ p OR x.agency_path <@ p)
		    AND x.since <= y1 AND (x.until IS NULL OR x.until >= y1)),
		(SELECT count(*) FROM minqing.household h WHERE h.path <@ p AND h.active),
		(SELECT count(*) FROM minqing.household h WHERE h.path <@ p AND h.active
		    AND EXISTS (SELECT 1 FROM minqing.household_link l WHERE l.household_id = h.household_id
		                   AND l.contact_kind = 'party_member')),
		(SELECT count(*) FROM minqing.archive_section a WHERE a.path <@ p
		    AND a.saved_at < now() - make_interval(months => minqing.archive_stale_months(a.district_id))),
		(SELECT count(*) FROM minqing.household_memo m WHERE m.path <@ p
		    AND m.saved_at < now() - make_interval(months => minqing.archive_stale_months(m.district_id))))
$$;
CREATE FUNCTION pg_temp.fig(p text, period text) RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws(' ', households, visited_households, visits, persons_met, cards, volunteers, volunteer_hours,
	                 activities, meetings_held, meetings_reviewed, pairings_active, active_households,
	                 linked_households, archive_sections_stale, memos_stale)
	  FROM minqing.report_outreach(p, period) WHERE is_total
$$;
SELECT pg_temp.hand('LW', :'y0', :'y1') AS want_lw, pg_temp.hand('LW.T01', :'y0', :'y1') AS want_t01 \gset

SET SESSION AUTHORIZATION demo_supervisor;
SELECT is(pg_temp.fig(NULL, 'year'), :'want_lw',
          'the district this year: households, visited, visits, persons, cards, volunteers, hours, activities, '
          'meetings held and reviewed, pairings, households and linked, stale sections and memos, as counted');
SELECT is((SELECT visit_coverage || '/' || visit_target FROM report_outreach(NULL, 'year') WHERE is_total),
          (SELECT round(100.0 * split_part(:'want_lw', ' ', 2)::numeric / split_part(:'want_lw', ' ', 1)::numeric, 1)
                  || '/80'), 'coverage against the target');
SELECT is((SELECT array_agg(unit_code) FROM report_outreach(NULL, 'year') WHERE NOT is_total),
          (SELECT array_agg(unit_code) FROM report_units(NULL, 'year') WHERE NOT is_total), 'the same units as the case report');
SELECT is((SELECT sum(visits)::bigint FROM report_outreach(NULL, 'year') WHERE NOT is_total),
          (SELECT visits FROM report_outreach(NULL, 'year') WHERE is_total), 'the visits of the units add up to the district''s');
SELECT is(pg_temp.fig('T01', 'year'), :'want_t01', 'a town from the district');
SELECT ok((SELECT as_of FROM report_outreach(NULL, 'year') LIMIT 1) <= now(), 'as_of: when the figures were counted');
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION demo_town_supervisor;
SELECT is(pg_temp.fig(NULL, 'year'), :'want_t01', 'a town supervisor: the town');
SELECT is((SELECT count(*) FROM report_outreach('LW', 'year')), 0::bigint, 'not the district');
SELECT is((SELECT count(*) FROM report_outreach_state WHERE NOT path <@ 'LW.T01')
          + (SELECT count(*) FROM report_outreach_day WHERE NOT path <@ 'LW.T01'), 0::bigint,
          'nor the summary rows of other units');
RESET SESSION AUTHORIZATION;

-- A card voided shows after the next recount (not within five minutes
-- unless forced: the job's pace).
UPDATE service_card SET voided_at = now(), voided_by = 'postgres', void_reason = '测试作废'
 WHERE card_id = (SELECT min(card_id) FROM service_card WHERE voided_at IS NULL AND path <@ 'LW.T01');
SELECT is(minqing.report_outreach_refresh(now()), false, 'a recount within five minutes of the last is skipped');
SELECT minqing.report_outreach_refresh(now(), true);
SELECT is((SELECT cards FROM report_outreach('T01', 'year') WHERE is_total),
          split_part(:'want_t01', ' ', 5)::bigint - 1, 'after the recount the voided card is gone');

SET SESSION AUTHORIZATION demo_admin;
SELECT throws_ok($$SELECT minqing.report_outreach_refresh(now(), true)$$, '42501', NULL,
                 'an administrator does not recount (the job does)');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
