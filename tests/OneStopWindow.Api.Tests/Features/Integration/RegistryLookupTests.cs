using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Registries;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Integration;

/// <summary>Intake consults the population registry and the poverty list through their gateways (a real local server).</summary>
[Collection(ApiHost.Name)]
public sealed class RegistryLookupTests(ApiFactory api)
{
    private const string Name = "Nguyễn Thị Lan";   // the example dossier's applicant
    private const string Born = "1950-03-15";

    private async Task<JsonElement> CheckAsync(Receipt receipt, string registry, Func<JsonElement, bool> done, string what, int seconds = 30)
    {
        using var officer = api.As("provincial-officer");
        var dossier = await Eventually.ReturnsAsync(() => officer.GetFromJsonAsync<JsonElement>($"/api/v1/dossiers/{receipt.Code}"),
            d => d.GetProperty("registryChecks").EnumerateArray().Any(c => c.GetProperty("registry").GetString() == registry && done(c)),
            TimeSpan.FromSeconds(seconds), what);
        return dossier.GetProperty("registryChecks").EnumerateArray().First(c => c.GetProperty("registry").GetString() == registry);
    }

    private static bool Is(JsonElement check, string result) => check.GetProperty("result").GetString() == result;

    [Fact]
    public async Task A_matching_citizen_is_verified_with_source_and_time_on_the_dossier_and_timeline()
    {
        var id = ADossier.UniqueIdNumber();
        api.Registry.Script("population:" + id, RegistryStub.Citizen(Name, Born));
        var receipt = await ADossier.Valid().ForPerson(id).SubmitAsync(api.CreateClient());

        var check = await CheckAsync(receipt, "population", c => Is(c, "verified"), "verification");
        Assert.Contains("127.0.0.1", check.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, check.GetProperty("attempts").GetInt32());
        Assert.Contains("RegistryChecked", await receipt.AllEventKindsAsync(api.As("provincial-officer")));
        // Only the identity number travels to the gateway, never the name; requests keep to the published contract.
        Assert.All(api.Registry.CallsFor(id), h => Assert.DoesNotContain("Lan", h.Body, StringComparison.Ordinal));
        await CheckAsync(receipt, "poverty-households", c => Is(c, "not-listed"), "the list lookup");
        foreach (var call in api.Registry.CallsFor(id))
            Assert.Empty(Contracts.Check("registry-gateway.openapi.json",
                call.Path.EndsWith("citizens/lookup", StringComparison.Ordinal) ? "CitizenLookupRequest" : "HouseholdLookupRequest",
                JsonDocument.Parse(call.Body).RootElement));
        Assert.Equal(2, api.Registry.CallsFor(id).Count);
    }

