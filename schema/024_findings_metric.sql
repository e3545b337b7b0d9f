-- 024_findings_metric.sql: the assessment's deduction for inspection
-- findings left unrectified (督查问题未整改扣分), the metric the two modules
-- meet in (docs/assessment.md, docs/inspections.md). Its facts function
-- (minqing.assessment_facts_findings) is in schema/functions/75_inspections.sql,
-- over minqing.inspection_unrectified(); the engine calls it by name.
INSERT INTO minqing.assessment_metric (metric_code, name_zh, name_en, scoring, facts_function,
                                       default_deduct, description, sort_order)
VALUES ('unrectified_findings', '督查问题未整改扣分', 'Unrectified findings', 'deduct',
        'minqing.assessment_facts_findings', 2,
        'Inspection findings past their deadline and not rectified at the cut-off: points off each.', 85)
ON CONFLICT (metric_code) DO NOTHING;
