-- account: demo_supervisor
-- How current a report is (数据截至, minqing.report_as_of() in
-- schema/functions/71_reports.sql) on the primary: now, no lag, not a
-- standby; the summary's own time is the same. On a hot standby the same
-- function is tested by tests/replica.sh, with a real streaming replica.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(5);

SELECT is((SELECT on_standby FROM report_as_of()), false, 'the primary is no standby');
SELECT is((SELECT lag FROM report_as_of()), interval '0', 'the primary has no lag');
SELECT is((SELECT as_of FROM report_as_of()), now(), 'the primary''s figures are as of now');
SELECT is((SELECT as_of FROM report_summary()), (SELECT as_of FROM report_as_of()),
          'the summary''s time is report_as_of()''s');
SELECT ok(NOT has_function_privilege('mq_kiosk', 'minqing.report_as_of()', 'EXECUTE'),
          'a kiosk may not ask (mq_staff only)');

SELECT * FROM finish();
ROLLBACK;
