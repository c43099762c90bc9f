using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>The embedded database's group commit on a real SQLite file: units share a transaction but not their fate.</summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-group-").FullName;
    private string ConnectionString => $"Data Source={Path.Combine(folder, "g.db")}";

    private async Task<Db> NewDbAsync()
    {
        await using (var setup = new SqliteConnection(ConnectionString))
        {
            await setup.OpenAsync();
            await Dapper.SqlMapper.ExecuteAsync(setup, "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT NOT NULL);");
        }
        return new Db(Options.Create(new DatabaseOptions { ConnectionString = ConnectionString }), new SqliteDialect());
    }

    private async Task<List<string>> StoredAsync()
    {
        await using var other = new SqliteConnection(ConnectionString + ";Pooling=False");   // another connection: committed rows only
        await other.OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<string>(other, "SELECT who FROM t ORDER BY id")).ToList();
    }

    [Fact]
    public async Task A_unit_that_fails_rolls_back_alone_and_a_committed_unit_is_durable_when_its_commit_returns()
    {
        var db = await NewDbAsync();
        var first = await db.BeginWriteAsync(CancellationToken.None);
        await first.ExecuteAsync("INSERT INTO t (id, who) VALUES (1, 'first')");
        var second = Task.Run(async () =>
        {
            await using var unit = await db.BeginWriteAsync(CancellationToken.None);   // waits for the first unit's turn
            await unit.ExecuteAsync("INSERT INTO t (id, who) VALUES (2, 'second')");
            await Assert.ThrowsAsync<SqliteException>(() => unit.ExecuteAsync("INSERT INTO t (id, who) VALUES (1, 'duplicate')"));
            // disposed without commit: its savepoint is rolled back, the group is committed for the first unit
        });
        // Commit only once the second unit is queued, so the group stays open for it.
        await OneStopWindow.Api.Tests.Support.Eventually.ReturnsAsync(() => Task.FromResult(db.WaitingWriters), w => w == 1,
            TimeSpan.FromSeconds(30), "the second unit to queue");
        await first.CommitAsync();
        Assert.Equal(["first"], await StoredAsync());   // committed and visible to others as soon as CommitAsync returned
        await first.DisposeAsync();
        await second;

        await using (var third = await db.BeginWriteAsync(CancellationToken.None))
        {
            await third.ExecuteAsync("INSERT INTO t (id, who) VALUES (3, 'third')");
            await third.CommitAsync();
        }
        Assert.Equal(["first", "third"], await StoredAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
