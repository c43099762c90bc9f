using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

/// <summary>
/// Decree 147/2025/NĐ-CP gives the commune chairman the decision from 1 Jul 2025 until 1 Mar 2027 (DOMAIN.md §2.4, §10 item 7):
/// 28 Feb 2027 is the last day. Afterwards the chair is right by role but the legal basis has lapsed: 422 naming the text and its
/// end, not 403. The catalogue shows each text's validity and what has expired, against today in Vietnam.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class CompetenceTests(ApiFactory api) : IDisposable
{
    private const string Ward = "04795";
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-competence");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-competence");

    private static int counter;

    private async Task<Receipt> AwaitingDecisionAsync(ADossier? dossier = null)
    {
        var r = await (dossier ?? ADossier.Valid()).LivingIn(Ward).SubmitAsync(anonymous);
        await r.AfterIntakeAsync(anonymous);
        await r.DoAsync(officer, "claim");
        await r.DoAsync(officer, "forwarding", new { note = "Đủ điều kiện." });
        return r;
    }

    [Theory]
    [InlineData("approval")]
    [InlineData("rejection")]
    public async Task Deciding_on_1_March_2027_answers_422_naming_Decree_147_and_its_end(string action)
    {
        var r = await AwaitingDecisionAsync();
        api.SetVietnamDay(new DateOnly(2027, 3, 1), hour: 6);   // still 28 Feb in UTC: the day is Vietnam's

        using var response = await r.ActAsync(chair, action, new { reasons = "Không đủ điều kiện." });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.EndsWith("/competence-expired", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal("Nghị định 147/2025/NĐ-CP", problem.GetProperty("errors").GetProperty("source")[0].GetString());
        Assert.Equal("2027-03-01", problem.GetProperty("errors").GetProperty("validTo")[0].GetString());
        Assert.Contains("28/02/2027", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal("AwaitingDecision", (await r.StatusAsync(anonymous)).GetProperty("status").GetString());
        // Someone who never had the competence still gets 403.
        using var byOfficer = await r.ActAsync(officer, action, new { reasons = "Không đủ điều kiện." });
        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
    }

    [Fact]
    public async Task The_chair_still_decides_on_28_February_2027_the_last_day()
    {
        var r = await AwaitingDecisionAsync();
        api.SetVietnamDay(new DateOnly(2027, 2, 28), hour: 23);

        var decided = await r.DoAsync(chair, "approval", new { });

        Assert.Equal("ResultReady", decided.GetProperty("status").GetString());
        Assert.Equal("2027-02-28", decided.GetProperty("decision").GetProperty("date").GetString());
        Assert.Contains("147/2025", decided.GetProperty("decision").GetProperty("legalBasis").GetString()!, StringComparison.Ordinal);
    }

    /// <summary>
    /// The social pension is the commune chairman's under Decree 176/2025 Arts. 2–3 (DOMAIN.md §10 item 1), a text without an end:
    /// the end of Decree 147/2025 does not stop it, and the catalogue names that text, without an end.
    /// </summary>
    [Fact]
    public async Task The_social_pension_is_still_decided_on_1_March_2027_under_Decree_176()
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"025148{Interlocked.Increment(ref counter) + 800000:000000}");
        var r = await AwaitingDecisionAsync(ADossier.Valid().ForPerson(id).With("applicant.dateOfBirth", "1948-02-01").With("procedureCode", "BTXH-05")
            .With("formFields", new JsonObject
            {
                ["eligibilityBasis"] = "age-75-plus",
                ["receivesMonthlyPensionOrInsurance"] = false,
                ["receivesMonthlySocialAllowance"] = false,
            }));
        api.SetVietnamDay(new DateOnly(2027, 3, 1), hour: 10);

        var decided = await r.DoAsync(chair, "approval", new { });

        Assert.Equal("ResultReady", decided.GetProperty("status").GetString());
        Assert.Equal(500_000m, decided.GetProperty("decision").GetProperty("amountVnd").GetDecimal());
        var pension = await ProcedureAsync("BTXH-05");
        Assert.False(pension.GetProperty("competence").GetProperty("expired").GetBoolean());
        Assert.Equal("Nghị định 176/2025/NĐ-CP", pension.GetProperty("competence").GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, pension.GetProperty("competence").GetProperty("validTo").ValueKind);
    }

    [Fact]
    public async Task The_catalogue_shows_each_legal_basis_with_its_dates_and_marks_Decree_147_expired_from_1_March_2027()
    {
        api.SetVietnamDay(new DateOnly(2027, 2, 28), hour: 10);
        var before = await ProcedureAsync("BTXH-01");
        var basis = Decree147(before);
        Assert.Equal("2025-07-01", basis.GetProperty("validFrom").GetString());
        Assert.Equal("2027-03-01", basis.GetProperty("validTo").GetString());
        Assert.False(basis.GetProperty("expired").GetBoolean());
        Assert.False(before.GetProperty("competence").GetProperty("expired").GetBoolean());
        Assert.Equal("ward-chair", before.GetProperty("competence").GetProperty("role").GetString());

        api.SetVietnamDay(new DateOnly(2027, 3, 1), hour: 10);
        var after = await ProcedureAsync("BTXH-01");
        Assert.True(Decree147(after).GetProperty("expired").GetBoolean());
        var competence = after.GetProperty("competence");
        Assert.True(competence.GetProperty("expired").GetBoolean());
        Assert.Equal("Nghị định 147/2025/NĐ-CP", competence.GetProperty("source").GetString());
        Assert.Equal("2027-03-01", competence.GetProperty("validTo").GetString());
        // A text without an end stays in force (Decree 20/2021 from 1 Jul 2021, DOMAIN.md §2.1).
        var decree20 = after.GetProperty("legalBases").EnumerateArray().Single(b => b.GetProperty("text").GetString()!.StartsWith("Nghị định 20/2021", StringComparison.Ordinal));
        Assert.Equal("2021-07-01", decree20.GetProperty("validFrom").GetString());
        Assert.Equal(JsonValueKind.Null, decree20.GetProperty("validTo").ValueKind);
        Assert.False(decree20.GetProperty("expired").GetBoolean());

        // The list shows the same: the 2022–2025 poverty standards (Decree 07/2021, applied through 2026, DOMAIN.md §3.1) and Decree 147 expired.
        var list = await (await anonymous.GetAsync("/api/v1/procedures")).ReadJsonAsync();
        var gn01 = list.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "GN-01");
        var decree07 = gn01.GetProperty("legalBases").EnumerateArray().Single(b => b.GetProperty("text").GetString()!.StartsWith("Nghị định 07/2021", StringComparison.Ordinal));
        Assert.Equal("2027-01-01", decree07.GetProperty("validTo").GetString());
        Assert.True(decree07.GetProperty("expired").GetBoolean());
        var btxh01 = list.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "BTXH-01");
        Assert.True(Decree147(btxh01).GetProperty("expired").GetBoolean());
    }

    /// <summary>One definition: every text citing Decree 147/2025 takes its dates from the competence the decide rows are checked against.</summary>
    [Fact]
    public async Task Every_text_citing_Decree_147_carries_the_competences_dates()
    {
        var list = await (await anonymous.GetAsync("/api/v1/procedures")).ReadJsonAsync();
        var cited = list.EnumerateArray().SelectMany(p => p.GetProperty("legalBases").EnumerateArray())
            .Where(b => b.GetProperty("text").GetString()!.Contains("147/2025", StringComparison.Ordinal)).ToList();
        Assert.True(cited.Count >= 3, $"only {cited.Count} texts cite Decree 147/2025");
        // The procedures that cite it are those the Domain's competence governs (the decision is checked against that list).
        var citing = list.EnumerateArray().Where(p => p.GetProperty("legalBases").EnumerateArray()
                .Any(b => b.TryGetProperty("competence", out var c) && c.GetString() == "nd-147-2025"))
            .Select(p => p.GetProperty("code").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(OneStopWindow.Domain.Dossiers.Competences.CommuneChairDecree147.Procedures.Order(StringComparer.Ordinal), citing);
        Assert.All(cited, b =>
        {
            Assert.Equal("nd-147-2025", b.GetProperty("competence").GetString());
            Assert.Equal("2025-07-01", b.GetProperty("validFrom").GetString());
            Assert.Equal("2027-03-01", b.GetProperty("validTo").GetString());
        });
    }

    private async Task<JsonElement> ProcedureAsync(string code) => await (await anonymous.GetAsync($"/api/v1/procedures/{code}")).ReadJsonAsync();

    private static JsonElement Decree147(JsonElement procedure) =>
        procedure.GetProperty("legalBases").EnumerateArray().Single(b => b.GetProperty("text").GetString()!.StartsWith("Nghị định 147/2025", StringComparison.Ordinal));

    public void Dispose()
    {
        api.Clock.Reset();
        foreach (var c in new[] { anonymous, officer, chair }) c.Dispose();
    }
}
