-- 014_links_archive_io.sql: the village archive from and to CSV
-- (`minqing-admin import archive`, `minqing-admin export archive`,
-- docs/import-export.md): an import of kind 'archive' is recorded in
-- import_run like the registers. (The functions: import_archive() in
-- schema/functions/59_import.sql, archive_labels() and archive_export() in
-- 57_archive.sql.)
--
-- Applied by `minqing-admin migrate` as a superuser, in one transaction.

SET LOCAL ROLE mq_owner;
SET LOCAL search_path = minqing, ext, pg_temp;

ALTER TABLE minqing.import_run DROP CONSTRAINT import_run_kind_check;
ALTER TABLE minqing.import_run ADD CONSTRAINT import_run_kind_check
	CHECK (kind IN ('households', 'residents', 'party-members', 'links', 'archive'));

RESET ROLE;
