using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace OneStopWindow.Api.Tests.Support;

/// <summary>
/// The whole service on a real SQLite file with a real Hangfire server over the real SQLite job storage.
/// One host per test run: Hangfire's global configuration does not survive two hosts in one process.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("osw-tests-").FullName;
    public string DatabasePath => Path.Combine(Folder, "app.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Jobs:SqlitePath", Path.Combine(Folder, "hangfire.db"));
        builder.UseSetting("Jobs:WorkerCount", "2");
    }

    /// <summary>Reads the application database directly, to assert what is (or is not) stored.</summary>
    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, sql, args) ?? throw new InvalidOperationException("no value");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiHost : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}

public static class Json
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Web)).Clone();
}

/// <summary>Waits for something that a background job makes true, with a deadline instead of a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        do
        {
            last = await probe();
            if (done(last)) return last;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {last}");
    }
}
