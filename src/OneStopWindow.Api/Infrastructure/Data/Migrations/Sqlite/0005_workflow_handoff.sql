-- Workflow hand-off through the database: API nodes only write pending steps; worker nodes claim batches of due
-- steps with a claim token (see WorkflowPump). Same number = same change as SqlServer/0005_workflow_handoff.sql.
ALTER TABLE workflow_step ADD COLUMN claim TEXT NULL;
CREATE INDEX ix_workflow_step_claim ON workflow_step (claim);
