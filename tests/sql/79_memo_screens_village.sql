-- account: postgres
-- The console's household memo screens (schema/functions/65_memo_screens.sql)
-- as the information officer of T01V01: a household's card as lines (its
-- members under a heading, in both languages, phones masked; its demands
-- and cases once there are some), its demands with the intake form's title,
-- the open demands of the village, what a memo revision changed; another
-- village's household is refused by every one of them. (Run as postgres
-- to pick another village's household, then as demo_village: SET SESSION
-- AUTHORIZATION, so that session_user is the officer; rolled back.)
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(17);

SELECT h.household_id AS foreign_household
  FROM minqing.household h JOIN minqing.org_unit u USING (unit_id)
 WHERE u.code <> 'T01V01' ORDER BY h.household_id LIMIT 1 \gset
SET SESSION AUTHORIZATION demo_village;
SELECT household_id AS mine FROM minqing.household_search('T01V01-0010') LIMIT 1 \gset

-- The card's lines
SELECT is((SELECT label_zh FROM household_card_lines(:mine) LIMIT 1), '家庭成员', 'the members come first, under 家庭成员');
SELECT is((SELECT count(*) FROM household_card_lines(:mine) WHERE depth = 1),
          (SELECT count(*) FROM household_members(:mine)), 'a line for each member');
SELECT ok(NOT EXISTS (SELECT 1 FROM household_card_lines(:mine) WHERE value ~ '1[3-9][0-9]{9}'),
          'no phone shows whole');
SELECT ok((SELECT bool_and(value ~ '^(户主|配偶|子女|儿媳/女婿|孙子女|父母|兄弟姐妹|其他) · ')
             FROM household_card_lines(:mine) WHERE depth = 1), 'each member with the relation in words');
SELECT ok((SELECT bool_and(value_en ~ '^(head|spouse|child|child-in-law|grandchild|parent|sibling|other) · ')
             FROM household_card_lines(:mine) WHERE depth = 1), 'and in English');

-- A demand: its title, on the card, in the village's open demands
SELECT demand_add(:mine, E'请求修缮屋顶\n雨天漏水严重，家中老人行动不便') AS demand \gset
SELECT is((SELECT title FROM household_demand_rows(:mine) WHERE demand_id = :demand), '请求修缮屋顶',
          'the intake form''s title is the demand''s first line');
SELECT is((SELECT status FROM household_demand_rows(:mine) WHERE demand_id = :demand), 'open', 'open');
SELECT ok(EXISTS (SELECT 1 FROM household_card_lines(:mine) WHERE label_zh = '群众诉求' AND value IS NULL),
          'the card has its demands under 群众诉求');
SELECT ok(EXISTS (SELECT 1 FROM household_card_lines(:mine) WHERE value LIKE '【待解决】请求修缮屋顶%'),
          'the demand shows 待解决');
SELECT ok(EXISTS (SELECT 1 FROM open_demand_rows(p_limit => 200) WHERE demand_id = :demand
                  AND title = '请求修缮屋顶'), 'the village''s open demands list it, with its title');

-- A memo revision's changes
SELECT row_version AS v FROM household_card(:mine) \gset
SELECT revision_id AS r1 FROM memo_save(:mine, '家中三口人', '屋顶漏雨', NULL, NULL, :v) \gset
SELECT row_version AS v FROM household_card(:mine) \gset
SELECT revision_id AS r2 FROM memo_save(:mine, '家中三口人', '屋顶漏雨，已报修', NULL, NULL, :v) \gset
SELECT is((SELECT string_agg(field || '=' || coalesce(before, '-') || '>' || after, ',') FROM memo_changes(:r2)),
          'difficulties=屋顶漏雨>屋顶漏雨，已报修', 'memo_changes: only the changed field, before and after');
SELECT ok((SELECT count(*) FROM memo_changes(:r1)) >= 2, 'the first revision of a memo shows what it says as new');

-- Another village's household: refused or nothing
SELECT throws_ok(format('SELECT * FROM household_card_lines(%s)', :foreign_household), 'P0002', NULL,
                 'another village''s card lines: not found');
SELECT throws_ok(format('SELECT * FROM household_demand_rows(%s)', :foreign_household), 'P0002', NULL,
                 'nor its demands');
SELECT is((SELECT count(*) FROM open_demand_rows(p_limit => 200) o
            JOIN minqing.household h USING (household_id) JOIN minqing.org_unit u USING (unit_id)
           WHERE u.code <> 'T01V01'), 0::bigint, 'the open demands are my village''s only');
SELECT throws_ok('SELECT * FROM memo_changes(-1)', 'P0002', NULL, 'an unknown revision: not found');
SELECT is(relation_label('child_in_law', false) || '/' || relation_label('nobody', true), '儿媳/女婿/nobody',
          'relation_label: the words, or the code it does not know');

RESET SESSION AUTHORIZATION;
SELECT * FROM finish();
ROLLBACK;
