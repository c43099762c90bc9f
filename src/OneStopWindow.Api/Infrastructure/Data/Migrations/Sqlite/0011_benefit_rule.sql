-- Benefit rules as effective-dated data (issue 16): each row is one version of a procedure's benefit.parameters,
-- in force from valid_from (inclusive) to valid_to (exclusive; NULL = open). The seed writes the first version once;
-- administrators add later ones through the API, with the legal text they rely on; a release never changes them.
-- Same number = same change as SqlServer/0011_benefit_rule.sql.
CREATE TABLE benefit_rule (
    id             TEXT NOT NULL PRIMARY KEY,
    procedure_code TEXT NOT NULL REFERENCES catalogue_procedure (code),
    valid_from     TEXT NOT NULL,
    valid_to       TEXT NULL,
    parameters     TEXT NOT NULL,
    legal_text     TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_benefit_rule_from ON benefit_rule (procedure_code, valid_from);
