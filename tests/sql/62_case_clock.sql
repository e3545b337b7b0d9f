-- account: demo_supervisor
-- The case screen's time promise in every state, as the district's supervisor
-- (who sees cases in all of them): case_detail's seconds_left and overdue
-- measure the deadline against the moment the case's clock stopped; now
-- while it runs, its pause while it waits, its resolution once resolved,
-- its withdrawal.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(6);

-- (The clock stops at the resolution whether the case is resolved, reported
-- or closed, and the small demo district does not always have a case just
-- resolved and not yet reported back: one of the three is enough.)
SELECT ok((SELECT count(DISTINCT CASE WHEN status IN ('resolved', 'reported', 'closed') THEN 'resolved'
                                      ELSE status::text END)
             FROM cases WHERE status IN ('in_progress', 'waiting', 'resolved', 'reported', 'closed', 'withdrawn')) = 4,
	'I see cases running, waiting, resolved (or reported or closed) and withdrawn');

-- (the time left of each case as the clock's moment gives it)
CREATE TEMPORARY VIEW clock AS
SELECT c.case_id, c.status, c.due_at, d.seconds_left, d.overdue,
       floor(extract(epoch FROM c.due_at - CASE
             WHEN c.status IN ('resolved', 'reported', 'closed') THEN c.resolved_at
             WHEN c.status = 'waiting' THEN c.paused_at
             WHEN c.status = 'withdrawn' THEN c.closed_at
             ELSE now() END))::bigint AS want
  FROM cases c CROSS JOIN LATERAL case_detail(c.case_id) d
 WHERE c.due_at IS NOT NULL;

SELECT is((SELECT count(*) FROM clock WHERE status IN ('accepted', 'dispatched', 'in_progress')
            AND (seconds_left IS DISTINCT FROM want OR overdue IS DISTINCT FROM (want < 0))),
	0::bigint, 'a running case: the time left until its deadline from now');
SELECT is((SELECT count(*) FROM clock WHERE status = 'waiting'
            AND (seconds_left IS DISTINCT FROM want OR overdue IS DISTINCT FROM (want < 0))),
	0::bigint, 'a waiting case: the time it had left when it was paused');
SELECT ok((SELECT bool_and(k.seconds_left > floor(extract(epoch FROM k.due_at - now())))
             FROM clock k JOIN cases c USING (case_id) WHERE k.status = 'waiting'
              AND c.paused_at < now() - interval '1 hour'),
	'a waiting case''s time left does not run down while it is paused');
SELECT is((SELECT count(*) FROM clock WHERE status IN ('resolved', 'reported', 'closed')
            AND (seconds_left IS DISTINCT FROM want OR overdue IS DISTINCT FROM (want < 0))),
	0::bigint, 'a resolved, reported or closed case: its deadline against its resolution');
SELECT is((SELECT count(*) FROM clock WHERE status = 'withdrawn'
            AND (seconds_left IS DISTINCT FROM want OR overdue IS DISTINCT FROM (want < 0))),
	0::bigint, 'a withdrawn case: its deadline against its withdrawal');

SELECT * FROM finish();
ROLLBACK;
