-- account: postgres
-- 节假日安排 (schema/functions/79_calendar_admin.sql) as the accounts
-- concerned (SET SESSION AUTHORIZATION; rolled back): the district's
-- administrator lists the calendar by year, enters a period of next year's
-- schedule (idempotent, renamed, audited), which the working-day
-- arithmetic then follows; make-up working days on weekends only; periods
-- over 31 days, backwards, unnamed, oversized or of an unknown kind
-- refused; days removed (marked ids, a non-date id matching nothing, empty
-- and oversized batches refused); a town's administrator, a village
-- officer and a kiosk refused; another district's rows neither listed nor
-- touched; 运行状态's 工作日历 lines warn of a missing next year from
-- November on, and of a missing running year always.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(28);

-- Another district with a holiday of its own on a day this test enters for district 1.
INSERT INTO district (district_id, code, name) VALUES (98, '999998', '测试区');
INSERT INTO holiday (district_id, day, kind, name) VALUES (98, '2027-01-01', 'holiday', '另一个区的元旦');

SET SESSION AUTHORIZATION demo_admin;
SELECT is((SELECT count(*) FROM holidays_list(NULL, NULL, 500) WHERE day < '2027-01-01'),
          (SELECT count(*) FROM holiday WHERE district_id = 1 AND day < '2027-01-01'),
          'all: the district''s calendar, no other district''s');
SELECT is((SELECT min(day) || ' ' || max(day) FROM holidays_list(NULL, '2025-12-31', 500) WHERE day < '2027-01-01'),
          '2026-01-01 2026-10-10', 'keyset: after the last day of 2025');
SELECT is((SELECT array_agg(day ORDER BY day) FROM holidays_list(0, NULL, 500)),
          (SELECT array_agg(day ORDER BY day) FROM holiday WHERE district_id = 1
              AND extract(year FROM day) = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')),
          'this year: the days of the district''s running year, whichever it is');
SELECT is(holiday_set('2027-01-01', '2027-01-03', 'holiday', ' 元旦 '), 3, 'a period of three days entered');
SELECT is(holiday_set('2027-01-01', '2027-01-03', 'holiday', '元旦'), 0, 'entered again: nothing changes');
SELECT is(holiday_set('2027-01-02', NULL, 'holiday', '元旦假期'), 1, 'one day renamed');
SELECT is(holiday_set('2027-01-09', NULL, 'workday', '元旦调休上班'), 1, 'a Saturday worked instead');
SELECT is((SELECT string_agg(day_id || ' ' || weekday || ' ' || kind_name || ' ' || name, ', ' ORDER BY day)
             FROM holidays_list(NULL, '2026-12-31', 10) WHERE day < '2027-01-10'),
          '20270101 星期五 放假 元旦, 20270102 星期六 放假 元旦假期, 20270103 星期日 放假 元旦, '
          '20270109 星期六 调休上班 元旦调休上班', 'the days as the screen lists them');
SELECT is(working_day_after(1::smallint, '2026-12-31', 1), '2027-01-04',
          'the working-day arithmetic follows: the first working day after New Year''s Eve is Monday the 4th');
SELECT is(working_day_after(1::smallint, '2027-01-08', 1), '2027-01-09', 'and the make-up Saturday is worked');
SELECT throws_ok($$SELECT holiday_set('2027-01-11', NULL, 'workday', '调休')$$, '22023',
                 'a make-up working day is a Saturday or a Sunday; 2027-01-11 is neither', 'a Monday cannot be made up');
SELECT throws_ok($$SELECT holiday_set('2027-02-01', '2027-03-05', 'holiday', '太长')$$, '22023',
                 'a period of the calendar is at most 31 days, not 33', 'a period over 31 days');
SELECT throws_ok($$SELECT holiday_set('2027-02-10', '2027-02-01', 'holiday', '倒序')$$, '22023', NULL,
                 'a period that ends before it begins');
SELECT throws_ok($$SELECT holiday_set('2027-02-10', NULL, 'holiday', '  ')$$, '23502', NULL, 'a day without a name');
SELECT throws_ok($$SELECT holiday_set('2027-02-10', NULL, 'holiday', repeat('节', 51))$$, '22001', NULL,
                 'a name over 50 characters');
SELECT throws_ok($$SELECT holiday_set('2027-02-10', NULL, 'vacation', '假')$$, '22023', NULL, 'an unknown kind');
SELECT is((SELECT removed || '/' || skipped FROM holiday_remove(ARRAY[20270103, 20270109, 20270110, 20270230])),
          '2/2', 'two days removed; a day not in the calendar and an id that is no date skipped');
SELECT throws_ok($$SELECT * FROM holiday_remove('{}')$$, '22023', NULL, 'an empty removal is refused');
SELECT throws_ok($$SELECT * FROM holiday_remove(ARRAY(SELECT generate_series(1, 401)))$$, '54000', NULL,
                 'more than 400 days at once are refused');
RESET SESSION AUTHORIZATION;

SELECT is((SELECT name FROM holiday WHERE district_id = 98 AND day = '2027-01-01'), '另一个区的元旦',
          'another district''s day of the same date untouched');
SELECT ok((SELECT count(*) FROM audit_log WHERE table_name = 'holiday' AND actor = 'demo_admin') >= 4,
          'every change audited under the administrator''s name');

SET SESSION AUTHORIZATION demo_town_admin;
SELECT throws_ok($$SELECT holiday_set('2027-02-10', NULL, 'holiday', '镇里放假')$$, '42501',
                 'only the administrator of the district may change its work calendar',
                 'a town''s administrator may not change the calendar');
SELECT throws_ok($$SELECT * FROM holiday_remove(ARRAY[20270101])$$, '42501', NULL, 'nor remove a day');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION demo_village;
SELECT throws_ok($$SELECT holiday_set('2027-02-10', NULL, 'holiday', '村里放假')$$, '42501', NULL,
                 'a village officer may not call it');
RESET SESSION AUTHORIZATION;

-- 运行状态's lines on given days (next year: 2027 has two days now).
DELETE FROM holiday WHERE district_id = 1 AND day >= '2027-01-01';
SELECT is((SELECT string_agg(label_zh || '=' || coalesce(value, ''), ' | ' ORDER BY depth, label_zh)
             FROM ops_calendar_lines(1::smallint, '2026-06-15')),
          '工作日历= | 2026 年节假日=33 天（最后一天 2026-10-07） | 2027 年节假日=尚未录入（国务院通常在当年秋季公布）',
          'in June next year''s schedule is not expected yet');
SELECT ok((SELECT value FROM ops_calendar_lines(1::smallint, '2026-11-02') WHERE label_zh = '2027 年节假日')
          LIKE '尚未录入：办理时限和预警不会避开节假日%', 'from November on its absence is a warning');
SELECT ok((SELECT value FROM ops_calendar_lines(1::smallint, '2027-01-01') WHERE label_zh = '2027 年节假日')
          LIKE '尚未录入：%', 'and a running year without holidays always');
SET SESSION AUTHORIZATION demo_admin;
SELECT ok((SELECT count(*) FROM ops_status_lines() WHERE label_zh = '工作日历' AND depth = 0) = 1,
          '运行状态 has the section');
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
