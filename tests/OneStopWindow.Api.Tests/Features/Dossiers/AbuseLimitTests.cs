using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OneStopWindow.Api.Tests.Features.Dossiers.Actions;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers;

/// <summary>The counter channel belongs to the counter's staff; objections are limited per dossier and per address.</summary>
[Collection(ApiHost.Name)]
public sealed class CounterChannelTests(ApiFactory api)
{
    private const string Ward = "04795";

    [Theory]
    [InlineData("counter")]
    [InlineData("postal")]
    public async Task Only_staff_of_the_receiving_ward_record_a_counter_or_postal_filing(string channel)
    {
        ADossier AtCounter(string? unit = Ward) => ADossier.Valid().With("channel", channel).With("receivingUnitCode", unit);
        async Task<HttpStatusCode> StatusAsync(HttpClient client, ADossier dossier)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/dossiers", dossier.Body);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(api.CreateClient(), AtCounter()));
        using var citizen = api.As("citizen", idNumber: ADossier.UniqueIdNumber());
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(citizen, AtCounter()));
        using var otherWard = api.As("ward-officer", "00001");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(otherWard, AtCounter()));
        var submitter = await api.RegisterClientAsync(["dossiers:submit"]);
        using var plainClient = api.WithKey(submitter.Key);
        using (var response = await plainClient.PostAsJsonAsync("/api/v1/integration/dossiers", AtCounter().With("externalReference", "QUAY-" + Guid.NewGuid().ToString("N")[..8]).Body))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        // The ward's own officer: accepted, received at their ward even when the unit is left out.
        using var officer = api.As("ward-officer", Ward);
        var receipt = await AtCounter(unit: null).SubmitAsync(officer);
        Assert.Equal(channel, receipt.Json.GetProperty("channel").GetString());
        Assert.StartsWith(Ward, receipt.Code, StringComparison.Ordinal);

        // The counter software, with its scope.
        var counterSoftware = await api.RegisterClientAsync(["dossiers:submit", "dossiers:counter"]);
        using var withScope = api.WithKey(counterSoftware.Key);
        using var accepted = await withScope.PostAsJsonAsync("/api/v1/integration/dossiers", AtCounter().With("externalReference", "QUAY-" + Guid.NewGuid().ToString("N")[..8]).Body);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }
}

/// <summary>Objection limits on the real executable, where each request has a real address.</summary>
public sealed class ObjectionLimitTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-objections-").FullName;

    [Fact]
    public async Task Objections_are_limited_per_dossier_and_per_sender_address_over_24_hours()
    {
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "app.db")}",
            ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
            ["Objections:PerDossierPerDay"] = "3",
            ["Objections:PerAddressPerDay"] = "5",
        };
        await using var service = await ServiceProcess.StartAsync(folder, settings);
        using var officer = new HttpClient { BaseAddress = service.Address };
        officer.DefaultRequestHeaders.Authorization = new("Bearer", OneStopWindow.Api.Infrastructure.Auth.TokenCommand.Mint(
            new OneStopWindow.Api.Infrastructure.Auth.AuthOptions(), "ward-officer", "04795", null, null, null, TimeSpan.FromHours(1)));
        async Task<Receipt> PostedAsync()
        {
            var receipt = await ADossier.Valid().LivingIn("04795").With("procedureCode", "BTXH-04")
                .With("formFields", JsonSerializer.SerializeToNode(LifecycleTests.ExampleForm("BTXH-04"))).SubmitAsync(service.Client);
            await receipt.AfterIntakeAsync(service.Client, TimeSpan.FromMinutes(1));
            await receipt.DoAsync(officer, "claim");
            Assert.Equal("PublicPosting", (await receipt.DoAsync(officer, "posting")).GetProperty("status").GetString());
            return receipt;
        }
        async Task<HttpResponseMessage> ObjectAsync(Receipt r) =>
            await service.Client.PostAsJsonAsync($"/api/v1/dossiers/{r.Code}/objections", new { authorName = "Tổ dân phố số 5", content = "Đề nghị xác minh lại." });

        var first = await PostedAsync();
        for (var i = 0; i < 3; i++)
            using (var accepted = await ObjectAsync(first)) Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using (var perDossier = await ObjectAsync(first))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, perDossier.StatusCode);
            Assert.True(perDossier.Headers.Contains("Retry-After"));
            Assert.EndsWith("objection-limit", (await perDossier.ReadJsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        var second = await PostedAsync();
        for (var i = 0; i < 2; i++)
            using (var accepted = await ObjectAsync(second)) Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using (var perAddress = await ObjectAsync(second))   // 5 from this address already, though the dossier has room
            Assert.Equal(HttpStatusCode.TooManyRequests, perAddress.StatusCode);

        // The address is kept only as a keyed hash.
        await using var connection = new SqliteConnection(settings["Database:ConnectionString"]);
        await connection.OpenAsync();
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM objection WHERE source_hash IS NULL OR source_hash LIKE '%127.0.0.1%'"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
