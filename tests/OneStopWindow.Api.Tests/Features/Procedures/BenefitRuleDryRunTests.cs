using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Features.Entitlements;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Procedures;

/// <summary>
/// A rule change shows its effect first (issue 18 part 6): the dry run takes the body of the add-rule endpoint, checks it
/// the same way, saves nothing and answers who changes, by how much and from which month (Decree 20/2021 Art. 6:
/// coefficient × the standard level of the month), imported records apart.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class BenefitRuleDryRunTests(ApiFactory api) : IDisposable
{
    private const string Ward = RegisterTests.Ward;
    private readonly HttpClient admin = api.As("administrator", subject: "admin-dry-run");
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-dry-run");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-dry-run");
    private readonly HttpClient province = api.As("provincial-officer");

    [Fact]
    public async Task A_higher_standard_level_from_a_future_month_shows_each_amount_before_and_after_imported_records_apart_and_saves_nothing()
    {
        var today = Appointment.DateInVietnam(api.Clock.GetUtcNow());
        var oldest = await ApprovedAsync(new(1944, 1, 20), "elderly-poor-no-supporter");
        var younger = new DateOnly(today.Year - 62, 3, 3);
        var young = await ApprovedAsync(younger, "elderly-poor-no-supporter");
        var (imported, importedWard) = await RegisterTests.ImportAsync(api, province, RegisterTests.IdBornIn(1945), new(1945, 6, 1), 700_000, "dry-run-import");

        var (parameters, month, level) = await NextVersionAsync();
        parameters["standardLevel"]!["vnd"] = level + 100_000;
        parameters["provincialStandardLevel"] = null;
        var body = Body(month, parameters);
        var rulesBefore = await admin.GetStringAsync("/api/v1/procedures/BTXH-01/benefit-rules");
        var stateBefore = await StateAsync(oldest, young, imported);

        var run = await AllPagesAsync(body, Ward, limit: 200);
        Assert.Equal(Months(month), run.FirstMonth);
        foreach (var (id, born) in new[] { (oldest, new DateOnly(1944, 1, 20)), (young, younger) })
        {
            var coefficient = AgeOn(born, month) >= 80 ? 2.0m : 1.5m;   // Decree 20/2021 Art. 6, ages on the first of the month
            var line = Assert.Single(run.Changes, l => l.GetProperty("entitlementId").GetString() == id);
            Assert.Equal(Months(month), line.GetProperty("fromMonth").GetString());
            Assert.Equal(coefficient * level, line.GetProperty("beforeVnd").GetDecimal());
            Assert.Equal(coefficient * (level + 100_000), line.GetProperty("afterVnd").GetDecimal());
            Assert.Equal(coefficient * 100_000, line.GetProperty("differenceVnd").GetDecimal());
            Assert.Equal(Ward, line.GetProperty("wardCode").GetString());
            Assert.Equal("Active", line.GetProperty("status").GetString());
            var name = await api.ScalarAsync<string>("SELECT full_name FROM entitlement WHERE id = @Id", new { Id = id });
            Assert.Equal(PersonName.Mask(name), line.GetProperty("fullName").GetString());   // "N. V. An"
            Assert.NotEqual(name, line.GetProperty("fullName").GetString());
            Assert.Equal(JsonValueKind.Null, line.GetProperty("importedAmountVnd").ValueKind);
        }
        Assert.DoesNotContain("elderly-poor-no-supporter", run.Raw, StringComparison.Ordinal);   // no group: it can disclose health status
        AssertConsistent(run, Ward);

        // One line a page: the cursor moves on, the summary stays.
        var (firstSummary, first) = await DryRunAsync(body, $"ward={Ward}&limit=1");
        var (secondSummary, second) = await DryRunAsync(body, $"ward={Ward}&limit=1&after={(string)first["nextAfter"]!}");
        static string OnlyLine(JsonObject page) =>
            (string)Assert.Single(page["changes"]!.AsArray().Concat(page["importedKept"]!.AsArray()))!["entitlementId"]!;
        Assert.NotEqual(OnlyLine(first), OnlyLine(second));
        Assert.Equal((string)first["nextAfter"]!, OnlyLine(first));
        Assert.True(JsonNode.DeepEquals(firstSummary, secondSummary) && JsonNode.DeepEquals(firstSummary, run.Summary));

        // The imported record keeps its amount: listed apart, with what the rules would pay before and after.
        var there = await AllPagesAsync(body, importedWard, limit: 200);
        Assert.DoesNotContain(there.Changes, l => l.GetProperty("entitlementId").GetString() == imported);
        var kept = Assert.Single(there.Imported, l => l.GetProperty("entitlementId").GetString() == imported);
        Assert.Equal(700_000m, kept.GetProperty("importedAmountVnd").GetDecimal());
        Assert.Equal(2.0m * level, kept.GetProperty("beforeVnd").GetDecimal());
        Assert.Equal(2.0m * (level + 100_000), kept.GetProperty("afterVnd").GetDecimal());
        Assert.Equal(200_000m, kept.GetProperty("differenceVnd").GetDecimal());
        Assert.Contains("quyết định của xã/phường mới", there.ImportedNote, StringComparison.Ordinal);
        AssertConsistent(there, importedWard);

        // The province's summary holds each ward's figures as that ward's own dry run does.
        var all = await DryRunAsync(body, "limit=1");
        var wards = all.Summary["wards"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(run.Summary["wards"]![0], wards.Single(w => (string?)w!["wardCode"] == Ward)));
        Assert.True(JsonNode.DeepEquals(there.Summary["wards"]![0], wards.Single(w => (string?)w!["wardCode"] == importedWard)));
        Assert.Equal(wards.Sum(w => (int)w!["changed"]!), (int)all.Summary["changed"]!);
        Assert.Equal(wards.Sum(w => (decimal)w!["monthlyDifferenceVnd"]!), (decimal)all.Summary["monthlyDifferenceVnd"]!);

        // Nothing saved: the rule versions, the entitlements and their history are as they were; the amount of that month too.
        Assert.Equal(rulesBefore, await admin.GetStringAsync("/api/v1/procedures/BTXH-01/benefit-rules"));
        Assert.Equal(stateBefore, await StateAsync(oldest, young, imported));
        var amount = (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{oldest}?month={Months(month)}")).GetProperty("currentMonth");
        Assert.Equal(2.0m * level, amount.GetProperty("amountVnd").GetDecimal());

        // It lists people: the lines returned are access-logged.
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE subject_kind = 'entitlement' AND subject_id = @Id AND kind = 'benefit-rule-dry-run' AND reader_id = 'admin-dry-run'",
            new { Id = oldest }), n => n > 0, TimeSpan.FromSeconds(10), "the access-log entry");
    }

    [Fact]
    public async Task A_coefficient_change_to_one_group_changes_only_that_groups_entitlements()
    {
        var elderly = await ApprovedAsync(new(1944, 1, 20), "elderly-poor-no-supporter");
        var disabled = await ApprovedAsync(new(1970, 5, 10), "disability-severe");
        var (parameters, month, level) = await NextVersionAsync();
        parameters["groups"]!["elderly-poor-no-supporter"]!["bands"]![1]!["coefficient"] = 2.4;   // 80 and over: 2.0 → 2.4

        var run = await AllPagesAsync(Body(month, parameters), Ward, limit: 200);
        var line = Assert.Single(run.Changes, l => l.GetProperty("entitlementId").GetString() == elderly);
        Assert.Equal(2.0m * level, line.GetProperty("beforeVnd").GetDecimal());
        Assert.Equal(2.4m * level, line.GetProperty("afterVnd").GetDecimal());
        Assert.Equal(0.4m * level, line.GetProperty("differenceVnd").GetDecimal());
        Assert.DoesNotContain(run.Changes, l => l.GetProperty("entitlementId").GetString() == disabled);
        Assert.All(run.Changes, l => Assert.True(l.GetProperty("differenceVnd").GetDecimal() > 0));   // a higher coefficient only raises
        Assert.True((int)run.Summary["unchanged"]! >= 1);
        AssertConsistent(run, Ward);
    }

    [Fact]
    public async Task An_invalid_body_gets_the_same_problem_as_the_add_endpoint_and_nothing_is_saved()
    {
        var (parameters, month, _) = await NextVersionAsync();
        var latest = month.AddMonths(-1);
        var broken = parameters.DeepClone().AsObject();
        broken["standardLevel"]!["vnd"] = -1;
        var cases = new (string Code, object Body)[]
        {
            ("BTXH-01", new { }),
            ("BTXH-01", Body(month.AddDays(14), parameters)),   // mid-month
            ("BTXH-01", Body(month, broken)),
            ("BTXH-01", new { validFrom = Day(month), parameters, legalText = new string('x', 1001) }),
            ("BTXH-01", Body(new DateOnly(2024, 7, 1), parameters)),   // not after the latest version: 409
            ("BTXH-99", Body(month, parameters)),   // no such procedure: 404
        };
        var rulesBefore = await admin.GetStringAsync("/api/v1/procedures/BTXH-01/benefit-rules");
        foreach (var (code, body) in cases)
        {
            using var add = await admin.PostAsJsonAsync($"/api/v1/procedures/{code}/benefit-rules", body);
            using var dry = await admin.PostAsJsonAsync($"/api/v1/procedures/{code}/benefit-rules/dry-run", body);
            Assert.True((int)add.StatusCode >= 400, $"{code} {JsonSerializer.Serialize(body)} was accepted");
            Assert.Equal(add.StatusCode, dry.StatusCode);
            var (a, d) = (JsonNode.Parse(await add.Content.ReadAsStringAsync())!, JsonNode.Parse(await dry.Content.ReadAsStringAsync())!);
            foreach (var member in new[] { "type", "title", "detail", "errors" })
                Assert.True(JsonNode.DeepEquals(a[member], d[member]), $"{member}: {a[member]?.ToJsonString()} ≠ {d[member]?.ToJsonString()}");
        }
        Assert.Equal(rulesBefore, await admin.GetStringAsync("/api/v1/procedures/BTXH-01/benefit-rules"));
        Assert.True(latest < month);

        using var badPage = await admin.PostAsJsonAsync("/api/v1/procedures/BTXH-01/benefit-rules/dry-run?limit=0&after=x", Body(month, parameters));
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        var errors = (await badPage.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("limit", out _) && errors.TryGetProperty("after", out _), errors.ToString());
    }

    [Fact]
    public async Task Only_administrators_may_dry_run_a_rule_change()
    {
        var (parameters, month, _) = await NextVersionAsync();
        foreach (var client in new[] { officer, chair, province })
        {
            using var response = await client.PostAsJsonAsync("/api/v1/procedures/BTXH-01/benefit-rules/dry-run", Body(month, parameters));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using var anonymous = api.CreateClient();
        using var nobody = await anonymous.PostAsJsonAsync("/api/v1/procedures/BTXH-01/benefit-rules/dry-run", Body(month, parameters));
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
    }

    private sealed record Run(string FirstMonth, JsonObject Summary, List<JsonElement> Changes, List<JsonElement> Imported, string ImportedNote, string Raw);

    /// <summary>One ward's summary against the lines of all its pages.</summary>
    private static void AssertConsistent(Run run, string ward)
    {
        var s = run.Summary;
        Assert.Equal(run.Changes.Count, (int)s["changed"]!);
        Assert.Equal(run.Imported.Count, (int)s["importedKept"]!);
        Assert.Equal((int)s["changed"]! + (int)s["unchanged"]! + (int)s["importedKept"]!, (int)s["considered"]!);
        Assert.Equal(run.Changes.Sum(l => l.GetProperty("differenceVnd").GetDecimal()), (decimal)s["monthlyDifferenceVnd"]!);
        Assert.Equal(run.Imported.Sum(l => l.GetProperty("differenceVnd").GetDecimal()), (decimal)s["importedRulesDifferenceVnd"]!);
        var only = Assert.Single(s["wards"]!.AsArray())!;
        Assert.Equal(ward, (string?)only["wardCode"]);
        foreach (var member in new[] { "changed", "unchanged", "importedKept", "monthlyDifferenceVnd", "importedRulesDifferenceVnd" })
            Assert.True(JsonNode.DeepEquals(s[member], only[member]), member);
        var lines = run.Changes.Concat(run.Imported).ToList();
        Assert.All(lines, l => Assert.Equal(ward, l.GetProperty("wardCode").GetString()));
        Assert.Equal(lines.Count, lines.Select(l => l.GetProperty("entitlementId").GetString()).Distinct().Count());
    }

    /// <summary>The latest stored BTXH-01 version's parameters (to change), the month after it or after next month, and the standard level paid now.</summary>
    private async Task<(JsonObject Parameters, DateOnly Month, decimal Level)> NextVersionAsync()
    {
        var versions = await admin.GetFromJsonAsync<JsonElement>("/api/v1/procedures/BTXH-01/benefit-rules");
        var latest = versions[versions.GetArrayLength() - 1];
        var parameters = latest.GetProperty("parameters").Deserialize<JsonObject>()!;
        var from = DateOnly.ParseExact(latest.GetProperty("validFrom").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(1);
        var today = Appointment.DateInVietnam(api.Clock.GetUtcNow());
        var future = new DateOnly(today.Year, today.Month, 1).AddMonths(2);
        var level = Math.Max((decimal)parameters["standardLevel"]!["vnd"]!, (decimal?)parameters["provincialStandardLevel"]?["vnd"] ?? 0);
        return (parameters, from > future ? from : future, level);
    }

    private static object Body(DateOnly validFrom, JsonObject parameters) =>
        new { validFrom = Day(validFrom), parameters, legalText = "Nghị định thử nghiệm (chạy thử, không lưu)" };

    private async Task<(JsonObject Summary, JsonObject Json)> DryRunAsync(object body, string query)
    {
        using var response = await admin.PostAsJsonAsync($"/api/v1/procedures/BTXH-01/benefit-rules/dry-run?{query}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var json = JsonNode.Parse(text)!.AsObject();
        return (json["summary"]!.AsObject(), json);
    }

    /// <summary>Every page of one ward's lines; the summary is the same on each page.</summary>
    private async Task<Run> AllPagesAsync(object body, string ward, int limit)
    {
        var changes = new List<JsonElement>();
        var imported = new List<JsonElement>();
        var raw = new System.Text.StringBuilder();
        JsonObject? summary = null;
        string? firstMonth = null, importedNote = null;
        for (string? after = null; ;)
        {
            var (pageSummary, json) = await DryRunAsync(body, $"ward={ward}&limit={limit}" + (after is null ? "" : $"&after={after}"));
            raw.Append(json.ToJsonString());
            if (summary is null) summary = pageSummary;
            else Assert.True(JsonNode.DeepEquals(summary, pageSummary), "the summary differs between pages");
            firstMonth ??= (string)json["firstMonth"]!;
            importedNote ??= (string)json["importedNote"]!;
            var page = JsonSerializer.Deserialize<JsonElement>(json.ToJsonString());
            changes.AddRange(page.GetProperty("changes").EnumerateArray());
            imported.AddRange(page.GetProperty("importedKept").EnumerateArray());
            Assert.True(page.GetProperty("changes").GetArrayLength() + page.GetProperty("importedKept").GetArrayLength() <= limit);
            after = (string?)json["nextAfter"];
            if (after is null) break;
        }
        return new(firstMonth!, summary!, changes, imported, importedNote!, raw.ToString());
    }

    /// <summary>What could change if a dry run saved anything: versions and history rows of the entitlements, their bases.</summary>
    private async Task<string> StateAsync(params string[] ids)
    {
        var state = new List<string>();
        foreach (var id in ids)
            foreach (var sql in new[]
                     {
                         "SELECT version FROM entitlement WHERE id = @Id",
                         "SELECT COUNT(*) FROM entitlement_event WHERE entitlement_id = @Id",
                         "SELECT COUNT(*) FROM entitlement_basis WHERE entitlement_id = @Id",
                     })
                state.Add((await api.ScalarAsync<long>(sql, new { Id = id })).ToString(CultureInfo.InvariantCulture));
        state.Add((await api.ScalarAsync<long>("SELECT COUNT(*) FROM benefit_rule")).ToString(CultureInfo.InvariantCulture));
        return string.Join(",", state);
    }

    private async Task<string> ApprovedAsync(DateOnly born, string group)
    {
        var form = new JsonObject { ["requestType"] = "start", ["beneficiaryGroup"] = group, ["receivesMonthlyPensionOrInsurance"] = false };
        var dossier = RegisterTests.For("BTXH-01", RegisterTests.IdBornIn(born.Year), born, form).With("applicant.fullName", "Trần Thị Lan");
        return await RegisterTests.EntitlementOfAsync(api, await RegisterTests.ApprovedAsync(api, dossier, officer, chair));
    }

    private static int AgeOn(DateOnly born, DateOnly day) => day.Year - born.Year - (day < born.AddYears(day.Year - born.Year) ? 1 : 0);

    private static string Months(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var c in new[] { admin, officer, chair, province }) c.Dispose();
    }
}
