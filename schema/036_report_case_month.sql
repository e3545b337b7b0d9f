-- 036_report_case_month.sql: the report figures of cases per month beside
-- those per day, so that a report reads a month as one row.
--
-- A report (统计报表) sums report_case_day over its period, the period
-- before, the same period last year and the twelve months of its trend: for
-- a district's forty units, 8,500 rows read under row-level security and
-- summed, 28 ms a call at scale 10, and the reports were the slowest screens
-- of the load test at 400 sessions (docs/operations.md, "Load").
--
-- report_case_month holds the same sums per unit, dimension, key and month
-- (the district's calendar month). report_fold() and report_rebuild() write
-- both tables from the same rows, so each month row is the sum of that
-- month's day rows. report_figures() takes a month whole where a period
-- covers all of it and the days of the months a period covers in part (a
-- period still running is compared with as many days of the one before).
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

CREATE TABLE minqing.report_case_month (
	unit_id     integer NOT NULL,
	path        ext.ltree NOT NULL,
	month       date NOT NULL CHECK (extract(day FROM month) = 1),
	dim         text NOT NULL CHECK (dim IN ('unit', 'centre', 'category', 'channel', 'level')),
	key         text NOT NULL,
	recorded    integer NOT NULL DEFAULT 0,
	withdrawn   integer NOT NULL DEFAULT 0,
	resolved    integer NOT NULL DEFAULT 0,
	on_time     integer NOT NULL DEFAULT 0,
	hours_sum   numeric NOT NULL DEFAULT 0,
	yellow      integer NOT NULL DEFAULT 0,
	orange      integer NOT NULL DEFAULT 0,
	red         integer NOT NULL DEFAULT 0,
	satisfied   integer NOT NULL DEFAULT 0,
	basic       integer NOT NULL DEFAULT 0,
	unsatisfied integer NOT NULL DEFAULT 0,
	reopened    integer NOT NULL DEFAULT 0,
	-- covering, as report_case_day's
	PRIMARY KEY (unit_id, dim, month, key) INCLUDE (path, recorded, withdrawn, resolved, on_time, hours_sum,
	                                                yellow, orange, red, satisfied, basic, unsatisfied, reopened)
);
COMMENT ON TABLE minqing.report_case_month IS
	'report_case_day summed per month (district calendar): the report figures of cases per unit, month, '
	'dimension and key. Written with report_case_day by report_fold() and report_rebuild(); docs/reports.md.';

-- Readers: staff of the jurisdiction, as report_case_day. Writers: only
-- mq_summariser, which bypasses RLS.
ALTER TABLE minqing.report_case_month ENABLE ROW LEVEL SECURITY;
ALTER TABLE minqing.report_case_month FORCE ROW LEVEL SECURITY;
CREATE POLICY report_case_month_read ON minqing.report_case_month FOR SELECT
	USING (path OPERATOR(ext.<@) (SELECT minqing.my_scope()));
GRANT SELECT ON minqing.report_case_month TO mq_staff;
GRANT SELECT, INSERT, UPDATE, DELETE ON minqing.report_case_month TO mq_summariser;

-- The months of what is there (as the superuser: every row).
RESET ROLE;
INSERT INTO minqing.report_case_month (unit_id, path, month, dim, key, recorded, withdrawn, resolved, on_time,
                                       hours_sum, yellow, orange, red, satisfied, basic, unsatisfied, reopened)
SELECT d.unit_id, max(d.path::text)::ext.ltree, date_trunc('month', d.day)::date, d.dim, d.key, sum(d.recorded),
       sum(d.withdrawn), sum(d.resolved), sum(d.on_time), sum(d.hours_sum), sum(d.yellow), sum(d.orange),
       sum(d.red), sum(d.satisfied), sum(d.basic), sum(d.unsatisfied), sum(d.reopened)
  FROM minqing.report_case_day d
 GROUP BY d.unit_id, date_trunc('month', d.day)::date, d.dim, d.key
 ORDER BY 1, 4, 3, 5;
ANALYZE minqing.report_case_month;
