namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <summary>Updates two actions share: setting the handling officer (claim, assign) and closing a dossier (return, withdraw).</summary>
public static class ActionStatements
{
    internal static class Sql
    {
        public const string SetOfficer = """
            UPDATE dossier SET status = @Status, assigned_officer = @Officer, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string Complete = """
            UPDATE dossier SET status = @Status, completed_at = @Now, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
