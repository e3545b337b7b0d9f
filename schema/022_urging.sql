-- 022_urging.sql: 提示催办 (urging) and the district centre's daily overdue
-- report (docs/reports.md).
--
--  * the urges of a case counted and dated from an index of their own
--    (minqing.urging_list() shows times urged and the last urge per row);
--  * the time of day the overdue report goes out, a column of the
--    district's calendar setting (08:30 district time by default), set by
--    its administrator through overdue_report_time_set();
--  * the template of the digest a handler gets when several of their cases
--    are urged in one batch (case_urge_many), and the overdue report's
--    template naming the units with the most overdue cases (the default's
--    text only when nobody changed it).
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE INDEX case_event_urge_case ON minqing.case_event (case_id, at) WHERE kind = 'urge';

ALTER TABLE minqing.work_calendar_setting
	ADD COLUMN overdue_report_at time NOT NULL DEFAULT '08:30';
COMMENT ON COLUMN minqing.work_calendar_setting.overdue_report_at IS
	'When (district time) the district centre''s daily overdue report goes out (overdue_report_pass(), '
	'run by minqing-escalate); set through overdue_report_time_set().';

INSERT INTO minqing.message_template (code, body, description) VALUES
	('case_urge_digest',
	 '【民情e站】{handler}您好，您承办的{count}件事项被催办：{cases}，最早于{deadline}到期，请抓紧办理并及时反馈。',
	 'To a handler several of whose cases were urged in one batch (case_urge_many): one message for them. '
	 'Variables: handler, count, cases (the first case numbers), deadline (the earliest).');

UPDATE minqing.message_template
   SET body = '【民情e站】截至{date}，全区在办事项{open}件，超期{overdue}件（黄牌{yellow}件、橙牌{orange}件、红牌{red}件）；'
              '超期较多：{units}。详情请登录民情e站查看。',
       description = 'The district centre''s overdue report (overdue_report_pass). Variables: date, open, '
                     'overdue, yellow, orange, red, units (the units with the most overdue cases).'
 WHERE code = 'district_overdue_report' AND district_id IS NULL
   AND body = '【民情e站】截至{date}，全区在办事项{open}件，超期{overdue}件（黄牌{yellow}件、橙牌{orange}件、红牌{red}件），详情请登录民情e站查看。';

RESET ROLE;
