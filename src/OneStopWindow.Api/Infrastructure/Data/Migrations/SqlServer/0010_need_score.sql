-- The need score of the priority-ordered queues (Domain: Priority) is stored, written by the writes it depends on
-- (routing, ward assignment, a ward's zone recorded) instead of computed on every read. Rows start at 0; the first
-- worker start fills them (RefreshNeedScoresJob). Same number = same change as Sqlite/0010_need_score.sql.
ALTER TABLE dossier ADD need_score INT NOT NULL CONSTRAINT df_dossier_need_score DEFAULT 0;
