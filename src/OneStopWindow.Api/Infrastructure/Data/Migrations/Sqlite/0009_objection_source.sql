-- Objections are limited per sender address and per dossier (issue 15): the address is kept only as a keyed hash,
-- never in the clear. Same number = same change as SqlServer/0009_objection_source.sql.
ALTER TABLE objection ADD COLUMN source_hash TEXT NULL;
CREATE INDEX ix_objection_source ON objection (source_hash, filed_at);
CREATE INDEX ix_objection_dossier ON objection (dossier_id, filed_at);
