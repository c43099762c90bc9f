using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// Reports of death or move recorded by ward staff (issue 18, part 3): a death ends the entitlement with the month of
/// death and offers the family funeral support (Decree 20/2021 Art. 8 and 11, BTXH-03); a move suspends with reason
/// <c>moved</c> pending the new ward's decision (Decree 147/2025 step 4).
/// </summary>
[Collection(ApiHost.Name)]
public sealed class ReportTests(ApiFactory api) : IDisposable
{
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", RegisterTests.Ward, subject: "officer-report");
    private readonly HttpClient chair = api.As("ward-chair", RegisterTests.Ward, subject: "chair-report");
    private readonly HttpClient province = api.As("provincial-officer");
    private readonly HttpClient stranger = api.As("ward-officer", "04828");

    private string Today(int plusDays = 0) =>
        Appointment.DateInVietnam(api.Clock.GetUtcNow()).AddDays(plusDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_reported_death_ends_with_the_month_of_death_and_offers_funeral_support_Decree_20_2021_Art_8_Art_11()
    {
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", RegisterTests.IdBornIn(1944), new(1944, 1, 20), RegisterTests.Elderly()),
            officer, chair);
        var id = await RegisterTests.EntitlementOfAsync(api, r);
        var report = new { dateOfDeath = Today(), note = "Trích lục khai tử số 31/TLKT." };

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/entitlements/{id}/death-report", report)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await province.PostAsJsonAsync($"/api/v1/entitlements/{id}/death-report", report)).StatusCode);
        using (var future = await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/death-report", new { dateOfDeath = Today(2), note = "x" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
            Assert.True((await future.ReadJsonAsync()).GetProperty("errors").TryGetProperty("dateOfDeath", out _));
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/death-report",
            new { dateOfDeath = "20/11/2025", note = "x" })).StatusCode);

        // The ward officer records it (a death is not a decision): ended with the month of death, nothing owed after it.
        using var done = await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/death-report", report);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var e = await done.ReadJsonAsync();
        Assert.Equal("Ended", e.GetProperty("status").GetString());
        Assert.Equal(RegisterTests.MonthOf(api), e.GetProperty("endMonth").GetString());
        var row = e.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("DeathReported", row.GetProperty("kind").GetString());
        Assert.Equal("death", row.GetProperty("reason").GetString());
        Assert.False(row.GetProperty("owed").GetBoolean());
        Assert.Contains("31/TLKT", row.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/death-report", report)).StatusCode);
        Assert.Equal("EntitlementEnded", await api.ScalarAsync<string>(
            "SELECT event_type FROM integration_event WHERE entitlement_id = @Id ORDER BY position DESC LIMIT 1", new { Id = id }));

        // The applicant of the dossier is told the family may apply for funeral support, naming the procedure.
        var notes = await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/notifications");
            request.Headers.Add("X-Tracking-Secret", r.Secret);
            using var response = await anonymous.SendAsync(request);
            return (await response.ReadJsonAsync()).EnumerateArray().ToList();
        }, n => n.Any(x => x.GetProperty("kind").GetString() == "funeral-support-offered"), TimeSpan.FromSeconds(30), "the funeral-support notification");
        var offer = notes.First(x => x.GetProperty("kind").GetString() == "funeral-support-offered").GetRawText();
        Assert.Contains("BTXH-03", offer, StringComparison.Ordinal);
        Assert.DoesNotContain("31/TLKT", offer, StringComparison.Ordinal);   // the staff's note stays in the staff-only history
    }

    [Fact]
    public async Task A_reported_move_suspends_with_reason_moved_not_owed_pending_the_new_wards_decision_Decree_147_2025()
    {
        var person = RegisterTests.IdBornIn(1944);
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, new(1944, 1, 20), RegisterTests.Elderly()),
            officer, chair);
        var id = await RegisterTests.EntitlementOfAsync(api, r);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/move-report", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/entitlements/{id}/move-report",
            new { newResidence = "Phường Việt Trì" })).StatusCode);

        using var done = await chair.PostAsJsonAsync($"/api/v1/entitlements/{id}/move-report",
            new { newResidence = "Tổ 5, phường Việt Trì", note = "Trưởng thôn báo." });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var e = await done.ReadJsonAsync();
        Assert.Equal("Suspended", e.GetProperty("status").GetString());
        Assert.Equal("moved", e.GetProperty("suspensionReason").GetString());
        var row = e.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Suspended", row.GetProperty("kind").GetString());
        Assert.False(row.GetProperty("owed").GetBoolean());
        Assert.Contains("Tổ 5, phường Việt Trì", row.GetProperty("note").GetString(), StringComparison.Ordinal);
        // Already held: a second report is a 409.
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/entitlements/{id}/move-report",
            new { newResidence = "Phường Việt Trì" })).StatusCode);
        // The beneficiary sees the hold, never the address reported or the note.
        using var self = api.As("citizen", idNumber: person);
        var mine = await (await self.GetAsync("/api/v1/me/benefits")).Content.ReadAsStringAsync();
        Assert.Contains("Suspended", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("Tổ 5", mine, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var c in new[] { anonymous, officer, chair, province, stranger }) c.Dispose();
    }
}
