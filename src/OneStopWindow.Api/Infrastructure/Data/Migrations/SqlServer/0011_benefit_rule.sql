-- Benefit rules as effective-dated data (issue 16): each row is one version of a procedure's benefit.parameters,
-- in force from valid_from (inclusive) to valid_to (exclusive; NULL = open). The seed writes the first version once;
-- administrators add later ones through the API, with the legal text they rely on; a release never changes them.
-- Same number = same change as Sqlite/0011_benefit_rule.sql.
CREATE TABLE benefit_rule (
    id             UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_benefit_rule PRIMARY KEY,
    procedure_code NVARCHAR(32) NOT NULL CONSTRAINT fk_benefit_rule_procedure REFERENCES catalogue_procedure (code),
    valid_from     DATE NOT NULL,
    valid_to       DATE NULL,
    parameters     NVARCHAR(MAX) NOT NULL,
    legal_text     NVARCHAR(1000) NOT NULL,
    recorded_by    NVARCHAR(200) NOT NULL,
    recorded_at    DATETIMEOFFSET(3) NOT NULL
);
CREATE UNIQUE INDEX ux_benefit_rule_from ON benefit_rule (procedure_code, valid_from);
