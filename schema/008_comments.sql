-- 008_comments.sql: every function a person, the console, a form or a job may
-- call says what it does (COMMENT ON), so that psql's \df+ and \dd answer a
-- newcomer; tests/sql/00_schema.sql keeps it so for the functions to come.
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

COMMENT ON FUNCTION minqing.case_accept(bigint, text) IS
	'Triage takes a received case on (received -> accepted) at the unit where it was received or one above; '
	'the clock starts under the commitment of that level. Handlers and administrators.';
COMMENT ON FUNCTION minqing.case_dispatch(bigint, text, name, boolean, minqing.warning_level, text) IS
	'Dispatch (or re-dispatch) a case to a village, town or department of its district, with a handler of '
	'that unit (the first one when none is named); the clock starts again at that unit''s level. A general '
	'case of a household gets its linked party member as proxy; a key case may start at orange or red.';
COMMENT ON FUNCTION minqing.case_start(bigint, text) IS
	'The handling unit starts a dispatched case (dispatched -> in_progress); the caller becomes its handler.';
COMMENT ON FUNCTION minqing.case_progress(bigint, text) IS
	'A progress note on an open case, by the unit that received it or the one handling it.';
COMMENT ON FUNCTION minqing.case_resolve(bigint, text, text) IS
	'The handling unit resolves a case with its result (in_progress -> resolved); past the deadline a reason '
	'is required. The result SMS to the resident is queued in the same transaction.';
COMMENT ON FUNCTION minqing.case_resolve_at_once(bigint, text) IS
	'An immediate matter settled on the spot (received -> resolved), with its result and the result SMS.';
COMMENT ON FUNCTION minqing.case_report_back(bigint, text) IS
	'The unit that received the case has told the resident the result (resolved -> reported).';
COMMENT ON FUNCTION minqing.case_close(bigint, minqing.satisfaction, text) IS
	'Close a reported case with the resident''s satisfaction; not satisfied (with a note) reopens it at the '
	'unit that handled it, the clock starting again.';
COMMENT ON FUNCTION minqing.case_return(bigint, text) IS
	'The handling unit returns a case that is not theirs to triage (dispatched | in_progress -> accepted), '
	'with the reason.';
COMMENT ON FUNCTION minqing.case_pause(bigint, text) IS
	'Stop the clock while waiting on the resident (in_progress -> waiting), with the reason.';
COMMENT ON FUNCTION minqing.case_resume(bigint, text) IS
	'Start the clock again (waiting -> in_progress): the deadline moves by the working time spent waiting.';
COMMENT ON FUNCTION minqing.case_withdraw(bigint, text) IS
	'Withdraw an open case at the resident''s request, by the unit that received it, with the reason.';
COMMENT ON FUNCTION minqing.case_request_extension(bigint, integer, text) IS
	'The handling unit asks for more working days, with the reason; decided one level above it. '
	'Returns the extension id.';
COMMENT ON FUNCTION minqing.case_decide_extension(bigint, boolean, text) IS
	'Approve (the deadline moves by the days asked; warnings of the old deadline lapse) or refuse an '
	'extension, by a handler or administrator of a unit strictly above the handling unit.';
COMMENT ON FUNCTION minqing.case_urge(bigint, text) IS
	'催办: urge an open case; an event on its timeline, and an SMS to its handler at most once a day.';
COMMENT ON FUNCTION minqing.case_lookup(text, text) IS
	'A resident looks a case up by its number and the last four digits of the phone given: the published, '
	'masked row, or nothing.';
COMMENT ON FUNCTION minqing.user_disable(name) IS
	'Disable an account (staff row inactive, login role NOLOGIN), by an administrator within their '
	'jurisdiction or the DBA; not one''s own.';
COMMENT ON FUNCTION minqing.mask_id_card(text) IS 'An ID number with the middle hidden: 330303********1234.';
COMMENT ON FUNCTION minqing.mask_phone(text) IS 'A phone number with the middle hidden: 138****1234.';
COMMENT ON FUNCTION minqing.mask_name(text) IS 'A name with all but the first character hidden: 王**.';
COMMENT ON FUNCTION minqing.like_contains(text) IS 'A LIKE pattern that matches the text literally anywhere.';
COMMENT ON FUNCTION minqing.case_search_doc(text, text, text) IS
	'The searchable text of a case: title, content and submitter, lower case.';
COMMENT ON FUNCTION minqing.text_is_blank(text) IS
	'Nothing but white space, the ideographic space U+3000 and the no-break spaces included.';
COMMENT ON FUNCTION minqing.text_has_hidden(text, boolean) IS
	'Holds a control, zero-width, byte-order or direction character (tab and newline allowed when multi-line).';
