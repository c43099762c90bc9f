using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

/// <summary>Every path of the ward-level lifecycle over HTTP, with the real Hangfire server doing the jobs.</summary>
[Collection(ApiHost.Name)]
public sealed class LifecycleTests(ApiFactory api) : IDisposable
{
    private const string Ward = "04795";
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-1");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-1");
    private readonly HttpClient province = api.As("provincial-officer", subject: "province-1");

    private async Task<Receipt> ReceivedAsync(ADossier? dossier = null)
    {
        var receipt = await (dossier ?? ADossier.Valid()).LivingIn(Ward).SubmitAsync(anonymous);
        Assert.Equal("Received", (await receipt.AfterIntakeAsync(anonymous)).GetProperty("status").GetString());
        return receipt;
    }

    private static string Status(JsonElement dossier) => dossier.GetProperty("status").GetString()!;

    [Fact]
    public async Task Approval_without_posting_produces_a_decision_with_the_monthly_amount()
    {
        var r = await ReceivedAsync();
        await r.DoAsync(officer, "claim");
        await r.DoAsync(officer, "verification", new { findings = "Đối chiếu CSDL dân cư: khớp; hộ nghèo năm 2026." });
        Assert.Equal("AwaitingDecision", Status(await r.DoAsync(officer, "forwarding", new { note = "Đủ điều kiện nhóm 5a." })));
        var decided = await r.DoAsync(chair, "approval", new { reasons = (string?)null });

        Assert.Equal("ResultReady", Status(decided));
        Assert.Equal("Granted", decided.GetProperty("outcome").GetString());
        var decision = decided.GetProperty("decision");
        // Born 1950, elderly in a poor household without a supporter, aged 60–79: 1.5 × 500,000.
        Assert.Equal(750_000m, decision.GetProperty("amountVnd").GetDecimal());
        Assert.True(decision.GetProperty("monthly").GetBoolean());
        Assert.EndsWith("/QĐ-UBND", decision.GetProperty("number").GetString(), StringComparison.Ordinal);

        Assert.Equal("Returned", Status(await r.DoAsync(officer, "result-return", new { note = "Trả trực tiếp." })));
        Assert.Equal(3, (await r.DoAsync(anonymous, "rating", new { score = 3 }, withSecret: true)).GetProperty("rating").GetInt32());
        Assert.Equal(["Submitted", "RoutedToWard", "Claimed", "Verified", "ForwardedToChair", "Approved", "ResultReturned", "Rated"], await r.EventKindsAsync(province));

        var kinds = await NotificationKindsAsync(r);
        Assert.Contains("received", kinds);
        Assert.Contains("decided", kinds);
        Assert.Contains("returned", kinds);
    }

    [Fact]
    public async Task A_procedure_with_public_posting_is_posted_objected_to_and_the_posting_ends_by_itself()
    {
        var r = await ReceivedAsync(ADossier.Valid().With("procedureCode", "BTXH-04").With("formFields", JsonSerializer.SerializeToNode(ExampleForm("BTXH-04"))));
        await r.DoAsync(officer, "claim");
        using (var tooEarly = await r.ActAsync(officer, "forwarding", new { }))
            Assert.Equal(HttpStatusCode.Conflict, tooEarly.StatusCode);

        Assert.Equal("PublicPosting", Status(await r.DoAsync(officer, "posting")));
        using (var objection = await anonymous.PostAsJsonAsync($"/api/v1/dossiers/{r.Code}/objections",
                   new { authorName = "Tổ dân phố số 5", content = "Đề nghị xác minh lại mức độ khuyết tật." }))
            Assert.Equal(HttpStatusCode.Created, objection.StatusCode);

        try
        {
            api.Clock.Advance(TimeSpan.FromDays(14));   // past 5 working days
            api.Trigger("reconcile-workflow");
            await Eventually.ReturnsAsync(() => r.StatusAsync(anonymous), s => Status(s) == "InVerification", TimeSpan.FromSeconds(20), "the posting to end");
        }
        finally
        {
            api.Clock.Reset();
        }
        var kinds = await r.EventKindsAsync(province);
        Assert.Contains("ObjectionFiled", kinds);
        Assert.Contains("PostingEnded", kinds);
        Assert.Equal("AwaitingDecision", Status(await r.DoAsync(officer, "forwarding", new { })));
        Assert.Equal("ResultReady", Status(await r.DoAsync(chair, "approval", new { })));
        Assert.Contains("posted", await NotificationKindsAsync(r));
    }

    [Fact]
    public async Task A_supplement_pauses_the_clock_is_allowed_once_and_resumes_with_the_remaining_days()
    {
        var r = await ReceivedAsync();
        await r.DoAsync(officer, "claim");
        var paused = await r.DoAsync(officer, "supplement-request", new { items = new[] { new { documentCode = "application-form", description = "Thiếu chữ ký trên tờ khai." } } });
        Assert.Equal("SupplementRequested", Status(paused));
        Assert.True(paused.GetProperty("clockPaused").GetBoolean());
        var before = DateOnly.Parse(paused.GetProperty("appointmentDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        using (var second = await r.ActAsync(officer, "supplement-request", new { items = new[] { new { description = "Thêm giấy tờ." } } }))
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);

        DateOnly after;
        try
        {
            api.Clock.Advance(TimeSpan.FromDays(7));   // the citizen answers a week later
            var resumed = await r.DoAsync(anonymous, "supplement", new { note = "Đã ký bổ sung." }, withSecret: true);
            Assert.Equal("InVerification", Status(resumed));
            Assert.False(resumed.GetProperty("clockPaused").GetBoolean());
            after = DateOnly.Parse(resumed.GetProperty("appointmentDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            api.Clock.Reset();
        }
        Assert.True(after > before, $"the wait must not count: {before} → {after}");
        Assert.Contains("supplement-requested", await NotificationKindsAsync(r));
    }

    [Fact]
    public async Task A_provincial_officer_may_override_the_once_rule_with_a_reason()
    {
        var r = await ReceivedAsync();
        await r.DoAsync(officer, "supplement-request", new { items = new[] { new { description = "Thiếu tờ khai." } } });
        await r.DoAsync(anonymous, "supplement", new { note = "Đã nộp." }, withSecret: true);
        using (var noReason = await r.ActAsync(province, "supplement-request", new { items = new[] { new { description = "Thiếu xác nhận." } } }))
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var again = await r.DoAsync(province, "supplement-request",
            new { items = new[] { new { description = "Thiếu xác nhận." } }, overrideReason = "Giấy xác nhận mới ban hành sau khi nộp." });
        Assert.Equal("SupplementRequested", Status(again));
    }

    [Fact]
    public async Task Rejection_needs_reasons_and_is_a_denied_result()
    {
        var r = await ReceivedAsync();
        await r.DoAsync(officer, "claim");
        await r.DoAsync(officer, "forwarding", new { });
        using (var noReason = await r.ActAsync(chair, "rejection", new { }))
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var denied = await r.DoAsync(chair, "rejection", new { reasons = "Có người có nghĩa vụ phụng dưỡng." });
        Assert.Equal("ResultReady", Status(denied));
        Assert.Equal("Denied", denied.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task The_owner_withdraws_before_a_decision_and_nothing_can_follow()
    {
        var person = ADossier.UniqueIdNumber();
        var citizen = api.As("citizen", idNumber: person);
        var r = await ADossier.Valid().ForPerson(person).LivingIn(Ward).SubmitAsync(citizen);
        await r.AfterIntakeAsync(anonymous);
        var mine = await (await citizen.GetAsync("/api/v1/me/dossiers")).ReadJsonAsync();
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), d => d.GetProperty("code").GetString() == r.Code);

        var withdrawn = await r.DoAsync(citizen, "withdrawal", new { reason = "Đã chuyển nơi ở." });
        Assert.Equal("Withdrawn", Status(withdrawn));
        using var late = await r.ActAsync(officer, "claim");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    // The deadline (the officer's warning, the delay notice, the escalation when nobody acted): DelayNoticeTests.

    [Fact]
    public async Task An_applicant_who_asked_for_English_gets_English_messages_and_others_Vietnamese()
    {
        using var english = api.CreateClient();
        english.DefaultRequestHeaders.Add("Accept-Language", "en");
        var r = await ADossier.Valid().LivingIn(Ward).SubmitAsync(english);
        var vi = await ReceivedAsync();
        await r.AfterIntakeAsync(anonymous);

        Assert.Equal("Submitted, being routed to the ward", r.Json.GetProperty("statusLabel").GetString());
        Assert.Equal(["Dossier " + r.Code + " received"], await NotificationSubjectsAsync(r));
        Assert.Equal(["Hồ sơ " + vi.Code + " đã được tiếp nhận"], await NotificationSubjectsAsync(vi));
    }

    private async Task<List<string>> NotificationSubjectsAsync(Receipt r) =>
        (await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/notifications");
            request.Headers.Add("X-Tracking-Secret", r.Secret);
            using var response = await anonymous.SendAsync(request);
            return (await response.ReadJsonAsync()).EnumerateArray().ToList();
        }, list => list.Count > 0, TimeSpan.FromSeconds(20), "the received notification"))
        .Select(n => n.GetProperty("subject").GetString()!).ToList();

    [Fact]
    public async Task A_missing_If_Match_answers_428_and_a_stale_one_412_changing_nothing()
    {
        var r = await ReceivedAsync();
        using (var missing = await r.ActAsync(officer, "claim", etag: ""))
            Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        var stale = await r.ETagAsync(anonymous);
        await r.DoAsync(officer, "claim");
        using (var late = await r.ActAsync(officer, "verification", new { findings = "x" }, etag: stale))
            Assert.Equal(HttpStatusCode.PreconditionFailed, late.StatusCode);
        Assert.DoesNotContain("Verified", await r.EventKindsAsync(anonymous));
    }

    [Fact]
    public async Task The_ward_queue_pages_by_appointment_date_and_filters()
    {
        for (var i = 0; i < 3; i++) await ReceivedAsync();
        var first = await (await officer.GetAsync($"/api/v1/wards/{Ward}/dossiers?status=Received&limit=2")).ReadJsonAsync();
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var after = first.GetProperty("nextAfter").GetString();
        var second = await (await officer.GetAsync($"/api/v1/wards/{Ward}/dossiers?status=Received&limit=2&after={after}")).ReadJsonAsync();
        var codes = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(d => d.GetProperty("code").GetString()).ToList();
        Assert.Equal(codes.Distinct().Count(), codes.Count);
        Assert.All(second.GetProperty("items").EnumerateArray(), d => Assert.Equal("Received", d.GetProperty("status").GetString()));

        var byName = await (await officer.GetAsync($"/api/v1/wards/{Ward}/dossiers?q=nguyen%20thi%20lan&limit=5")).ReadJsonAsync();
        Assert.NotEmpty(byName.GetProperty("items").EnumerateArray());
        using var bad = await officer.GetAsync($"/api/v1/wards/{Ward}/dossiers?status=Nope");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private async Task<List<string>> NotificationKindsAsync(Receipt r) =>
        (await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/notifications");
            request.Headers.Add("X-Tracking-Secret", r.Secret);
            using var response = await anonymous.SendAsync(request);
            return (await response.ReadJsonAsync()).EnumerateArray().ToList();
        }, list => list.Count > 0 && list.All(n => n.GetProperty("status").GetString() == "sent"), TimeSpan.FromSeconds(20), "notifications to be sent"))
        .Select(n => n.GetProperty("kind").GetString()!).ToList();

    internal static JsonElement ExampleForm(string code)
    {
        var assembly = typeof(Program).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Seed.procedures.json", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(assembly.GetManifestResourceStream(name)!);
        return doc.RootElement.EnumerateArray().Single(p => p.GetProperty("code").GetString() == code).GetProperty("exampleForm").Clone();
    }

    public void Dispose()
    {
        api.Clock.Reset();
        foreach (var c in new[] { anonymous, officer, chair, province }) c.Dispose();
    }
}
