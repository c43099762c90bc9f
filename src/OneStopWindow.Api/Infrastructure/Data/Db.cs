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

    /// <summary>
    /// SQLite has one writer. Writers of this process queue here instead of inside SQLite, whose busy handler sleeps
    /// and retries (1, 2, 5 … 100 ms) and so turns contention into long, unfair waits. Other processes on the same
    /// file still meet the busy timeout. SQL Server locks rows itself: no gate.
    /// </summary>
    private readonly SemaphoreSlim? writeGate = options.Value.Provider == DatabaseProvider.Sqlite ? new(1, 1) : null;

    public ISqlDialect Dialect { get; } = dialect;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Prepared = new();
    private static readonly object Marker = new();

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = options.Provider == DatabaseProvider.SqlServer
            ? new SqlConnection(options.ConnectionString)
            : new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        if (connection is SqliteConnection sqlite && !Prepared.TryGetValue(sqlite.Handle!, out _))
        {
            // Once per physical (pooled) connection: wait for another process's writer instead of failing with
            // SQLITE_BUSY, and enforce foreign keys. Both settings live as long as the connection.
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;", cancellationToken: ct));
            Prepared.AddOrUpdate(sqlite.Handle!, Marker);
        }
        return connection;
    }

    /// <summary>
    /// A write transaction. On SQLite it is BEGIN IMMEDIATE (Microsoft.Data.Sqlite's non-deferred default),
    /// so the write lock is taken at once and read-then-write sequences cannot deadlock on lock upgrade.
    /// </summary>
    public async Task<DbWrite> BeginWriteAsync(CancellationToken ct)
    {
        if (writeGate is not null && !await writeGate.WaitAsync(this.options.BusyTimeout, ct))
            throw new DatabaseBusyException("The database writer stayed busy for " + this.options.BusyTimeout.TotalSeconds + " s.");
        DbConnection? connection = null;
        try
        {
            connection = await OpenAsync(ct);
            var tx = await connection.BeginTransactionAsync(ct);
            return new DbWrite(connection, tx, writeGate, ct);
        }
        catch
        {
            if (connection is not null) await connection.DisposeAsync();
            writeGate?.Release();
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
public sealed class DbWrite(DbConnection connection, DbTransaction transaction, SemaphoreSlim? writeGate, CancellationToken ct) : IAsyncDisposable
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

    private int disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        try
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
        finally
        {
            writeGate?.Release();
        }
    }

    private CommandDefinition Command(string sql, object? args) => new(sql, args, transaction, cancellationToken: ct);
}
