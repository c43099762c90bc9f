using Dapper;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>SQLite stores GUIDs, instants and dates as TEXT: they must come back exactly and sort in time order.</summary>
public sealed class TypeHandlerTests
{
    private sealed record Row
    {
        public Guid Id { get; init; }
        public DateTimeOffset At { get; init; }
        public DateOnly Day { get; init; }
        public DateTimeOffset? Maybe { get; init; }
    }

    [Fact]
    public async Task Guid_instants_and_dates_round_trip_through_a_real_SQLite_file()
    {
        TypeHandlers.Register();
        var path = Path.Combine(Path.GetTempPath(), $"osw-types-{Guid.NewGuid():N}.db");
        try
        {
            await using var c = new SqliteConnection($"Data Source={path}");
            await c.OpenAsync();
            await c.ExecuteAsync("CREATE TABLE t (id TEXT, at TEXT, day TEXT, maybe TEXT)");
            var early = new Row { Id = Guid.CreateVersion7(), At = new DateTimeOffset(2026, 2, 13, 9, 59, 0, TimeSpan.FromHours(7)), Day = new DateOnly(2026, 2, 25) };
            var late = new Row { Id = Guid.CreateVersion7(), At = new DateTimeOffset(2026, 2, 13, 3, 0, 0, TimeSpan.Zero), Day = new DateOnly(2026, 3, 1), Maybe = DateTimeOffset.UnixEpoch };
            await c.ExecuteAsync("INSERT INTO t VALUES (@Id, @At, @Day, @Maybe)", new[] { late, early });

            var rows = (await c.QueryAsync<Row>("SELECT id, at, day, maybe FROM t ORDER BY at")).ToList();

            Assert.Equal([early.Id, late.Id], rows.Select(r => r.Id));   // 02:59Z sorts before 03:00Z
            Assert.Equal(early.At, rows[0].At);
            Assert.Equal(early.Day, rows[0].Day);
            Assert.Null(rows[0].Maybe);
            Assert.Equal(DateTimeOffset.UnixEpoch, rows[1].Maybe);
            Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t WHERE id = @Id", new { late.Id }));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
