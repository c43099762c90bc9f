// The bare limit the benchmark compares the service with: the least an HTTP endpoint on this machine can do per
// submission (parse a similar JSON body, one SQLite insert in its own transaction, same WAL + synchronous=FULL
// file settings as the service) and per status read (one indexed read). No validation, no rules, no auth.
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var connectionString = new SqliteConnectionStringBuilder { DataSource = args.SkipWhile(a => a != "--db").Skip(1).First() }.ToString();

using (var setup = new SqliteConnection(connectionString))
{
    setup.Open();
    setup.Execute("""
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS submission (id TEXT NOT NULL PRIMARY KEY, code TEXT NOT NULL UNIQUE, procedure_code TEXT NOT NULL,
            applicant_name TEXT NOT NULL, form_data TEXT NOT NULL, received_at TEXT NOT NULL);
        """);
    var seed = int.Parse(args.SkipWhile(a => a != "--seed").Skip(1).FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    if (seed > 0 && setup.ExecuteScalar<long>("SELECT COUNT(*) FROM submission") == 0)
    {
        using var tx = setup.BeginTransaction();
        for (var i = 0; i < seed; i++)
            setup.Execute("INSERT INTO submission VALUES (@Id, @Code, 'BTXH-01', 'Nguyen Van A', '{}', @Now)",
                new { Id = Guid.CreateVersion7(), Code = "seed-" + i, Now = DateTimeOffset.UtcNow }, tx);
        tx.Commit();
    }
}

app.MapPost("/bare/dossiers", async (HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    var root = body.RootElement;
    var code = Guid.CreateVersion7().ToString("N");
    await Gates.Write.WaitAsync();   // one writer: queue in process rather than in SQLite's busy handler (as the service does)
    try
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("INSERT INTO submission VALUES (@Id, @Code, @Procedure, @Name, @Form, @Now)", new
        {
            Id = Guid.CreateVersion7(),
            Code = code,
            Procedure = root.GetProperty("procedureCode").GetString(),
            Name = root.GetProperty("applicant").GetProperty("fullName").GetString(),
            Form = root.GetProperty("formFields").GetRawText(),
            Now = DateTimeOffset.UtcNow,
        }, tx);
        await tx.CommitAsync();
    }
    finally
    {
        Gates.Write.Release();
    }
    return Results.Json(new { code }, statusCode: 201);
});

app.MapGet("/bare/dossiers/{code}", async (string code) =>
{
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync();
    var row = await connection.QuerySingleOrDefaultAsync<Row>("SELECT code, procedure_code AS ProcedureCode, received_at AS ReceivedAt FROM submission WHERE code = @code", new { code });
    return row is null ? Results.NotFound() : Results.Json(row);
});

app.Run();

public sealed record Row(string Code, string ProcedureCode, string ReceivedAt);

internal static class Gates
{
    public static readonly SemaphoreSlim Write = new(1, 1);
}
