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

    /// <summary>SQLite: how long a writer waits for the file (another process's writer) or for this process's writer queue
    /// before the unit of work fails as transient (and is retried, then answered 503 with Retry-After).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
