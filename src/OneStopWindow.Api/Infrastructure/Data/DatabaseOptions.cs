using System.ComponentModel.DataAnnotations;

namespace OneStopWindow.Api.Infrastructure.Data;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>Which engine holds the application data. Chosen by configuration only.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite: a file path in "Data Source=..."; SQL Server: a normal SqlClient connection string.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/onestopwindow.db";

    /// <summary>Apply migrations and seed data at start-up (the embedded default). Operators may run them separately.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
