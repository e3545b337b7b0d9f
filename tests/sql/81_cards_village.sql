-- account: demo_village
-- Service cards, pairings and resident cadres as the information officer of
-- 天兴社区 (T01V01): issuing a card (the next number of the village, the
-- default contacts), a second live card refused, a reissue voiding the old
-- number (kept, with the reason) and a void; the printed card within 80
-- columns with no character cut; the list of households without a card, a
-- page at a time; another village's household refused; an activity logged
-- for the village's own pairing, another pairing refused; a contact of the
-- village's cadre; nothing of another village seen, no table written
-- directly, no pairing or cadre created.
BEGIN;
SET search_path = minqing, ext, tap, public;
SELECT plan(42);

-- A household of mine without a card; one of another village (its id read
-- through the owner's list as nobody here can, by number: T02V01-0001).
SELECT household_id AS mine, household_no AS mine_no, coalesce(member_name, '') AS d_member,
       coalesce(officer_name, '') AS d_officer FROM households_without_card(p_limit => 1) \gset
SELECT count(*) AS live0 FROM service_card WHERE voided_at IS NULL \gset

-- What I see
SELECT is((SELECT count(*) FROM service_card c JOIN org_unit u USING (unit_id) WHERE u.code <> 'T01V01'), 0::bigint,
	'only the cards of my village');
SELECT ok(:live0 > 100, 'my village has many cards in the demo');
SELECT is((SELECT count(*) FROM pairing p JOIN org_unit u USING (unit_id) WHERE u.code <> 'T01V01'), 0::bigint,
	'only the pairings of my village');
SELECT is((SELECT count(*) FROM pairing_activity a WHERE NOT a.path <@ 'LW.T01.T01V01'), 0::bigint,
	'only the activities of my village''s pairings');
SELECT is((SELECT count(*) FROM resident_cadre c WHERE NOT c.path <@ 'LW.T01.T01V01'), 0::bigint,
	'only the cadres of my village');
SELECT is((SELECT count(*) FROM cadre_contact c WHERE NOT c.path <@ 'LW.T01.T01V01'), 0::bigint,
	'only the contacts of my village''s cadres');
SELECT is((SELECT count(*) FROM pairing_help_item), 5::bigint, 'the five help items (五帮五促)');

-- The list of households without a card: mine, none with a live card, paged without gap or repeat
SELECT is((SELECT count(*) FROM households_without_card(p_limit => 500) x
            JOIN service_card c ON c.household_id = x.household_id AND c.voided_at IS NULL), 0::bigint,
	'no household of the list has a live card');
SELECT is((SELECT count(*) FROM households_without_card(p_limit => 500) WHERE unit_name <> '天兴社区'), 0::bigint,
	'only households of my village');
SELECT sort_key AS k7, household_id AS i7 FROM households_without_card(p_limit => 7) ORDER BY sort_key DESC LIMIT 1 \gset
SELECT is((SELECT array_agg(household_id ORDER BY sort_key, household_id)
             FROM households_without_card(p_after_key => :'k7', p_after_id => :i7, p_limit => 5)),
	(SELECT array_agg(household_id ORDER BY sort_key, household_id)
	   FROM (SELECT * FROM households_without_card(p_limit => 12) ORDER BY sort_key, household_id OFFSET 7) x),
	'the next page starts after the last row');
SELECT throws_ok($$SELECT * FROM minqing.households_without_card(p_unit => 'T02V01')$$, '42501', NULL,
	'another village''s list is refused');

-- Issuing
SELECT * FROM card_issue(:mine) \gset first_
SELECT matches(:'first_card_no'::text, '^T01V01-[0-9]{4}$', 'the number is the village''s code and a sequence');
SELECT is((SELECT seq FROM service_card WHERE card_id = :first_card_id),
	(SELECT max(seq) FROM service_card c JOIN org_unit u USING (unit_id) WHERE u.code = 'T01V01'),
	'the next number of the village');
SELECT is((SELECT row(coalesce(member_name, ''), coalesce(officer_name, ''), issued_by::text, issued_on)::text
             FROM service_card WHERE card_id = :first_card_id),
	row(:'d_member'::text, :'d_officer'::text, 'demo_village', current_date)::text,
	'the linked party member and the officer by default, issued by me today');
SELECT throws_ok(format('SELECT * FROM minqing.card_issue(%s)', :mine), '23505', NULL,
	'a second live card for the household is refused');
SELECT ok(:mine NOT IN (SELECT household_id FROM households_without_card(p_limit => 500)),
	'the household leaves the list of households without a card');

-- The printed card
SELECT is((SELECT count(*) FROM service_card_print(:first_card_id) WHERE text_width(line) <> 72), 0::bigint,
	'every printed line is 72 columns wide');
SELECT is((SELECT count(*) FROM service_card_print(:first_card_id, true) WHERE text_width(line) <> 72), 0::bigint,
	'in English too');
SELECT ok((SELECT line FROM service_card_print(:first_card_id) WHERE line_no = 1) ~ '^┌─+┐$'
	AND (SELECT line FROM service_card_print(:first_card_id) ORDER BY line_no DESC LIMIT 1) ~ '^└─+┘$'
	AND (SELECT bool_and(line ~ '^[│├].*[│┤]$') FROM service_card_print(:first_card_id) WHERE line_no BETWEEN 2 AND 13),
	'the frame is whole');
SELECT ok(service_card_text(:first_card_id) LIKE '%卡号：' || :'first_card_no' || '%', 'the text names the number');
SELECT is(text_fit('天兴社区天兴公寓', 7), '天兴社…', 'a text is cut at a whole character');
SELECT is(text_width(text_fit('天兴社区天兴公寓', 8)), 8, 'and padded to the width');

-- Reissue and void
SELECT row_version AS v1 FROM service_card WHERE card_id = :first_card_id \gset
SELECT throws_ok(format('SELECT * FROM minqing.card_reissue(%s, %L, %s)', :first_card_id, '遗失', :v1 + 1), '40001',
	NULL, 'a reissue of a card changed since it was read is refused');
SELECT * FROM card_reissue(:first_card_id, '户主报告卡片遗失', :v1) \gset second_
SELECT isnt(:'second_card_no'::text, :'first_card_no'::text, 'a reissue gives a new number');
SELECT is((SELECT row(voided_by::text, void_reason, replaced_by)::text FROM service_card WHERE card_id = :first_card_id),
	row('demo_village', '户主报告卡片遗失', :second_card_id)::text, 'the old number is void, kept, with the reason');
SELECT is((SELECT count(*) FROM service_card WHERE household_id = :mine AND voided_at IS NULL), 1::bigint,
	'one live card');
SELECT throws_ok(format('SELECT * FROM minqing.card_reissue(%s, %L)', :first_card_id, '再补'), '25000', NULL,
	'a void card is not reissued');
SELECT lives_ok(format('SELECT minqing.card_void(%s, %L)', :second_card_id, '搬离本村'), 'voiding a card');
SELECT ok(:mine IN (SELECT household_id FROM households_without_card(p_limit => 500)),
	'the household is listed without a card again');

-- Another village: a household past my village's (households are numbered
-- village by village), a pairing and a cadre that are not mine.
SELECT max(household_id) + 1 AS theirs FROM household \gset
SELECT throws_ok(format('SELECT * FROM minqing.card_issue(%s)', :theirs), 'P0002', NULL,
	'a card for another village''s household is refused');
