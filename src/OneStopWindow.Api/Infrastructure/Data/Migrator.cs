using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>
/// Applies the numbered scripts of the configured engine with DbUp (one journal table, SchemaVersions).
/// Scripts live in Migrations/Sqlite and Migrations/SqlServer; the same number is the same change.
/// </summary>
public sealed class Migrator(IOptions<DatabaseOptions> options, ILogger<Migrator> logger)
{
    public void Migrate()
    {
        var o = options.Value;
        var assembly = Assembly.GetExecutingAssembly();
        UpgradeEngine engine;
        if (o.Provider == DatabaseProvider.Sqlite)
        {
            PrepareSqliteFile(o.ConnectionString);
            engine = DeployChanges.To.SqliteDatabase(o.ConnectionString)
                .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains(".Migrations.Sqlite.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();
        }
        else
        {
            engine = DeployChanges.To.SqlDatabase(o.ConnectionString)
                .WithScriptsEmbeddedInAssembly(assembly, name => name.Contains(".Migrations.SqlServer.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();
        }

        var result = engine.PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed at {result.ErrorScript?.Name}.", result.Error);
        foreach (var script in result.Scripts)
            logger.LogInformation("Applied migration {Script}", script.Name);
    }

    /// <summary>Creates the folder and switches the file to WAL once (a persistent setting; not allowed inside a transaction).</summary>
    private static void PrepareSqliteFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        command.ExecuteNonQuery();
    }
}