    [Fact]
    public async Task A_different_birth_date_is_a_mismatch_naming_the_field()
    {
        var id = ADossier.UniqueIdNumber();
        api.Registry.Script("population:" + id, RegistryStub.Citizen(Name, "1951-03-15"));
        var receipt = await ADossier.Valid().ForPerson(id).SubmitAsync(api.CreateClient());
        var check = await CheckAsync(receipt, "population", c => Is(c, "mismatch"), "mismatch");
        Assert.Equal(["dateOfBirth"], check.GetProperty("details").GetProperty("differingFields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Errors_and_a_timeout_are_retried_by_the_pipeline_until_the_registry_answers()
    {
        var id = ADossier.UniqueIdNumber();
        api.Registry.Script("population:" + id, RegistryStub.Citizen(Name, Born),
            RegistryStub.Status(500), RegistryStub.Status(503), RegistryStub.Hang(TimeSpan.FromSeconds(60)));
        var receipt = await ADossier.Valid().ForPerson(id).SubmitAsync(api.CreateClient());
        var check = await CheckAsync(receipt, "population", c => Is(c, "verified"), "verification after retries");
        Assert.Equal(1, check.GetProperty("attempts").GetInt32());   // one job run: the retries happened inside its pipeline
        Assert.Equal(4, api.Registry.CallsFor(id).Count(h => h.Path.StartsWith("/population", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unreachable_registry_does_not_block_the_dossier_and_a_later_job_records_the_answer()
    {
        var id = ADossier.UniqueIdNumber();
        // One whole pipeline run fails (first call + 3 retries), then the registry is back.
        api.Registry.Script("population:" + id, RegistryStub.Citizen(Name, Born),
            RegistryStub.Status(500), RegistryStub.Status(500), RegistryStub.Status(502), RegistryStub.Status(503));
        var receipt = await ADossier.Valid().ForPerson(id).SubmitAsync(api.CreateClient());

        var unavailable = await CheckAsync(receipt, "population", c => Is(c, "unavailable") || Is(c, "verified"), "the first check");
        var status = await receipt.AfterIntakeAsync(api.CreateClient());
        Assert.Equal("Received", status.GetProperty("status").GetString());   // routed to its ward regardless
        Assert.Equal("unavailable", unavailable.GetProperty("result").GetString());

        var verified = await CheckAsync(receipt, "population", c => Is(c, "verified"), "the retry to verify");
        Assert.Equal(2, verified.GetProperty("attempts").GetInt32());
        // One timeline entry per registry (population, and the poverty list this BTXH-01 form calls for), none for the failed try.
        await CheckAsync(receipt, "poverty-households", c => Is(c, "not-listed"), "the list lookup");
        Assert.Equal(2, (await receipt.AllEventKindsAsync(api.As("provincial-officer"))).Count(k => k == "RegistryChecked"));
    }

    [Fact]
    public async Task The_poverty_list_confirms_or_contradicts_the_household_status_the_form_claims()
    {
        var listedPoor = ADossier.UniqueIdNumber();
        var listedNearPoor = ADossier.UniqueIdNumber();
        api.Registry.Script("poverty:" + listedPoor, RegistryStub.Household("poor", 2026));
        api.Registry.Script("poverty:" + listedNearPoor, RegistryStub.Household("near-poor", 2026));
        var confirmed = await ADossier.Valid().ForPerson(listedPoor).SubmitAsync(api.CreateClient());   // BTXH-01 "elderly-poor-no-supporter"
        var contradicted = await ADossier.Valid().ForPerson(listedNearPoor).SubmitAsync(api.CreateClient());
        var unlisted = await ADossier.Valid().SubmitAsync(api.CreateClient());

        await CheckAsync(confirmed, "poverty-households", c => Is(c, "listed"), "the list lookup");
        await CheckAsync(contradicted, "poverty-households", c => Is(c, "listed"), "the list lookup");
        await CheckAsync(unlisted, "poverty-households", c => Is(c, "not-listed"), "the list lookup");
        using var officer = api.As("provincial-officer");
        async Task<JsonElement> HintAsync(Receipt r) => (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/dossiers/{r.Code}")).GetProperty("eligibilityHint");
        var hint = await HintAsync(confirmed);
        Assert.Equal("poor", hint.GetProperty("claimedHouseholdStatus").GetString());
        Assert.Equal("confirmed", hint.GetProperty("assessment").GetString());
        Assert.Equal("contradicted", (await HintAsync(contradicted)).GetProperty("assessment").GetString());
        Assert.Equal("contradicted", (await HintAsync(unlisted)).GetProperty("assessment").GetString());

        // Holders of the tracking secret see neither the checks nor the hint.
        var masked = await confirmed.StatusAsync(api.CreateClient());
        Assert.Equal(JsonValueKind.Null, masked.GetProperty("registryChecks").ValueKind);
    }

    [Fact]
    public async Task A_redirect_from_the_gateway_is_not_followed_so_the_key_goes_nowhere_else()
    {
        await using var elsewhere = await LocalServer.StartAsync((_, http) => http.Response.WriteAsJsonAsync(new { fullName = Name, dateOfBirth = Born }));
        var id = ADossier.UniqueIdNumber();
        api.Registry.Script("population:" + id, RegistryStub.Redirect(new Uri(elsewhere.BaseAddress, "population/citizens/lookup")));
        var receipt = await ADossier.Valid().ForPerson(id).SubmitAsync(api.CreateClient());

        var check = await CheckAsync(receipt, "population", c => Is(c, "unavailable") || Is(c, "verified"), "the first check");
        Assert.Equal("unavailable", check.GetProperty("result").GetString());   // a 3xx is a failed call, retried later like any
        Assert.Equal(302, check.GetProperty("details").GetProperty("status").GetInt32());
        Assert.Empty(elsewhere.Snapshot());
    }

    [Fact]
    public async Task With_the_gateways_switched_off_the_check_says_so()
    {
        var options = Options.Create(new RegistryOptions());
        var pipeline = RegistryGateway.BuildPipeline(options.Value);
        using var http = new HttpClient();
        var gateway = new RegistryGateway(http, options, pipeline, pipeline);
        var population = await gateway.VerifyCitizenAsync("025150000001", Name, DateOnly.Parse(Born, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        var poverty = await gateway.LookUpHouseholdAsync("025150000001", "04795", CancellationToken.None);
        Assert.Equal("disabled", population.Result);
        Assert.Equal("disabled", poverty.Result);
        Assert.Contains("Registries:Population:BaseUrl", population.Source, StringComparison.Ordinal);
    }
}