SELECT min(x) AS their_pairing FROM generate_series(1, 200) x WHERE x NOT IN (SELECT pairing_id FROM pairing) \gset
SELECT min(x) AS their_cadre FROM generate_series(1, 200) x WHERE x NOT IN (SELECT cadre_id FROM resident_cadre) \gset
SELECT throws_ok(format('SELECT minqing.pairing_activity_add(%s, %L, %L)', :their_pairing, 'ideas', '座谈'), 'P0002', NULL,
	'an activity for a pairing not of my village is refused');
SELECT throws_ok(format('SELECT minqing.cadre_contact_add(%s, %L)', :their_cadre, '反映情况'), 'P0002', NULL,
	'a contact for another village''s cadre is refused');

-- My village's pairing and cadre
SELECT pairing_id AS mine_p FROM pairing LIMIT 1 \gset
SELECT cadre_id AS mine_c FROM resident_cadre LIMIT 1 \gset
SELECT ok(pairing_activity_add(:mine_p, 'hardship', '走访慰问困难户三户', p_problems_solved => 2) > 0,
	'an activity for my village''s pairing');
SELECT is((SELECT row(by_agency, item, problems_solved)::text FROM pairing_activity ORDER BY activity_id DESC LIMIT 1),
	row(false, 'hardship', 2)::text, 'logged for the village''s side');
SELECT throws_ok(format('SELECT minqing.pairing_activity_add(%s, %L, %L)', :mine_p, 'bogus', '座谈'), '22023', NULL,
	'an item outside the five is refused');
SELECT throws_ok(format('SELECT minqing.pairing_activity_add(%s, %L, %L, current_date + 1)', :mine_p, 'ideas', '座谈'),
	'23514', NULL, 'an activity on a day still to come is refused');
SELECT ok(cadre_contact_add(:mine_c, '反映村道路灯损坏') > 0, 'a contact of my village''s cadre');
SELECT is((SELECT passed_to FROM cadre_contact ORDER BY contact_id DESC LIMIT 1),
	(SELECT agency_unit_id FROM pairing WHERE pairing_id = :mine_p), 'passed on to the paired agency by default');

-- No direct writes, no pairings or cadres of my own making
SELECT throws_ok($$UPDATE minqing.service_card SET voided_at = now()$$, '42501', NULL,
	'the cards are written through the functions only');
SELECT throws_ok($$DELETE FROM minqing.pairing_activity$$, '42501', NULL, 'nor activities deleted');
SELECT throws_ok($$SELECT minqing.pairing_add('D01', 'T01V01')$$, '42501', NULL, 'an officer creates no pairing');
SELECT throws_ok($$SELECT minqing.cadre_add('T01V01', p_name => '张三')$$, '42501', NULL, 'nor a cadre');

SELECT * FROM finish();
ROLLBACK;
