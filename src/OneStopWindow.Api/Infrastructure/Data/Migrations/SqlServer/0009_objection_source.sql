-- Objections are limited per sender address and per dossier (issue 15): the address is kept only as a keyed hash,
-- never in the clear. Same number = same change as Sqlite/0009_objection_source.sql (the clustered index
-- cx_objection_dossier already serves the count per dossier).
ALTER TABLE objection ADD source_hash NVARCHAR(64) NULL;
CREATE INDEX ix_objection_source ON objection (source_hash, filed_at);
