using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

/// <summary>
/// The chair's decision under the dated rules (issue 16): the beneficiary's age, every declared group, request types,
/// the social pension's conditions and the higher-of rule, refused with 422 naming the rule and its source.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class BenefitDecisionTests(ApiFactory api) : IDisposable
{
    private const string Ward = "04795";
    private static int counter;
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-benefits");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-benefits");

    /// <summary>A well-formed identity number for someone born in <paramref name="year"/> (female, registered in Phú Thọ).</summary>
    private static string IdBornIn(int year) => string.Create(CultureInfo.InvariantCulture,
        $"025{(year >= 2000 ? 3 : 1)}{year % 100:00}{900000 + Interlocked.Increment(ref counter):000000}");

    private static ADossier For(string procedure, DateOnly applicantBorn, JsonObject form) => ADossier.Valid()
        .ForPerson(IdBornIn(applicantBorn.Year))
        .With("applicant.dateOfBirth", applicantBorn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
        .With("procedureCode", procedure).With("formFields", form).LivingIn(Ward);

    private async Task<Receipt> AwaitingDecisionAsync(ADossier dossier)
    {
        var r = await dossier.SubmitAsync(anonymous);
        Assert.Equal("Received", (await r.AfterIntakeAsync(anonymous)).GetProperty("status").GetString());
        await r.DoAsync(officer, "claim");
        await r.DoAsync(officer, "verification", new { findings = "Đối chiếu CSDL dân cư: khớp." });
        await r.DoAsync(officer, "forwarding", new { note = "Trình Chủ tịch." });
        return r;
    }

    private async Task<JsonElement> ApprovedAsync(ADossier dossier) =>
        (await (await AwaitingDecisionAsync(dossier)).DoAsync(chair, "approval", new { })).GetProperty("decision");

    private async Task<JsonElement> RefusedAsync(ADossier dossier, string rule)
    {
        var r = await AwaitingDecisionAsync(dossier);
        var staffView = await r.StatusAsync(officer);
        Assert.False(staffView.GetProperty("benefitCheck").GetProperty("allowed").GetBoolean());   // the officer saw it coming
        Assert.Equal(rule, staffView.GetProperty("benefitCheck").GetProperty("rule").GetString());
        using var response = await r.ActAsync(chair, "approval", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(rule, problem.GetProperty("errors").GetProperty("rule")[0].GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("errors").GetProperty("source")[0].GetString()));
        // Nothing changed, and the chair can still reject with reasons.
        Assert.Equal("AwaitingDecision", (await r.StatusAsync(officer)).GetProperty("status").GetString());
        Assert.Equal("ResultReady", (await r.DoAsync(chair, "rejection", new { reasons = "Không đủ điều kiện theo quy định." })).GetProperty("status").GetString());
        return problem;
    }

    private static string ThisMonth(ApiFactory api) => Appointment.DateInVietnam(api.Clock.GetUtcNow()).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_grandmother_filing_for_an_orphan_of_two_gets_the_childs_amount_Decree_20_Art_6()
    {
        var childBorn = Appointment.DateInVietnam(api.Clock.GetUtcNow()).AddYears(-2).AddDays(-10);
        var decision = await ApprovedAsync(For("BTXH-01", new(1958, 5, 2), new JsonObject
        {
            ["requestType"] = "start",
            ["beneficiaryGroup"] = "child-without-care",
            ["beneficiary"] = new JsonObject
            {
                ["fullName"] = "Hà Minh An",
                ["dateOfBirth"] = childBorn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["relationship"] = "grandchild",
            },
            ["circumstances"] = "Cháu mồ côi cả cha lẹ, ở với bà ngoại.",
        }));
        Assert.Equal(1_250_000m, decision.GetProperty("amountVnd").GetDecimal());   // 2.5 × 500,000, not the grandmother's 1.5
        Assert.Equal(ThisMonth(api), decision.GetProperty("effectiveMonth").GetString());
    }

    [Fact]
    public async Task A_person_in_several_groups_is_paid_the_highest_coefficient_once()
    {
        var decision = await ApprovedAsync(For("BTXH-01", new(1944, 1, 20), new JsonObject
        {
            ["requestType"] = "start",
            ["beneficiaryGroup"] = "disability-severe",
            ["otherGroups"] = new JsonArray("elderly-poor-no-supporter"),
            ["receivesMonthlyPensionOrInsurance"] = false,
        }));
        Assert.Equal(1_000_000m, decision.GetProperty("amountVnd").GetDecimal());   // aged 82: 2.0 (both groups), paid once
        Assert.Equal(2.0m, decision.GetProperty("coefficient").GetDecimal());
    }

    [Fact]
    public async Task Approving_someone_outside_the_groups_age_is_refused_naming_the_rule_Decree_20_Art_5()
    {
        var problem = await RefusedAsync(For("BTXH-01", new(1981, 6, 1), new JsonObject
        {
            ["requestType"] = "start",
            ["beneficiaryGroup"] = "elderly-poor-no-supporter",
            ["receivesMonthlyPensionOrInsurance"] = false,
        }), "age-outside-group");
        Assert.Contains("20/2021", problem.GetProperty("errors").GetProperty("source")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_pays_up_to_the_decision_month_and_nothing_after()
    {
        var decision = await ApprovedAsync(For("BTXH-01", new(1950, 3, 15), new JsonObject
        {
            ["requestType"] = "stop",
            ["beneficiaryGroup"] = "elderly-poor-no-supporter",
            ["currentDecisionNumber"] = "88/QĐ-UBND",
            ["circumstances"] = "Đã có người phụng dưỡng.",
        }));
        Assert.Equal(ThisMonth(api), decision.GetProperty("lastMonth").GetString());
        Assert.Equal(JsonValueKind.Null, decision.GetProperty("amountVnd").ValueKind);
    }

    [Fact]
    public async Task A_change_of_residence_pays_from_the_month_after_the_last_month_paid_elsewhere()
    {
        var form = LifecycleTests.ExampleForm("BTXH-02").Deserialize<JsonObject>()!;
        form["lastPaidMonth"] = "2026-10";
        var decision = await ApprovedAsync(For("BTXH-02", new(1950, 3, 15), form));
        Assert.Equal("2026-11", decision.GetProperty("effectiveMonth").GetString());   // no month lost, none paid twice
        Assert.Equal(1_250_000m, decision.GetProperty("amountVnd").GetDecimal());   // extremely severe disability at 76: 2.5
    }

    [Fact]
    public async Task The_social_pension_follows_its_conditions_Law_on_Social_Insurance_2024_Art_21()
    {
        JsonObject Pension(string basis, bool pensioned = false, int? pensionVnd = null)
        {
            var form = new JsonObject { ["eligibilityBasis"] = basis, ["receivesMonthlyPensionOrInsurance"] = pensioned, ["receivesMonthlySocialAllowance"] = false };
            if (pensionVnd is { } vnd) form["currentMonthlyPensionOrInsuranceVnd"] = vnd;
            return form;
        }
        Assert.Equal(500_000m, (await ApprovedAsync(For("BTXH-05", new(1950, 3, 15), Pension("age-75-plus")))).GetProperty("amountVnd").GetDecimal());
        Assert.Equal(500_000m, (await ApprovedAsync(For("BTXH-05", new(1954, 2, 1), Pension("age-70-74-poor-or-near-poor")))).GetProperty("amountVnd").GetDecimal());
        // A pension below the social pension does not bar it (400,000 < 500,000).
        Assert.Equal(500_000m, (await ApprovedAsync(For("BTXH-05", new(1948, 2, 1), Pension("age-75-plus", true, 400_000)))).GetProperty("amountVnd").GetDecimal());
        await RefusedAsync(For("BTXH-05", new(1954, 2, 1), Pension("age-75-plus")), "pension-age");   // 72 and no poor household
        await RefusedAsync(For("BTXH-05", new(1948, 2, 1), Pension("age-75-plus", true, 600_000)), "pension-too-high");
    }

    [Fact]
    public async Task Someone_granted_a_higher_allowance_is_not_also_granted_the_social_pension()
    {
        var person = IdBornIn(1944);
        var allowance = For("BTXH-01", new(1944, 1, 20), new JsonObject
        {
            ["requestType"] = "start",
            ["beneficiaryGroup"] = "elderly-poor-no-supporter",
            ["receivesMonthlyPensionOrInsurance"] = false,
        }).ForPerson(person);
        Assert.Equal(1_000_000m, (await ApprovedAsync(allowance)).GetProperty("amountVnd").GetDecimal());   // aged 82: 2.0

        var pension = For("BTXH-05", new(1944, 1, 20), new JsonObject
        {
            ["eligibilityBasis"] = "age-75-plus",
            ["receivesMonthlyPensionOrInsurance"] = false,
            ["receivesMonthlySocialAllowance"] = false,
        }).ForPerson(person);
        await RefusedAsync(pension, "already-on-higher-benefit");
    }

    [Fact]
    public async Task The_beneficiary_is_a_person_an_adult_one_sees_the_dossier_and_the_duplicate_check_follows_them()
    {
        var mother = IdBornIn(1950);
        JsonObject ForMother(string fullName) => new()
        {
            ["eligibilityBasis"] = "age-75-plus",
            ["receivesMonthlyPensionOrInsurance"] = false,
            ["receivesMonthlySocialAllowance"] = false,
            ["beneficiary"] = new JsonObject { ["fullName"] = fullName, ["dateOfBirth"] = "1950-03-15", ["idNumber"] = mother, ["relationship"] = "parent" },
        };
        var daughter = IdBornIn(1980);
        using var daughterClient = api.As("citizen", idNumber: daughter);
        var first = await For("BTXH-05", new(1980, 4, 2), ForMother("Nguyễn Thị Mai")).ForPerson(daughter).SubmitAsync(daughterClient);
        await first.AfterIntakeAsync(anonymous);

        // The mother, signed in, sees it in her own list as filed by someone else, and reads it in full.
        using var motherClient = api.As("citizen", idNumber: mother);
        Assert.Equal(HttpStatusCode.OK, (await motherClient.GetAsync($"/api/v1/dossiers/{first.Code}")).StatusCode);
        var listed = (await motherClient.GetFromJsonAsync<JsonElement>("/api/v1/me/dossiers")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("code").GetString() == first.Code);
        Assert.True(listed.GetProperty("filedByOther").GetBoolean());

        // A son files for the same mother: a possible duplicate of the first, though the applicants differ.
        var second = await For("BTXH-05", new(1978, 9, 9), ForMother("Nguyễn Thị Mai")).SubmitAsync(anonymous);
        await second.AfterIntakeAsync(anonymous);
        Assert.Equal(first.Code, (await second.StatusAsync(officer)).GetProperty("possibleDuplicateOf").GetString());

        // The amount is the mother's (76), decided on the first filing.
        var r = await AwaitingDecisionAsync(For("BTXH-05", new(1980, 4, 2), ForMother("Nguyễn Thị Mai")).ForPerson(IdBornIn(1980)));
        Assert.Equal(500_000m, (await r.DoAsync(chair, "approval", new { })).GetProperty("decision").GetProperty("amountVnd").GetDecimal());

        // A child beneficiary does not see the file (the guardian who filed does).
        var child = IdBornIn(2015);
        var forChild = await For("BTXH-01", new(1960, 1, 1), new JsonObject
        {
            ["requestType"] = "start",
            ["beneficiaryGroup"] = "child-without-care",
            ["beneficiary"] = new JsonObject { ["fullName"] = "Hà Văn Bình", ["dateOfBirth"] = "2015-06-01", ["idNumber"] = child, ["relationship"] = "grandchild" },
        }).SubmitAsync(anonymous);
        using var childClient = api.As("citizen", idNumber: child);
        Assert.Equal(HttpStatusCode.NotFound, (await childClient.GetAsync($"/api/v1/dossiers/{forChild.Code}")).StatusCode);
    }

    [Fact]
    public async Task A_grant_for_a_grandchild_without_a_number_is_not_counted_against_the_grandmothers_own_pension()
    {
        var grandmother = IdBornIn(1948);
        var forChild = For("BTXH-01", new(1948, 2, 1), new JsonObject
        {
            ["requestType"] = "start",
            ["beneficiaryGroup"] = "child-without-care",
            ["beneficiary"] = new JsonObject { ["fullName"] = "Hà Văn Cường", ["dateOfBirth"] = "2019-05-05", ["relationship"] = "grandchild" },
        }).ForPerson(grandmother);
        Assert.Equal(750_000m, (await ApprovedAsync(forChild)).GetProperty("amountVnd").GetDecimal());   // the child, 7: 1.5
        var own = For("BTXH-05", new(1948, 2, 1), new JsonObject
        {
            ["eligibilityBasis"] = "age-75-plus",
            ["receivesMonthlyPensionOrInsurance"] = false,
            ["receivesMonthlySocialAllowance"] = false,
        }).ForPerson(grandmother);
        Assert.Equal(500_000m, (await ApprovedAsync(own)).GetProperty("amountVnd").GetDecimal());
    }

    [Fact]
    public async Task An_unreadable_last_month_paid_is_a_refusal_not_an_error()
    {
        var form = LifecycleTests.ExampleForm("BTXH-02").Deserialize<JsonObject>()!;
        form["lastPaidMonth"] = "0000-01";   // the schema's pattern lets it through
        await RefusedAsync(For("BTXH-02", new(1950, 3, 15), form), "last-month-paid-required");
    }

    [Fact]
    public async Task Administrators_record_a_new_version_of_the_rules_from_a_month_and_the_history_stays()
    {
        using var admin = api.As("administrator");
        var versions = await admin.GetFromJsonAsync<JsonElement>("/api/v1/procedures/BTXH-06/benefit-rules");
        var first = versions[0];
        Assert.Equal("2024-07-01", first.GetProperty("validFrom").GetString());
        var parameters = first.GetProperty("parameters").Deserialize<JsonObject>()!;
        parameters["housingMinima"]!["vndByDamageType"]!["severely-damaged"] = 25_000_000;

        object Body(string from, JsonNode p) => new { validFrom = from, parameters = p, legalText = "Nghị quyết thử nghiệm số 1/NQ-HĐND" };
        using (var officerTry = await officer.PostAsJsonAsync("/api/v1/procedures/BTXH-06/benefit-rules", Body("2030-01-01", parameters)))
            Assert.Equal(HttpStatusCode.Forbidden, officerTry.StatusCode);
        using (var midMonth = await admin.PostAsJsonAsync("/api/v1/procedures/BTXH-06/benefit-rules", Body("2030-01-15", parameters)))
            Assert.Equal(HttpStatusCode.BadRequest, midMonth.StatusCode);
        var broken = parameters.DeepClone().AsObject();
        broken["standardLevel"]!["vnd"] = -1;
        using (var bad = await admin.PostAsJsonAsync("/api/v1/procedures/BTXH-06/benefit-rules", Body("2030-01-01", broken)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("parameters", out _));
        }
        using (var added = await admin.PostAsJsonAsync("/api/v1/procedures/BTXH-06/benefit-rules", Body("2030-01-01", parameters)))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
            var all = await added.ReadJsonAsync();
            Assert.Equal("2030-01-01", all[0].GetProperty("validTo").GetString());
            var latest = all[all.GetArrayLength() - 1];
            Assert.Equal("Nghị quyết thử nghiệm số 1/NQ-HĐND", latest.GetProperty("legalText").GetString());
            Assert.Equal(JsonValueKind.Null, latest.GetProperty("validTo").ValueKind);
        }
        using (var earlier = await admin.PostAsJsonAsync("/api/v1/procedures/BTXH-06/benefit-rules", Body("2029-01-01", parameters)))
            Assert.Equal(HttpStatusCode.Conflict, earlier.StatusCode);

        // The catalogue shows what is in force today, and what is still to be confirmed.
        var catalogue = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/procedures/BTXH-01");
        Assert.Equal("2024-07-01", catalogue.GetProperty("benefit").GetProperty("validFrom").GetString());
        Assert.NotEmpty(catalogue.GetProperty("benefit").GetProperty("unconfirmedRules").EnumerateArray());
    }

    public void Dispose()
    {
        anonymous.Dispose();
        officer.Dispose();
        chair.Dispose();
    }
}
