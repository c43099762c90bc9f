using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Registries;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// The periodic check of active beneficiaries against the population registry (issue 18, part 3), with the registry's
/// gateway as a real server on 127.0.0.1 (<see cref="RegistryStub"/>): a death or a move the registry knows becomes a
/// proposal, never a change; ward staff confirm it — the same death or move report as one made at the ward — or dismiss it.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class RegistryCheckTests(ApiFactory api) : IDisposable
{
    private const string OtherWard = "04828";
    private readonly HttpClient officer = api.As("ward-officer", RegisterTests.Ward, subject: "officer-registry-check");
    private readonly HttpClient chair = api.As("ward-chair", RegisterTests.Ward, subject: "chair-registry-check");
    private readonly HttpClient province = api.As("provincial-officer");
    private readonly HttpClient stranger = api.As("ward-officer", OtherWard);

    private string Today() => Appointment.DateInVietnam(api.Clock.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<(string Person, string Entitlement, Receipt Dossier)> ActiveAsync(int born = 1944)
    {
        var person = RegisterTests.IdBornIn(born);
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, new(born, 1, 20), RegisterTests.Elderly()), officer, chair);
        return (person, await RegisterTests.EntitlementOfAsync(api, r), r);
    }

    private async Task<BeneficiaryCheckOutcome> CheckAsync()
    {
        using var scope = api.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CheckBeneficiaries());
    }

    private Task<long> ProposalsAsync(string entitlement, string? kind = null) => api.ScalarAsync<long>(
        "SELECT COUNT(*) FROM entitlement_proposal WHERE entitlement_id = @Id AND (@Kind IS NULL OR kind = @Kind)", new { Id = entitlement, Kind = kind });

    private Task<string> OpenProposalAsync(string entitlement, string kind) => api.ScalarAsync<string>(
        "SELECT id FROM entitlement_proposal WHERE entitlement_id = @Id AND kind = @Kind AND status = 'open'", new { Id = entitlement, Kind = kind });

    private Task<string> StatusAsync(string entitlement) => api.ScalarAsync<string>("SELECT status FROM entitlement WHERE id = @Id", new { Id = entitlement });

    [Fact]
    public async Task A_deceased_beneficiary_is_proposed_and_confirming_ends_with_the_month_of_death_and_offers_funeral_support()
    {
        var (person, id, dossier) = await ActiveAsync();
        api.Registry.Deceased(person, Today());

        var outcome = await CheckAsync();
        Assert.False(outcome.Unavailable);
        Assert.True(outcome.Proposed >= 1);
        Assert.Equal("Active", await StatusAsync(id));   // a proposal, not a change
        var proposal = await OpenProposalAsync(id, "death");

        // The registry saw the number in the body only, with the API key; the request keeps to the published contract.
        var call = api.Registry.StatusChecks().Last(h => h.Body.Contains(person, StringComparison.Ordinal));
        Assert.DoesNotContain(person, call.Path, StringComparison.Ordinal);
        Assert.EndsWith("/population/citizens/status-check", call.Path, StringComparison.Ordinal);
        Assert.Equal(RegistryStub.Key, call.Headers["x-api-key"]);
        Assert.Empty(Contracts.Check("registry-gateway.openapi.json", "CitizenStatusCheckRequest", JsonDocument.Parse(call.Body).RootElement));
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(person, StringComparison.Ordinal));
        Assert.DoesNotContain(person, await api.ScalarAsync<string>("SELECT details FROM entitlement_proposal WHERE id = @Id", new { Id = proposal }),
            StringComparison.Ordinal);

        // The ward's staff and provincial officers see it; another ward's staff neither list nor reach it.
        using var listed = await officer.GetAsync($"/api/v1/wards/{RegisterTests.Ward}/entitlement-proposals");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var item = (await listed.ReadJsonAsync()).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == proposal);
        Assert.Equal("death", item.GetProperty("kind").GetString());
        Assert.Equal(Today(), item.GetProperty("dateOfDeath").GetString());
        Assert.Equal("Active", item.GetProperty("entitlementStatus").GetString());
        Assert.Equal("open", item.GetProperty("status").GetString());
        Assert.Contains("127.0.0.1", item.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Contains((await (await province.GetAsync($"/api/v1/wards/{RegisterTests.Ward}/entitlement-proposals")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == proposal);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/v1/wards/{RegisterTests.Ward}/entitlement-proposals")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/confirmation", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/dismissal", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{Guid.NewGuid()}/confirmation", new { })).StatusCode);
        // A death report is the ward's to record (its table row): provincial officers may read, not confirm.
        Assert.Equal(HttpStatusCode.Forbidden, (await province.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/confirmation", new { })).StatusCode);
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>("SELECT COUNT(*) FROM access_log WHERE kind = 'entitlement-proposal-list' AND subject_id = @Id",
            new { Id = id }), n => n > 0, TimeSpan.FromSeconds(30), "the access log of the proposal list");

        // Confirmed: the death report itself, through the engine — ended with the month of death, nothing owed after it.
        using var confirmed = await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/confirmation",
            new { note = "Trưởng thôn 3 xác nhận qua điện thoại." });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var body = await confirmed.ReadJsonAsync();
        Assert.Equal("confirmed", body.GetProperty("proposal").GetProperty("status").GetString());
        Assert.Equal("officer-registry-check", body.GetProperty("proposal").GetProperty("decidedBy").GetString());
        var e = body.GetProperty("entitlement");
        Assert.Equal("Ended", e.GetProperty("status").GetString());
        Assert.Equal(RegisterTests.MonthOf(api), e.GetProperty("endMonth").GetString());
        var row = e.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("DeathReported", row.GetProperty("kind").GetString());
        Assert.Equal("death", row.GetProperty("reason").GetString());
        Assert.False(row.GetProperty("owed").GetBoolean());
        Assert.Contains("Cơ sở dữ liệu quốc gia về dân cư", row.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Contains("Trưởng thôn 3", row.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("EntitlementEnded", await api.ScalarAsync<string>(
            "SELECT event_type FROM integration_event WHERE entitlement_id = @Id ORDER BY position DESC LIMIT 1", new { Id = id }));
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/confirmation", new { })).StatusCode);

        // As with a report made at the ward, the applicant is told the family may apply for funeral support.
        using var anonymous = api.CreateClient();
        await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{dossier.Code}/notifications");
            request.Headers.Add("X-Tracking-Secret", dossier.Secret);
            using var response = await anonymous.SendAsync(request);
            return (await response.ReadJsonAsync()).EnumerateArray().Select(n => n.GetProperty("kind").GetString()).ToList();
        }, kinds => kinds.Contains("funeral-support-offered"), TimeSpan.FromSeconds(30), "the funeral-support notification");

        // The next run finds the entitlement ended: nothing more is proposed.
        await CheckAsync();
        Assert.Equal(1L, await ProposalsAsync(id));
    }

    [Fact]
    public async Task A_beneficiary_living_in_another_ward_is_proposed_once_and_confirming_suspends_with_reason_moved()
    {
        var (moved, id, _) = await ActiveAsync();
        var (stays, staying, _) = await ActiveAsync(1945);
        api.Registry.LivesIn(moved, OtherWard, "2025-10-01");
        api.Registry.LivesIn(stays, RegisterTests.Ward, "2020-01-01");

        await CheckAsync();
        await CheckAsync();   // a second run proposes nothing twice
        Assert.Equal(1L, await ProposalsAsync(id, "move"));
        Assert.Equal(0L, await ProposalsAsync(staying));   // living in the ward that pays: nothing to propose
        var proposal = await OpenProposalAsync(id, "move");

        using var confirmed = await chair.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/confirmation", new { });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var e = (await confirmed.ReadJsonAsync()).GetProperty("entitlement");
        Assert.Equal("Suspended", e.GetProperty("status").GetString());
        Assert.Equal("moved", e.GetProperty("suspensionReason").GetString());
        var row = e.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Suspended", row.GetProperty("kind").GetString());
        Assert.False(row.GetProperty("owed").GetBoolean());
        Assert.Contains(OtherWard, row.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("confirmed", await api.ScalarAsync<string>("SELECT status FROM entitlement_proposal WHERE id = @Id", new { Id = proposal }));
        Assert.Equal("EntitlementSuspended", await api.ScalarAsync<string>(
            "SELECT event_type FROM integration_event WHERE entitlement_id = @Id ORDER BY position DESC LIMIT 1", new { Id = id }));
    }

    [Fact]
    public async Task A_dismissed_finding_leaves_the_entitlement_active_and_is_not_proposed_again_and_a_closed_entitlement_cannot_be_confirmed()
    {
        var (person, id, _) = await ActiveAsync();
        api.Registry.Deceased(person, Today());
        await CheckAsync();
        var proposal = await OpenProposalAsync(id, "death");

        using (var bad = await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/dismissal", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("note", out _));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await province.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/dismissal",
            new { note = "Tỉnh không quyết thay xã." })).StatusCode);
        using var dismissed = await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/dismissal",
            new { note = "Người hưởng đã đến UBND xã cùng căn cước." });
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        var p = await dismissed.ReadJsonAsync();
        Assert.Equal("dismissed", p.GetProperty("status").GetString());
        Assert.Equal("Người hưởng đã đến UBND xã cùng căn cước.", p.GetProperty("decisionNote").GetString());
        Assert.Equal("Active", await StatusAsync(id));
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/confirmation", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/dismissal", new { note = "x" })).StatusCode);
        Assert.DoesNotContain((await (await officer.GetAsync($"/api/v1/wards/{RegisterTests.Ward}/entitlement-proposals")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == proposal);

        // The registry repeating the dismissed finding is not news; a different finding is.
        await CheckAsync();
        Assert.Equal(1L, await ProposalsAsync(id));
        api.Registry.LivesIn(person, OtherWard);
        await CheckAsync();
        var move = await OpenProposalAsync(id, "move");

        // Meanwhile the ward records a death reported in person: the entitlement is no longer Active, so the proposal cannot be confirmed.
        (await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/death-report", new { dateOfDeath = Today(), note = "Trích lục khai tử số 40/TLKT." }))
            .EnsureSuccessStatusCode();
        using var late = await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{move}/confirmation", new { });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("entitlement-not-active", (await late.ReadJsonAsync()).GetProperty("type").GetString()?.Split('/')[^1]);
        Assert.Equal("open", await api.ScalarAsync<string>("SELECT status FROM entitlement_proposal WHERE id = @Id", new { Id = move }));
    }

    [Fact]
    public async Task An_unavailable_registry_leaves_no_proposal_and_the_job_succeeds_retries_and_then_waits_for_its_next_run()
    {
        var (person, id, _) = await ActiveAsync();
        api.Registry.Deceased(person, Today());
        const string GaveUp = "left to the next scheduled run";
        var before = api.Logs.Lines.Count(l => l.Contains(GaveUp, StringComparison.Ordinal));
        var checksBefore = api.Registry.StatusChecks().Count;
        api.Registry.StatusCheckAnswers(RegistryStub.Status(503));
        try
        {
            api.Trigger(CheckBeneficiariesJob.RecurringId);
            await Eventually.ReturnsAsync(() => Task.FromResult(api.Logs.Lines.Count(l => l.Contains(GaveUp, StringComparison.Ordinal))), n => n > before,
                TimeSpan.FromSeconds(90), "the check to give up until its next run");
            Assert.Equal(0L, await ProposalsAsync(id));
            Assert.Equal("Active", await StatusAsync(id));
            // Every run asked (with the pipeline's own retries), and each ended as succeeded, not failed.
            Assert.True(api.Registry.StatusChecks().Count - checksBefore >= 4);
            var monitoring = api.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            await Eventually.ReturnsAsync(() => Task.FromResult(monitoring.SucceededJobs(0, 1000).Count(j => j.Value.Job?.Type == typeof(CheckBeneficiariesJob))),
                n => n >= 4, TimeSpan.FromSeconds(30), "the first run and its three retries to succeed");
            Assert.DoesNotContain(monitoring.FailedJobs(0, 1000), j => j.Value.Job?.Type == typeof(CheckBeneficiariesJob));
            Assert.DoesNotContain(api.Logs.Lines, l => l.Contains(person, StringComparison.Ordinal));
            Assert.Contains(api.Logs.Lines, l => l.Contains("the population registry is unavailable", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal));
        }
        finally
        {
            api.Registry.StatusCheckAnswers(null);
        }

        // The registry is back: the next run proposes what the failed ones could not.
        Assert.False((await CheckAsync()).Unavailable);
        Assert.Equal(1L, await ProposalsAsync(id, "death"));
    }

    [Fact]
    public async Task A_death_is_proposed_for_a_held_entitlement_too_and_confirming_it_ends_the_hold_so_no_arrears_follow_the_death()
    {
        var (person, id, _) = await ActiveAsync(1943);
        using (var held = await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/suspension", new { reason = "reverification", note = "Vắng mặt dài ngày." }))
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        api.Registry.Deceased(person, Today());

        Assert.False((await CheckAsync()).Unavailable);
        var proposal = await OpenProposalAsync(id, "death");
        Assert.Equal("Suspended", await StatusAsync(id));
        using var confirmed = await officer.PostAsJsonAsync($"/api/v1/entitlement-proposals/{proposal}/confirmation", new { note = "Đã có trích lục khai tử." });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("Ended", await StatusAsync(id));
        Assert.Equal(RegisterTests.MonthOf(api), await api.ScalarAsync<string>("SELECT end_month FROM entitlement WHERE id = @Id", new { Id = id }));
        // Once ended, the open list no longer offers anything about it.
        var list = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/wards/{RegisterTests.Ward}/entitlement-proposals?limit=200");
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), p => p.GetProperty("entitlementId").GetString() == id);
    }

    public void Dispose()
    {
        foreach (var c in new[] { officer, chair, province, stranger }) c.Dispose();
    }
}
