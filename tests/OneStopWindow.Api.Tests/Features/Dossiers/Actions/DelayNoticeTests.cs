using System.Net;
using System.Text.Json;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

/// <summary>
/// The deadline over HTTP: the officer's warning, the delay notice (Form 04) and the escalation when nobody acted. Source of
/// every case unless it names another: Decree 61/2018, carried into Decree 118/2025 (wording there unconfirmed; DOMAIN.md
/// §1.7, §10 item 4) — the handling unit sends the apology with the reason and the one new date no later than one working
/// day before the deadline; the system warns in time and escalates, and writes no letter itself. The watch runs in the
/// test (<see cref="Deadlines.WatchDeadlinesAsync"/>) at days set in Vietnam time on the service's own calendar.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class DelayNoticeTests(ApiFactory api) : IDisposable
{
    private const string Ward = "04795";
    private const string Reason = "Cần xác minh thêm thông tin cư trú với Công an xã nơi ở trước đây.";
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-delay");
    private readonly HttpClient otherWardOfficer = api.As("ward-officer", "04828", subject: "officer-elsewhere");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-delay");
    private readonly HttpClient province = api.As("provincial-officer", subject: "province-delay");

    private async Task<(Receipt Receipt, DateOnly Due)> ClaimedAsync()
    {
        var r = await ADossier.Valid().LivingIn(Ward).SubmitAsync(anonymous);
        Assert.Equal("Received", (await r.AfterIntakeAsync(anonymous)).GetProperty("status").GetString());
        var claimed = await r.DoAsync(officer, "claim");
        return (r, claimed.AppointmentDate());
    }

    private static object Notice(DateOnly newDate, string? reason = Reason) => new { reason, newAppointmentDate = newDate.ToString("yyyy-MM-dd", null) };

    private static string ProblemType(JsonElement problem) => problem.GetProperty("type").GetString()!;

    [Fact]
    public async Task The_warning_fires_three_working_days_before_the_deadline_not_four()
    {
        var (r, due) = await ClaimedAsync();
        var calendar = await api.CalendarAsync();

        api.SetVietnamDay(calendar.WorkingDaysBefore(due, 4));
        await api.WatchDeadlinesAsync();
        Assert.DoesNotContain("AtRisk", await r.EventKindsAsync(province));
        Assert.False((await r.StatusAsync(officer)).GetProperty("atRisk").GetBoolean());

        api.SetVietnamDay(calendar.WorkingDaysBefore(due, 3));   // over a weekend or a holiday when the calendar has one there
        await api.WatchDeadlinesAsync();
        Assert.Contains("AtRisk", await r.EventKindsAsync(province));
        Assert.True((await r.StatusAsync(officer)).GetProperty("atRisk").GetBoolean());
        var warning = (await NotificationsAsync(officer, r, "at-risk")).Single(n => n.GetProperty("kind").GetString() == "at-risk");
        Assert.Equal("staff", warning.GetProperty("audience").GetString());
        Assert.Contains("3 ngày làm việc", warning.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains(Templates.Date(calendar.WorkingDaysBefore(due, 1)), warning.GetProperty("body").GetString(), StringComparison.Ordinal);

        // The warning is the officer's: the applicant sees neither the event nor the message.
        Assert.DoesNotContain("AtRisk", await r.EventKindsAsync(anonymous));
        Assert.DoesNotContain(await NotificationsAsync(anonymous, r, null), n => n.GetProperty("kind").GetString() == "at-risk");
    }

    [Fact]
    public async Task The_officer_sends_the_notice_on_the_last_working_day_before_the_deadline_and_the_applicant_gets_the_letter()
    {
        var (r, due) = await ClaimedAsync();
        var calendar = await api.CalendarAsync();
        var newDate = calendar.AddWorkingDays(due, 5);

        api.SetVietnamDay(calendar.WorkingDaysBefore(due, 1), hour: 16);
        var moved = await r.DoAsync(officer, "delay-notice", Notice(newDate));
        Assert.Equal(newDate, moved.AppointmentDate());
        Assert.False(moved.GetProperty("atRisk").GetBoolean());   // six working days to go
        var notice = moved.GetProperty("delayNotice");
        Assert.Equal(Reason, notice.GetProperty("reason").GetString());
        Assert.Equal(due.ToString("yyyy-MM-dd", null), notice.GetProperty("originalAppointmentDate").GetString());
        Assert.Equal(newDate.ToString("yyyy-MM-dd", null), notice.GetProperty("newAppointmentDate").GetString());

        // The applicant's timeline shows the letter with the reason and the new date; so does their view of the dossier.
        var letter = (await r.TimelineAsync(anonymous)).GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "DelayNoticeIssued");
        Assert.Contains("Mẫu 04", letter.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Contains(Reason.TrimEnd('.'), letter.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Contains(Templates.Date(newDate), letter.GetProperty("note").GetString(), StringComparison.Ordinal);
        var seen = await r.StatusAsync(anonymous);
        Assert.Equal(Reason, seen.GetProperty("delayNotice").GetProperty("reason").GetString());
        Assert.Equal(newDate, seen.AppointmentDate());
        var message = (await NotificationsAsync(anonymous, r, "delay-notice")).Single(n => n.GetProperty("kind").GetString() == "delay-notice");
        Assert.Equal("citizen", message.GetProperty("audience").GetString());
        Assert.Contains(Reason.TrimEnd('.'), message.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains(Templates.Date(newDate), message.GetProperty("body").GetString(), StringComparison.Ordinal);

        // The new date may be set only once.
        using (var second = await r.ActAsync(officer, "delay-notice", Notice(calendar.AddWorkingDays(newDate, 2))))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.EndsWith("delay-notice-already-given", ProblemType(await second.ReadJsonAsync()), StringComparison.Ordinal);
        }

        // The old date passing is no longer late, and the officer is warned again before the new one, which cannot move again.
        api.SetVietnamDay(calendar.WorkingDaysBefore(newDate, 3));   // after the old date
        await api.WatchDeadlinesAsync();
        var again = await r.StatusAsync(officer);
        Assert.False(again.GetProperty("overdue").GetBoolean());
        Assert.True(again.GetProperty("atRisk").GetBoolean());
        var warning = (await r.TimelineAsync(province)).GetProperty("events").EnumerateArray().Last(e => e.GetProperty("kind").GetString() == "AtRisk");
        Assert.Contains("không thể hẹn lại nữa", warning.GetProperty("note").GetString(), StringComparison.Ordinal);

        // The moved date passing is late: overdue and escalated, the date unchanged.
        api.SetVietnamDay(calendar.AddWorkingDays(newDate, 1));
        await api.WatchDeadlinesAsync();
        var late = await r.StatusAsync(anonymous);
        Assert.True(late.GetProperty("overdue").GetBoolean());
        Assert.True(late.GetProperty("escalated").GetBoolean());
        Assert.Equal(newDate, late.AppointmentDate());
        var kinds = await r.EventKindsAsync(province);
        Assert.Equal(1, kinds.Count(k => k == "DelayNoticeIssued"));
        Assert.Contains("Escalated", kinds);
        Assert.DoesNotContain("ApologyIssued", kinds);
    }

    [Fact]
    public async Task A_notice_on_the_deadline_day_or_after_is_refused_and_changes_nothing()
    {
        var (r, due) = await ClaimedAsync();
        var calendar = await api.CalendarAsync();
        foreach (var day in new[] { due, calendar.AddWorkingDays(due, 1) })
        {
            api.SetVietnamDay(day, hour: 8);
            using var late = await r.ActAsync(officer, "delay-notice", Notice(calendar.AddWorkingDays(due, 5)));
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            var problem = await late.ReadJsonAsync();
            Assert.EndsWith("delay-notice-too-late", ProblemType(problem), StringComparison.Ordinal);
            Assert.Contains(Templates.Date(calendar.WorkingDaysBefore(due, 1)), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(due, (await r.StatusAsync(anonymous)).AppointmentDate());
        Assert.DoesNotContain("DelayNoticeIssued", await r.EventKindsAsync(province));
    }

    [Fact]
    public async Task A_new_date_that_is_not_a_working_day_after_the_current_one_is_a_validation_error()
    {
        var (r, due) = await ClaimedAsync();
        var calendar = await api.CalendarAsync();
        var saturday = due.AddDays(1);
        while (saturday.DayOfWeek != DayOfWeek.Saturday || calendar.IsWorkingDay(saturday)) saturday = saturday.AddDays(1);
        api.SetVietnamDay(calendar.WorkingDaysBefore(due, 2));
        foreach (var wrong in new[] { due, calendar.WorkingDaysBefore(due, 1), saturday })
        {
            using var refused = await r.ActAsync(officer, "delay-notice", Notice(wrong));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("newAppointmentDate", out _), $"{wrong}: no field error");
        }
        using (var noReason = await r.ActAsync(officer, "delay-notice", Notice(calendar.AddWorkingDays(due, 3), reason: " ")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.True((await noReason.ReadJsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        }
        Assert.Equal(due, (await r.StatusAsync(anonymous)).AppointmentDate());
    }

    [Fact]
    public async Task Nobody_acted_the_dossier_is_overdue_and_escalated_with_no_letter_and_the_same_date()
    {
        var (r, due) = await ClaimedAsync();
        var calendar = await api.CalendarAsync();
        api.SetVietnamDay(calendar.AddWorkingDays(due, 1));
        await api.WatchDeadlinesAsync();

        var status = await r.StatusAsync(anonymous);
        Assert.True(status.GetProperty("overdue").GetBoolean());
        Assert.True(status.GetProperty("escalated").GetBoolean());
        Assert.Equal(due, status.AppointmentDate());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("delayNotice").ValueKind);
        var kinds = await r.EventKindsAsync(province);
        Assert.Contains("Overdue", kinds);
        Assert.Contains("Escalated", kinds);
        Assert.DoesNotContain("ApologyIssued", kinds);
        Assert.DoesNotContain("DelayNoticeIssued", kinds);
        Assert.Contains("Overdue", await r.EventKindsAsync(anonymous));
        Assert.DoesNotContain("Escalated", await r.EventKindsAsync(anonymous));   // staff only
        Assert.DoesNotContain(await NotificationsAsync(anonymous, r, null),
            n => n.GetProperty("kind").GetString() is "delay-notice" or "overdue-apology");

        // The provincial officers are told: the dossier is on their escalation queue.
        var escalations = await (await province.GetAsync($"/api/v1/escalations?limit=200&q={r.Code}")).ReadJsonAsync();
        Assert.Contains(escalations.GetProperty("items").EnumerateArray(), d => d.GetProperty("code").GetString() == r.Code);

        // Marked once: another run records nothing more.
        await api.WatchDeadlinesAsync();
        Assert.Equal(1, (await r.EventKindsAsync(province)).Count(k => k == "Overdue"));
    }

    /// <summary>
    /// "When nobody has by then, the dossier escalates": once the last working day for a notice has passed (on the deadline day
    /// itself, before the date is overdue), the province is told; the dossier is not overdue yet and keeps its date.
    /// </summary>
    [Fact]
    public async Task Nobody_sent_a_notice_by_the_last_working_day_the_dossier_is_escalated_on_the_deadline_day()
    {
        var (r, due) = await ClaimedAsync();
        var calendar = await api.CalendarAsync();
        api.SetVietnamDay(calendar.WorkingDaysBefore(due, 1), hour: 16);
        await api.WatchDeadlinesAsync();
        Assert.False((await r.StatusAsync(officer)).GetProperty("escalated").GetBoolean());   // the officer may still send it today

        api.SetVietnamDay(due, hour: 8);
        await api.WatchDeadlinesAsync();

        var status = await r.StatusAsync(officer);
        Assert.True(status.GetProperty("escalated").GetBoolean());
        Assert.False(status.GetProperty("overdue").GetBoolean());
        Assert.Equal(due, status.AppointmentDate());
        Assert.Contains("Escalated", await r.EventKindsAsync(province));
        Assert.DoesNotContain("Overdue", await r.EventKindsAsync(province));
        Assert.DoesNotContain("Escalated", await r.EventKindsAsync(anonymous));   // staff only
        var escalations = await (await province.GetAsync($"/api/v1/escalations?limit=200&q={r.Code}")).ReadJsonAsync();
        Assert.Contains(escalations.GetProperty("items").EnumerateArray(), d => d.GetProperty("code").GetString() == r.Code);

        // The next day it is overdue, escalated once.
        api.SetVietnamDay(calendar.AddWorkingDays(due, 1));
        await api.WatchDeadlinesAsync();
        Assert.True((await r.StatusAsync(officer)).GetProperty("overdue").GetBoolean());
        Assert.Equal(1, (await r.EventKindsAsync(province)).Count(k => k == "Escalated"));
    }

    /// <summary>A paused clock never counts (DOMAIN.md §1.6, §10 item 8): waiting for a supplement, a dossier is neither at risk nor overdue.</summary>
    [Fact]
    public async Task A_paused_dossier_is_never_marked_and_takes_no_notice()
    {
        var (r, due) = await ClaimedAsync();
        await r.DoAsync(officer, "supplement-request", new { items = new[] { new { description = "Thiếu chữ ký trên tờ khai." } } });
        var calendar = await api.CalendarAsync();
        foreach (var day in new[] { calendar.WorkingDaysBefore(due, 2), calendar.AddWorkingDays(due, 10) })
        {
            api.SetVietnamDay(day);
            await api.WatchDeadlinesAsync();
            var status = await r.StatusAsync(anonymous);
            Assert.True(status.GetProperty("clockPaused").GetBoolean());
            Assert.False(status.GetProperty("atRisk").GetBoolean());
            Assert.False(status.GetProperty("overdue").GetBoolean());
        }
        var kinds = await r.EventKindsAsync(province);
        Assert.DoesNotContain("AtRisk", kinds);
        Assert.DoesNotContain("Overdue", kinds);
        api.SetVietnamDay(calendar.WorkingDaysBefore(due, 2));
        using var paused = await r.ActAsync(officer, "delay-notice", Notice(calendar.AddWorkingDays(due, 5)));
        Assert.Equal(HttpStatusCode.Conflict, paused.StatusCode);
        Assert.EndsWith("transition-not-allowed", ProblemType(await paused.ReadJsonAsync()), StringComparison.Ordinal);
    }

    /// <summary>As every officer action: another ward's staff do not see the dossier (404); other staff roles may not act (403).</summary>
    [Fact]
    public async Task Only_an_officer_of_the_handling_ward_sends_the_notice()
    {
        var (r, due) = await ClaimedAsync();
        var calendar = await api.CalendarAsync();
        api.SetVietnamDay(calendar.WorkingDaysBefore(due, 2));
        var body = Notice(calendar.AddWorkingDays(due, 5));
        using (var elsewhere = await r.ActAsync(otherWardOfficer, "delay-notice", body, etag: await r.ETagAsync(anonymous)))
            Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        foreach (var client in new[] { chair, province })
        {
            using var refused = await r.ActAsync(client, "delay-notice", body, etag: await r.ETagAsync(anonymous));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using (var applicant = await r.ActAsync(anonymous, "delay-notice", body, etag: await r.ETagAsync(anonymous), withSecret: true))
            Assert.Equal(HttpStatusCode.Unauthorized, applicant.StatusCode);   // a staff endpoint: the tracking secret is no sign-in
        Assert.Equal(due, (await r.StatusAsync(anonymous)).AppointmentDate());
    }

    /// <summary>The dossier's notifications as <paramref name="client"/> sees them, once <paramref name="kind"/> (if given) is there.</summary>
    private static async Task<List<JsonElement>> NotificationsAsync(HttpClient client, Receipt r, string? kind) =>
        await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/notifications");
            request.Headers.Add("X-Tracking-Secret", r.Secret);
            using var response = await client.SendAsync(request);
            return (await response.ReadJsonAsync()).EnumerateArray().ToList();
        }, list => kind is null || list.Any(n => n.GetProperty("kind").GetString() == kind), TimeSpan.FromSeconds(20), $"the {kind} notification");

    public void Dispose()
    {
        api.Clock.Reset();
        foreach (var c in new[] { anonymous, officer, otherWardOfficer, chair, province }) c.Dispose();
    }
}
