using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>Opens connections for the configured engine and runs Dapper commands with the request's token.</summary>
public sealed class Db(IOptions<DatabaseOptions> options, ISqlDialect dialect)
{
    private readonly DatabaseOptions options = options.Value;

    public ISqlDialect Dialect { get; } = dialect;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = options.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(options.ConnectionString)
            : new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        if (connection is SqliteConnection)
        {
            // Wait for the single writer instead of failing with SQLITE_BUSY.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;", cancellationToken: ct));
        }
        return connection;
    }

    /// <summary>
    /// A write transaction. On SQLite it is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's non-deferred default),
    /// so the write lock is taken at once and read-then-write sequences cannot deadlock on lock upgrade.
    /// </summary>
    public async Task<DbWrite> BeginWriteAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        try
        {
            var tx = await connection.BeginTransactionAsync(ct);
            return new DbWrite(connection, tx, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
    }

    public async Task<T?> SingleOrDefaultAsync<T>(string sql, object? args, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct));
    }
}

/// <summary>One connection and its transaction; disposing without commit rolls back.</summary>
public sealed class DbWrite(DbConnection connection, DbTransaction transaction, CancellationToken ct) : IAsyncDisposable
{
    public Task<int> ExecuteAsync(string sql, object? args = null) =>
        connection.ExecuteAsync(Command(sql, args));

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? args = null) =>
        connection.QuerySingleOrDefaultAsync<T>(Command(sql, args));

    public Task<T> ScalarAsync<T>(string sql, object? args = null) =>
        connection.ExecuteScalarAsync<T>(Command(sql, args))!;

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null) =>
        (await connection.QueryAsync<T>(Command(sql, args))).AsList();

    public Task CommitAsync() => transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private CommandDefinition Command(string sql, object? args) => new(sql, args, transaction, cancellationToken: ct);
}
