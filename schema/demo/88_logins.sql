-- Demo district: the days each handler logged in over the past year (定期登录,
-- an item of the assessment: docs/assessment.md, staff_login_day): on each
-- working day of the district's calendar (holidays not, make-up days yes),
-- with a rate of the handler's own between 60 and 100 %, the first login
-- between 08:00 and 09:59; picked by the seed's hash (pg_temp.mq_h),
-- set-based, without triggers (rows valid by construction). (The calendar
-- is asked once per district and day, not once per handler.)

SET LOCAL session_replication_role = replica;

INSERT INTO minqing.staff_login_day (staff_id, day, district_id, path, first_at)
SELECT s.staff_id, d.day, s.district_id, s.path,
       (d.day + time '08:00' + make_interval(mins => (abs(pg_temp.mq_h('login-at:' || s.login, d.n)) % 120)::integer))
       AT TIME ZONE d.time_zone
  FROM minqing.staff s
  JOIN (SELECT x.district_id, g::date AS day, row_number() OVER (PARTITION BY x.district_id ORDER BY g) AS n,
               (SELECT c.time_zone FROM minqing.calendar_setting(x.district_id) c) AS time_zone
          FROM (SELECT DISTINCT y.district_id FROM minqing.staff y WHERE y.duty = 'handler' AND y.active) x
         CROSS JOIN generate_series(current_date - 365, current_date - 1, interval '1 day') g
         WHERE minqing.is_working_day(x.district_id, g::date)) d ON d.district_id = s.district_id
 WHERE s.duty = 'handler' AND s.active
   AND abs(pg_temp.mq_h('login:' || s.login, d.n)) % 100 < 60 + abs(pg_temp.mq_h('login-rate:' || s.login, 1)) % 41;
