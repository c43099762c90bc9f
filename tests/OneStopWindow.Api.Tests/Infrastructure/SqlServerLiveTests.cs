using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>Runs only when ONESTOPWINDOW_TEST_SQLSERVER holds a connection string; otherwise shows as skipped with the reason.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "ONESTOPWINDOW_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"No SQL Server here: set {Variable} to a connection string (e.g. Server=localhost;Database=osw_test;User Id=sa;Password=...;TrustServerCertificate=true) to run.";
    }
}

/// <summary>The core flow on SQL Server + Hangfire.SqlServer, through the real executable.</summary>
public sealed class SqlServerLiveTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-sqlserver-").FullName;

    [SqlServerFact]
    public async Task Submission_intake_and_tracking_work_on_SQL_Server()
    {
        await using var service = await ServiceProcess.StartAsync(folder, new Dictionary<string, string>
        {
            ["Database:Provider"] = "SqlServer",
            ["Database:ConnectionString"] = Environment.GetEnvironmentVariable(SqlServerFactAttribute.Variable)!,
        });

        var key = Guid.NewGuid().ToString();
        var dossier = ADossier.Valid();
        var receipt = await dossier.SubmitAsync(service.Client, key);
        var replay = await dossier.SubmitAsync(service.Client, key);
        var routed = await ADossier.Valid().LivingIn("04789", "pre2025").SubmitAsync(service.Client);

        Assert.Equal(receipt.Code, replay.Code);
        Assert.Equal("Received", (await receipt.AfterIntakeAsync(service.Client)).GetProperty("status").GetString());
        Assert.Equal("04828", (await routed.AfterIntakeAsync(service.Client)).GetProperty("handlingWardCode").GetString());
        Assert.Equal(2, (await routed.TimelineAsync(service.Client)).GetProperty("events").GetArrayLength());
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
