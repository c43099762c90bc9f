using System.Net;
using System.Text.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

/// <summary>
/// Refusal at reception (Form 03 "Phiếu từ chối tiếp nhận giải quyết hồ sơ", Circular 01/2018/TT-VPCP; national status 3;
/// DOMAIN.md §1.3, §1.4, §10 item 5): the ward officer refuses a received dossier before anyone claims it, with a reason from
/// the closed list and a written explanation; the dossier ends and the applicant is told.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class ReceptionRefusalTests(ApiFactory api) : IDisposable
{
    private const string Ward = "04795";
    private const string Explanation = "Trợ cấp thất nghiệp do Trung tâm Dịch vụ việc làm tỉnh giải quyết; đề nghị nộp hồ sơ tại Trung tâm.";
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-refuse");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-refuse");

    private static readonly object Refusal = new { reason = "outside-competence", explanation = Explanation };

    private async Task<Receipt> ReceivedAsync(ADossier? dossier = null)
    {
        var receipt = await (dossier ?? ADossier.Valid()).LivingIn(Ward).SubmitAsync(anonymous);
        Assert.Equal("Received", (await receipt.AfterIntakeAsync(anonymous)).GetProperty("status").GetString());
        return receipt;
    }

    [Fact]
    public async Task An_officer_refuses_a_received_dossier_with_Form_03_reasons_and_the_applicant_is_told()
    {
        var events = await api.RegisterClientAsync(["events:read"]);
        using var feed = api.WithKey(events.Key);
        var (_, start) = await feed.ReadAllEventsAsync();
        using var province = api.As("provincial-officer");
        var r = await ReceivedAsync();

        var refused = await r.DoAsync(officer, "reception-refusal", Refusal);

        Assert.Equal("RefusedAtReception", refused.GetProperty("status").GetString());
        Assert.Equal(3, refused.GetProperty("nationalStatusCode").GetInt32());
        Assert.False(refused.GetProperty("overdue").GetBoolean());
        // The applicant's own view (tracking secret) shows the Form 03 reasons.
        var seen = await r.StatusAsync(anonymous);
        Assert.Equal("Không được tiếp nhận", seen.GetProperty("statusLabel").GetString());
        var form = seen.GetProperty("receptionRefusal");
        Assert.Equal("03", form.GetProperty("form").GetString());
        Assert.Equal("outside-competence", form.GetProperty("reason").GetString());
        Assert.Contains("thẩm quyền", form.GetProperty("reasonLabel").GetString()!, StringComparison.Ordinal);
        Assert.Equal(Explanation, form.GetProperty("explanation").GetString());
        // The timeline the applicant reads carries the refusal with its reasons.
        var timeline = (await r.TimelineAsync(anonymous)).GetProperty("events").EnumerateArray().ToList();
        var refusalEvent = Assert.Single(timeline, e => e.GetProperty("kind").GetString() == "RefusedAtReception");
        Assert.Contains(Explanation, refusalEvent.GetProperty("note").GetString()!, StringComparison.Ordinal);
        Assert.Contains("Mẫu 03", refusalEvent.GetProperty("note").GetString()!, StringComparison.Ordinal);
        // The applicant is told (notification sent), with the reason.
        var told = await Eventually.ReturnsAsync(() => NotificationsAsync(r), list => list.Any(n => n.GetProperty("kind").GetString() == "reception-refused"
            && n.GetProperty("status").GetString() == "sent"), TimeSpan.FromSeconds(20), "the refusal notification to be sent");
        var message = told.First(n => n.GetProperty("kind").GetString() == "reception-refused");
        Assert.Contains(Explanation, message.GetProperty("body").GetString()!, StringComparison.Ordinal);
        // Integration payloads carry national status 3.
        var (all, _) = await feed.ReadAllEventsAsync(start);
        var evt = Assert.Single(all, e => e.GetProperty("dossier").GetProperty("code").GetString() == r.Code && e.GetProperty("type").GetString() == "RefusedAtReception");
        Assert.Equal(3, evt.GetProperty("dossier").GetProperty("nationalStatusCode").GetInt32());
        Assert.Equal("RefusedAtReception", evt.GetProperty("dossier").GetProperty("status").GetString());
        // Stored: reason, explanation, and the day it closed; the reports close it without a decision on the merits.
        Assert.Equal("outside-competence", await api.ScalarAsync<string>("SELECT refusal_reason FROM dossier WHERE code = @Code", new { r.Code }));
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM dossier_report p JOIN dossier d ON d.id = p.dossier_id WHERE d.code = @Code AND p.status = 'RefusedAtReception' "
                + "AND p.closed_day IS NOT NULL AND p.decided_day IS NULL", new { r.Code }),
            n => n == 1, TimeSpan.FromSeconds(20), "the report row to close the refused dossier");
        // The report counts the refusals received that day: as many as the report rows say (this one among them).
        var day = await api.ScalarAsync<string>("SELECT p.received_day FROM dossier_report p JOIN dossier d ON d.id = p.dossier_id WHERE d.code = @Code", new { r.Code });
        await Eventually.ReturnsAsync(async () => (Reported: await RefusalsReportedAsync(province, day), Rows: await api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM dossier_report WHERE status = 'RefusedAtReception' AND received_day = @Day", new { Day = day })),
            c => c.Rows >= 1 && c.Reported == c.Rows, TimeSpan.FromSeconds(20), "the report to count the refusals at reception");
    }

    private static async Task<long> RefusalsReportedAsync(HttpClient province, string day)
    {
        using var response = await province.GetAsync($"/api/v1/reports/summary?from={day}&to={day}");
        return (await response.ReadJsonAsync()).GetProperty("total").GetProperty("refusedAtReception").GetInt64();
    }

    [Fact]
    public async Task A_claimed_dossier_can_no_longer_be_refused_at_reception()
    {
        var r = await ReceivedAsync();
        await r.DoAsync(officer, "claim");
        using var response = await r.ActAsync(officer, "reception-refusal", Refusal);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("InVerification", (await r.StatusAsync(anonymous)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_an_officer_of_the_handling_ward_refuses_at_reception()
    {
        var r = await ReceivedAsync();
        using (var byChair = await r.ActAsync(chair, "reception-refusal", Refusal))
            Assert.Equal(HttpStatusCode.Forbidden, byChair.StatusCode);
        using (var otherWard = await r.ActAsync(api.As("ward-officer", "04828"), "reception-refusal", Refusal))
            Assert.Equal(HttpStatusCode.NotFound, otherWard.StatusCode);
        using (var applicant = await r.ActAsync(anonymous, "reception-refusal", Refusal, withSecret: true))
            Assert.Equal(HttpStatusCode.Unauthorized, applicant.StatusCode);
        Assert.Equal("Received", (await r.StatusAsync(anonymous)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_reason_comes_from_the_closed_list_of_Form_03_and_the_explanation_is_required()
    {
        var r = await ReceivedAsync();
        using var response = await r.ActAsync(officer, "reception-refusal", new { reason = "not-eligible", explanation = " " });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Contains("outside-competence", errors.GetProperty("reason")[0].GetString()!, StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("explanation", out _));
        Assert.Equal("Received", (await r.StatusAsync(anonymous)).GetProperty("status").GetString());
        // The other reason of the list is accepted.
        var refused = await r.DoAsync(officer, "reception-refusal", new { reason = "not-covered-by-procedure", explanation = "Đề nghị cấp giấy xác nhận cư trú không thuộc thủ tục này." });
        Assert.Equal("RefusedAtReception", refused.GetProperty("status").GetString());
    }

    /// <summary>A refused dossier is finished (Deadline.Finished): it blocks no new filing, cannot be withdrawn, and may be rated (Decision 766/QĐ-TTg).</summary>
    [Fact]
    public async Task A_refused_dossier_does_not_block_a_new_filing_cannot_be_withdrawn_and_may_be_rated()
    {
        var person = ADossier.UniqueIdNumber();
        var first = await ReceivedAsync(ADossier.Valid().ForPerson(person));
        await first.DoAsync(officer, "reception-refusal", Refusal);

        using (var withdraw = await first.ActAsync(anonymous, "withdrawal", new { reason = "Nộp lại." }, withSecret: true))
            Assert.Equal(HttpStatusCode.Conflict, withdraw.StatusCode);
        Assert.Equal(2, (await first.DoAsync(anonymous, "rating", new { score = 2 }, withSecret: true)).GetProperty("rating").GetInt32());

        var second = await ReceivedAsync(ADossier.Valid().ForPerson(person));
        using var read = await officer.GetAsync($"/api/v1/dossiers/{second.Code}");
        var staffView = await read.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, staffView.GetProperty("possibleDuplicateOf").ValueKind);
    }

    private async Task<List<JsonElement>> NotificationsAsync(Receipt r)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/notifications");
        request.Headers.Add("X-Tracking-Secret", r.Secret);
        using var response = await anonymous.SendAsync(request);
        return (await response.ReadJsonAsync()).EnumerateArray().ToList();
    }

    public void Dispose()
    {
        foreach (var c in new[] { anonymous, officer, chair }) c.Dispose();
    }
}
