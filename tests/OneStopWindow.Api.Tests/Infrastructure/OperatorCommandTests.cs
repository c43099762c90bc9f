using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>The operator commands of the real executable: `migrate` (the deployment's migration step) and `probe` (the image's health check).</summary>
public sealed class OperatorCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-ops-").FullName;

    private Dictionary<string, string> Settings => new()
    {
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "app.db")}",
        ["Database:MigrateOnStartup"] = "false",
        ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
    };

    [Fact]
    public async Task Migrate_prepares_an_empty_database_and_exits_and_a_node_without_start_up_migration_then_serves_it()
    {
        Assert.Equal(0, await ServiceProcess.RunCommandAsync(folder, Settings, "migrate"));
        await using (var connection = new SqliteConnection(Settings["Database:ConnectionString"]))
        {
            await connection.OpenAsync();
            Assert.Equal(typeof(Program).Assembly.GetManifestResourceNames().Count(n => n.Contains(".Migrations.Sqlite.", StringComparison.Ordinal)),
                await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM SchemaVersions"));
            Assert.True(await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM admin_unit") > 3000);
        }
        Assert.Equal(0, await ServiceProcess.RunCommandAsync(folder, Settings, "migrate"));   // again: nothing to do, still success

        await using var node = await ServiceProcess.StartAsync(folder, Settings);
        Assert.Equal("Submitted", (await ADossier.Valid().SubmitAsync(node.Client)).Json.GetProperty("status").GetString());
        Assert.Equal(0, await ServiceProcess.RunCommandAsync(folder, Settings, "probe", new Uri(node.Address, "/health/live").ToString()));
        node.KillHard();
        Assert.Equal(1, await ServiceProcess.RunCommandAsync(folder, Settings, "probe", new Uri(node.Address, "/health/live").ToString()));
        Assert.Equal(1, await ServiceProcess.RunCommandAsync(folder, Settings, "probe", "file:///etc/passwd"));
    }

    [Fact]
    public async Task Rekey_after_a_key_rotation_reseals_every_row_with_the_new_key_and_the_service_reads_them_with_it()
    {
        var settings = Settings;
        settings["Database:MigrateOnStartup"] = "true";
        Receipt receipt;
        var submission = ADossier.Valid();
        await using (var before = await ServiceProcess.StartAsync(folder, settings))
        {
            receipt = await submission.SubmitAsync(before.Client, idempotencyKey: "rekey-receipt-after-rotation");
            before.KillHard();
        }
        SqliteConnection.ClearAllPools();
        var rotated = new Dictionary<string, string>(settings)
        {
            ["PersonalData:Keys:k2027"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["PersonalData:CurrentKeyId"] = "k2027",
            // Real secrets all round: a real data key beside the public signing and hash keys would be refused as mixed.
            ["PersonalData:HashKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Auth:SigningKey"] = "a-real-signing-key-for-this-test-" + Guid.NewGuid().ToString("N"),
        };
        Assert.Equal(0, await ServiceProcess.RunCommandAsync(folder, rotated, "rekey"));
        await using (var connection = new SqliteConnection(settings["Database:ConnectionString"]))
        {
            await connection.OpenAsync();
            Assert.StartsWith("pd1.k2027.", await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT applicant_id_number FROM dossier"), StringComparison.Ordinal);
            Assert.StartsWith("pd1.k2027.", await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT form_data FROM dossier"), StringComparison.Ordinal);
            Assert.StartsWith("pd1.k2027.", await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT response_body FROM idempotency_record"), StringComparison.Ordinal);
        }
        await using var after = await ServiceProcess.StartAsync(folder, rotated);
        Assert.Equal(receipt.Code, (await receipt.StatusAsync(after.Client)).GetProperty("code").GetString());
        // The kept receipt, resealed, still answers a retry of the submission with the same code and secret.
        var retried = await submission.SubmitAsync(after.Client, idempotencyKey: "rekey-receipt-after-rotation");
        Assert.Equal((receipt.Code, receipt.Secret), (retried.Code, retried.Secret));
    }

    [Theory]
    [InlineData("Staging", null)]
    [InlineData("Production", null)]
    [InlineData("Testing", "Auth:SigningKey")]
    [InlineData("Development", "PersonalData:HashKey")]
    public async Task Public_development_secrets_start_only_in_Development_or_Testing_and_never_mixed_with_real_ones(string environment, string? realOne)
    {
        var settings = new Dictionary<string, string>(Settings) { ["ASPNETCORE_ENVIRONMENT"] = environment };
        if (realOne == "Auth:SigningKey") settings[realOne] = "a-real-signing-key-for-this-test-" + Guid.NewGuid().ToString("N");
        if (realOne == "PersonalData:HashKey") settings[realOne] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.NotEqual(0, await ServiceProcess.RunCommandAsync(folder, settings, "migrate"));
        Assert.Equal(0, await ServiceProcess.RunCommandAsync(folder, new Dictionary<string, string>(Settings) { ["ASPNETCORE_ENVIRONMENT"] = "Testing" }, "migrate"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
