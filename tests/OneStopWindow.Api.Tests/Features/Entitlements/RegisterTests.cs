using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Features.Beneficiaries;
using OneStopWindow.Api.Tests.Features.Dossiers.Actions;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// The benefit register (issue 18): every approved monthly benefit creates or changes an entitlement in the approval's
/// transaction, the legacy import fills the same register, one-off benefits become payables; staff read a ward's register
/// and one entitlement, the beneficiary their own benefits.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class RegisterTests(ApiFactory api) : IDisposable
{
    internal const string Ward = "04795";
    private static int counter;
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-register");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-register");
    private readonly HttpClient province = api.As("provincial-officer");

    /// <summary>A well-formed identity number for someone born in <paramref name="year"/> (female, registered in Phú Thọ).</summary>
    internal static string IdBornIn(int year) => string.Create(CultureInfo.InvariantCulture,
        $"025{(year >= 2000 ? 3 : 1)}{year % 100:00}{700000 + Interlocked.Increment(ref counter):000000}");

    internal static ADossier For(string procedure, string person, DateOnly born, JsonObject form, string ward = Ward) => ADossier.Valid()
        .ForPerson(person)
        .With("applicant.dateOfBirth", born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
        .With("procedureCode", procedure).With("formFields", form).LivingIn(ward);

    internal static JsonObject Elderly(string requestType = "start") => requestType == "start"
        ? new() { ["requestType"] = requestType, ["beneficiaryGroup"] = "elderly-poor-no-supporter", ["receivesMonthlyPensionOrInsurance"] = false }
        : new()
        {
            ["requestType"] = requestType,
            ["beneficiaryGroup"] = "elderly-poor-no-supporter",
            ["currentDecisionNumber"] = "88/QĐ-UBND",
            ["circumstances"] = requestType == "stop" ? "Đã có người phụng dưỡng." : "Xác định lại mức hưởng theo quy định hiện hành.",
        };

    internal static async Task<Receipt> ApprovedAsync(ApiFactory api, ADossier dossier, HttpClient officer, HttpClient chair)
    {
        var anonymous = api.CreateClient();
        var r = await dossier.SubmitAsync(anonymous);
        Assert.Equal("Received", (await r.AfterIntakeAsync(anonymous)).GetProperty("status").GetString());
        await r.DoAsync(officer, "claim");
        await r.DoAsync(officer, "verification", new { findings = "Đối chiếu CSDL dân cư: khớp." });
        await r.DoAsync(officer, "forwarding", new { note = "Trình Chủ tịch." });
        await r.DoAsync(chair, "approval", new { });
        return r;
    }

    internal static Task<string> EntitlementOfAsync(ApiFactory api, Receipt r) =>
        api.ScalarAsync<string>("SELECT e.id FROM entitlement e JOIN dossier d ON d.id = e.dossier_id WHERE d.code = @Code", new { r.Code });

    internal static string MonthOf(ApiFactory api, int plus = 0) =>
        Appointment.DateInVietnam(api.Clock.GetUtcNow()).AddMonths(plus).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static int AgeOn(DateOnly born, DateOnly day) => day.Year - born.Year - (day < born.AddYears(day.Year - born.Year) ? 1 : 0);

    private DateOnly FirstOfThisMonth()
    {
        var today = Appointment.DateInVietnam(api.Clock.GetUtcNow());
        return new(today.Year, today.Month, 1);
    }

    [Fact]
    public async Task Approval_starts_an_entitlement_from_the_signing_month_at_the_amount_of_the_rules_Decree_147_2025_Decree_20_Art_6()
    {
        var person = IdBornIn(1944);
        var r = await ApprovedAsync(api, For("BTXH-01", person, new(1944, 1, 20), Elderly()), officer, chair);
        var id = await EntitlementOfAsync(api, r);

        var e = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}");
        Assert.Equal("BTXH-01", e.GetProperty("benefitCode").GetString());
        Assert.Equal(Ward, e.GetProperty("wardCode").GetString());
        Assert.Equal(MonthOf(api), e.GetProperty("startMonth").GetString());   // the month the chair signs
        Assert.Equal(JsonValueKind.Null, e.GetProperty("endMonth").ValueKind);
        Assert.Equal("Active", e.GetProperty("status").GetString());
        Assert.Equal("Rules", e.GetProperty("amountSource").GetString());
        Assert.Equal(1_000_000m, e.GetProperty("currentMonth").GetProperty("amountVnd").GetDecimal());   // 80+: 2.0 × 500,000
        Assert.Equal(["Started"], e.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        Assert.Equal(r.Code, await api.ScalarAsync<string>("SELECT d.code FROM entitlement e JOIN dossier d ON d.id = e.dossier_id WHERE e.id = @Id", new { Id = id }));
        // Nothing stores an amount for it: the basis holds what the rules are applied to, sealed.
        Assert.StartsWith("pd1.", await api.ScalarAsync<string>("SELECT claim FROM entitlement_basis WHERE entitlement_id = @Id", new { Id = id }), StringComparison.Ordinal);

        // In the ward's register; another ward's staff get 403 for the list and 404 for the entitlement.
        var page = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/wards/{Ward}/entitlements?limit=200&benefit=BTXH-01");
        var all = new List<string>();
        for (var p = page; ; p = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/wards/{Ward}/entitlements?limit=200&benefit=BTXH-01&after={p.GetProperty("nextAfter").GetString()}"))
        {
            all.AddRange(p.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            if (p.GetProperty("nextAfter").ValueKind == JsonValueKind.Null) break;
        }
        Assert.Contains(id, all);
        Assert.Equal(all.Count, all.Distinct().Count());
        using var stranger = api.As("ward-officer", "04828");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/v1/wards/{Ward}/entitlements")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/entitlements/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await province.GetAsync($"/api/v1/wards/{Ward}/entitlements")).StatusCode);

        // Staff reads are access-logged (never the data).
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE subject_kind = 'entitlement' AND subject_id = @Id AND kind = 'entitlement-record'", new { Id = id }),
            n => n > 0, TimeSpan.FromSeconds(10), "the access-log entry");
    }

    [Fact]
    public async Task A_rule_version_from_a_later_month_changes_the_amount_from_that_month_only_Decree_20_Art_6()
    {
        var born = new DateOnly(1944, 1, 20);
        var r = await ApprovedAsync(api, For("BTXH-01", IdBornIn(1944), born, Elderly()), officer, chair);
        var id = await EntitlementOfAsync(api, r);

        using var admin = api.As("administrator");
        var parameters = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/procedures/BTXH-01/benefit-rules"))[0].GetProperty("parameters")
            .Deserialize<JsonObject>()!;
        parameters["standardLevel"]!["vnd"] = 600_000;
        using (var added = await admin.PostAsJsonAsync("/api/v1/procedures/BTXH-01/benefit-rules",
                   new { validFrom = "2041-01-01", parameters, legalText = "Nghị định thử nghiệm mức chuẩn 600.000 đồng" }))
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());

        async Task<decimal> AmountIn(string month) =>
            (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}?month={month}")).GetProperty("currentMonth").GetProperty("amountVnd").GetDecimal();
        Assert.Equal(1_000_000m, await AmountIn("2040-12"));   // 2.0 × 500,000
        Assert.Equal(1_200_000m, await AmountIn("2041-01"));   // 2.0 × 600,000: from the new version's month on
        Assert.Equal(1_200_000m, await AmountIn("2041-06"));
        Assert.Equal(1_000_000m, await AmountIn(MonthOf(api)));
    }

    [Fact]
    public async Task A_stop_decision_ends_the_entitlement_with_its_last_month_Decree_20_2021()
    {
        var person = IdBornIn(1944);
        var start = await ApprovedAsync(api, For("BTXH-01", person, new(1944, 1, 20), Elderly()), officer, chair);
        var id = await EntitlementOfAsync(api, start);
        await ApprovedAsync(api, For("BTXH-01", person, new(1944, 1, 20), Elderly("stop")), officer, chair);

        var e = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}");
        Assert.Equal("Ended", e.GetProperty("status").GetString());
        Assert.Equal(MonthOf(api), e.GetProperty("endMonth").GetString());
        Assert.Equal(["Started", "Ended"], e.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        Assert.Equal("stop-decision", e.GetProperty("history")[1].GetProperty("reason").GetString());
        var next = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}?month={MonthOf(api, 1)}");
        Assert.Equal(JsonValueKind.Null, next.GetProperty("currentMonth").ValueKind);   // nothing from the next month
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement WHERE person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Id)",
            new { Id = id }));
    }

    [Fact]
    public async Task An_imported_record_is_paid_at_its_imported_amount_with_the_difference_from_the_rules_until_the_new_wards_decision()
    {
        var born = new DateOnly(1945, 6, 1);
        var person = IdBornIn(1945);
        var (id, importedWard) = await ImportAsync(api, province, person, born, 700_000, "import-amount");
        var e = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}");
        Assert.Equal("Imported", e.GetProperty("amountSource").GetString());
        Assert.Equal("2024-01", e.GetProperty("startMonth").GetString());
        var month = e.GetProperty("currentMonth");
        Assert.Equal(700_000m, month.GetProperty("amountVnd").GetDecimal());
        var rules = AgeOn(born, FirstOfThisMonth()) >= 80 ? 1_000_000m : 750_000m;   // Decree 20 Art. 6: 2.0 from 80, else 1.5
        Assert.Equal(rules, month.GetProperty("rulesAmountVnd").GetDecimal());
        Assert.Equal(700_000m - rules, month.GetProperty("differenceFromRulesVnd").GetDecimal());
        Assert.Equal(["Imported"], e.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));

        // A decision of the ward replaces the imported amount from the signing month; the months before keep it.
        using var wardOfficer = api.As("ward-officer", importedWard);
        using var wardChair = api.As("ward-chair", importedWard);
        await ApprovedAsync(api, For("BTXH-01", person, born, Elderly("adjust"), importedWard), wardOfficer, wardChair);
        var after = await wardOfficer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}");
        Assert.Equal("Rules", after.GetProperty("amountSource").GetString());
        Assert.Equal(rules, after.GetProperty("currentMonth").GetProperty("amountVnd").GetDecimal());
        Assert.Equal(700_000m, (await wardOfficer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}?month=2025-01"))
            .GetProperty("currentMonth").GetProperty("amountVnd").GetDecimal());
        Assert.Equal(["Imported", "Adjusted"], after.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_change_of_residence_ends_the_old_wards_entitlement_with_the_last_month_paid_and_starts_the_new_one_the_month_after_Decree_147_2025()
    {
        var born = new DateOnly(1945, 6, 1);
        var person = IdBornIn(1945);
        var (old, oldWard) = await ImportAsync(api, province, person, born, 750_000, "import-move");
        Assert.NotEqual(Ward, oldWard);

        var form = LifecycleTests.ExampleForm("BTXH-02").Deserialize<JsonObject>()!;
        form["lastPaidMonth"] = MonthOf(api, -1);
        var moved = await ApprovedAsync(api, For("BTXH-02", person, born, form), officer, chair);
        var created = await EntitlementOfAsync(api, moved);

        var before = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{old}");
        var now = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{created}");
        Assert.Equal("Transferred", before.GetProperty("status").GetString());
        Assert.Equal(MonthOf(api, -1), before.GetProperty("endMonth").GetString());   // the old ward ends with the last month it paid
        Assert.Equal(oldWard, before.GetProperty("wardCode").GetString());
        Assert.Equal("Active", now.GetProperty("status").GetString());
        Assert.Equal(Ward, now.GetProperty("wardCode").GetString());
        Assert.Equal("BTXH-01", now.GetProperty("benefitCode").GetString());   // the same benefit, now paid by the new ward
        // No gap and no overlap: the new start is the month right after the old end.
        var end = DateOnly.ParseExact(before.GetProperty("endMonth").GetString() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(end.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture), now.GetProperty("startMonth").GetString());
        Assert.Equal(1_250_000m, now.GetProperty("currentMonth").GetProperty("amountVnd").GetDecimal());   // extremely severe disability, elderly: 2.5

        // A second start for the person in yet another ward would overlap: refused, naming the rule.
        using var thirdOfficer = api.As("ward-officer", "04828");
        using var thirdChair = api.As("ward-chair", "04828");
        var again = await For("BTXH-01", person, born, Elderly(), "04828").SubmitAsync(anonymous);
        await again.AfterIntakeAsync(anonymous);
        Assert.Equal("04828", (await again.StatusAsync(thirdOfficer)).GetProperty("handlingWardCode").GetString());
        await again.DoAsync(thirdOfficer, "claim");
        await again.DoAsync(thirdOfficer, "forwarding", new { note = "Trình." });
        using var refused = await again.ActAsync(thirdChair, "approval", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("entitlement-in-other-ward", (await refused.ReadJsonAsync()).GetProperty("errors").GetProperty("rule")[0].GetString());
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement WHERE id <> @Old AND person_id_hash = (SELECT person_id_hash FROM entitlement WHERE id = @Old)",
            new { Old = old }));
    }

    [Fact]
    public async Task A_funeral_support_approval_is_one_payable_not_an_entitlement_Decree_20_Art_11()
    {
        var applicant = IdBornIn(1970);
        var r = await ApprovedAsync(api, For("BTXH-03", applicant, new(1970, 2, 2), LifecycleTests.ExampleForm("BTXH-03").Deserialize<JsonObject>()!), officer, chair);
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM payable p JOIN dossier d ON d.id = p.dossier_id WHERE d.code = @Code", new { r.Code }));
        Assert.Equal(10_000_000L, await api.ScalarAsync<long>("SELECT p.amount_vnd FROM payable p JOIN dossier d ON d.id = p.dossier_id WHERE d.code = @Code", new { r.Code }));
        Assert.Equal(0L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement e JOIN dossier d ON d.id = e.dossier_id WHERE d.code = @Code", new { r.Code }));

        using var self = api.As("citizen", idNumber: applicant);
        var mine = await self.GetFromJsonAsync<JsonElement>("/api/v1/me/benefits");
        var payable = Assert.Single(mine.GetProperty("payables").EnumerateArray());
        Assert.Equal(10_000_000L, payable.GetProperty("amountVnd").GetInt64());   // 20 × 500,000
        Assert.Equal(MonthOf(api), payable.GetProperty("month").GetString());
        Assert.Empty(mine.GetProperty("entitlements").EnumerateArray());
    }

    [Fact]
    public async Task The_beneficiary_sees_only_their_own_benefits_without_staff_only_fields()
    {
        var person = IdBornIn(1944);
        var r = await ApprovedAsync(api, For("BTXH-01", person, new(1944, 1, 20), Elderly()), officer, chair);
        var id = await EntitlementOfAsync(api, r);
        using var mine = await api.As("citizen", idNumber: person).GetAsync("/api/v1/me/benefits");
        var body = await mine.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;
        var item = Assert.Single(json.GetProperty("entitlements").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetString());
        Assert.Equal("Active", item.GetProperty("status").GetString());
        Assert.Equal(MonthOf(api), item.GetProperty("startMonth").GetString());
        Assert.Equal(1_000_000m, item.GetProperty("thisMonth").GetProperty("amountVnd").GetDecimal());
        Assert.Equal("Started", Assert.Single(item.GetProperty("history").EnumerateArray()).GetProperty("kind").GetString());
        // Not the group behind the amount (it can disclose health status), no staff names, reasons or notes.
        Assert.DoesNotContain("elderly-poor-no-supporter", body, StringComparison.Ordinal);
        Assert.DoesNotContain("chair-register", body, StringComparison.Ordinal);
        Assert.False(item.GetProperty("history")[0].TryGetProperty("reason", out _));
        Assert.False(item.GetProperty("history")[0].TryGetProperty("note", out _));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("thisMonth").GetProperty("basis").ValueKind);

        // Someone else signed in sees none of it; staff tokens are not the beneficiary's.
        var other = await api.As("citizen", idNumber: IdBornIn(1950)).GetFromJsonAsync<JsonElement>("/api/v1/me/benefits");
        Assert.DoesNotContain(other.GetProperty("entitlements").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/v1/me/benefits")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/benefits")).StatusCode);
    }

    private Task<(string Id, string Ward)> ImportAsync(string person, DateOnly born, long amount, string source) =>
        ImportAsync(api, province, person, born, amount, source);

    /// <summary>Imports one legacy record (BTXH-01, elderly group, since 2024-01) for <paramref name="person"/> in a ward other than <see cref="Ward"/> and 04828.</summary>
    internal static async Task<(string Id, string Ward)> ImportAsync(ApiFactory api, HttpClient province, string person, DateOnly born, long amount, string source)
    {
        _ = api.Services;
        var (oneToOne, _) = await ImportTests.CommunesAsync(api.DatabasePath);
        string? commune = null, ward = null;
        foreach (var c in oneToOne)
        {
            var successor = await api.ScalarAsync<string>("SELECT new_code FROM unit_succession WHERE old_code = @Old", new { Old = c });
            if (successor != Ward && successor != "04828") { commune = c; ward = successor; break; }
        }
        var path = Path.Combine(api.Folder, source + ".csv");
        await File.WriteAllTextAsync(path, BeneficiaryLists.Header + "\n" + string.Create(CultureInfo.InvariantCulture,
            $"{source}-1,{person},\"Lê Thị Hạnh\",{born:yyyy-MM-dd},{commune},\"Thôn Đồng\",BTXH-01,elderly-poor-no-supporter,{amount},2024-01,\"7/QĐ-UBND\"\n"),
            Encoding.UTF8);
        var done = await ImportTests.FinishedAsync(province, await ImportTests.UploadAsync(province, path, source), TimeSpan.FromSeconds(60));
        Assert.Equal(1, done.GetProperty("mapped").GetInt32());
        var id = await api.ScalarAsync<string>("SELECT e.id FROM entitlement e JOIN beneficiary b ON b.id = e.beneficiary_id WHERE b.source_system = @Source",
            new { Source = source });
        return (id, ward!);
    }

    public void Dispose()
    {
        foreach (var c in new[] { anonymous, officer, chair, province }) c.Dispose();
    }
}
