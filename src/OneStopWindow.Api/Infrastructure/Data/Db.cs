using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace OneStopWindow.Api.Infrastructure.Data;

/// <summary>Opens connections for the configured engine and runs Dapper commands with the request's token.</summary>
public sealed class Db
{
    private readonly DatabaseOptions options;

    public Db(IOptions<DatabaseOptions> options, ISqlDialect dialect)
    {
        this.options = options.Value;
        Dialect = dialect;
        if (this.options.Provider == DatabaseProvider.Sqlite) groupCommit = new SqliteGroupCommit(this, this.options.BusyTimeout);
    }

    /// <summary>
    /// SQLite has one writer. Writers of this process queue in process instead of inside SQLite (whose busy handler
    /// sleeps and retries) and share one transaction per group, one fsync for all (group commit). SQL Server locks
    /// rows itself and commits each transaction on its own.
    /// </summary>
    private readonly SqliteGroupCommit? groupCommit;

    public ISqlDialect Dialect { get; }

    /// <summary>Writers of this process waiting for their turn in the group commit (0 on SQL Server).</summary>
    internal int WaitingWriters => groupCommit?.Waiting ?? 0;

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
    /// A write transaction. On SQL Server, an ordinary transaction. On SQLite, a savepoint in the process's current
    /// group transaction (BEGIN IMMEDIATE, see <see cref="SqliteGroupCommit"/>): its <see cref="DbWrite.CommitAsync"/>
    /// returns once the group is durably committed, so callers keep the usual "committed when CommitAsync returns".
    /// </summary>
    public async Task<DbWrite> BeginWriteAsync(CancellationToken ct)
    {
        if (groupCommit is not null) return await groupCommit.BeginAsync(ct);
        var connection = await OpenAsync(ct);
        try
        {
            return new DbWrite(connection, await connection.BeginTransactionAsync(ct), null, ct);
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

/// <summary>
/// One unit of work: a transaction (SQL Server) or a savepoint in the group transaction (SQLite, <paramref name="leave"/>
/// set). Disposing without commit rolls back exactly this unit.
/// </summary>
public sealed class DbWrite(DbConnection connection, DbTransaction transaction, Func<bool, Task>? leave, CancellationToken ct) : IAsyncDisposable
{
    public Task<int> ExecuteAsync(string sql, object? args = null) =>
        connection.ExecuteAsync(Command(sql, args));

    public Task<T?> SingleOrDefaultAsync<T>(string sql, object? args = null) =>
        connection.QuerySingleOrDefaultAsync<T>(Command(sql, args));

    public Task<T> ScalarAsync<T>(string sql, object? args = null) =>
        connection.ExecuteScalarAsync<T>(Command(sql, args))!;

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null) =>
        (await connection.QueryAsync<T>(Command(sql, args))).AsList();

    private int finished;

    public async Task CommitAsync()
    {
        if (Interlocked.Exchange(ref finished, 1) == 1) throw new InvalidOperationException("This unit of work is already finished.");
        if (leave is not null)
        {
            await leave(true);
            return;
        }
        await transaction.CommitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        var open = Interlocked.Exchange(ref finished, 1) == 0;
        if (leave is not null)
        {
            if (open) await leave(false);
            return;
        }
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private CommandDefinition Command(string sql, object? args) => new(sql, args, transaction, cancellationToken: ct);
}
