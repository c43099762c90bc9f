using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Calendar;

/// <summary>
/// The working calendar as administered data (issue 17, DOMAIN.md §5 and §10 item 6). Labour Code 2019 Art. 112(3): the Prime
/// Minister decides each year's schedule, so a year is provisional until its notice is recorded; a promised appointment keeps its
/// date unless a recorded notice makes it a day off, and then the officer is asked for a delay notice (Form 04, Decree 61/2018).
/// Each test uses its own year: 2027 (replacement and deadlines), 2028 (refusals), 2029 (a bad stored row), 2026 (the seed and
/// an administrator's notice, changing no working day), 2030 is the OpenAPI example's.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class CalendarAdministrationTests(ApiFactory api)
{
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient admin = api.As("administrator", subject: "admin-calendar");
    private readonly HttpClient province = api.As("provincial-officer", subject: "province-calendar");

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private async Task<JsonElement> YearAsync(int year)
    {
        using var response = await anonymous.GetAsync($"/api/v1/calendar/{year}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private async Task<JsonElement> HistoryAsync(int year)
    {
        using var response = await admin.GetAsync($"/api/v1/calendar/{year}/history");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static JsonObject Notice(string number, string date = "2026-11-20") =>
        new() { ["number"] = number, ["date"] = date, ["title"] = "Thông báo thử nghiệm về lịch nghỉ (ví dụ trong kiểm thử)" };

    /// <summary>The year's entries as GET shows them, ready to be sent back (the read-modify-write an administrator does).</summary>
    private static JsonArray Entries(JsonElement year) => new([.. year.GetProperty("entries").EnumerateArray().Select(e => (JsonNode)new JsonObject
    {
        ["date"] = e.GetProperty("date").GetString(),
        ["kind"] = e.GetProperty("kind").GetString(),
        ["name"] = e.GetProperty("name").GetString(),
        ["source"] = e.GetProperty("source").GetString(),
    })]);

    private Task<HttpResponseMessage> PutAsync(HttpClient client, int year, JsonObject notice, JsonArray entries) =>
        client.PutAsJsonAsync($"/api/v1/calendar/{year}", new JsonObject { ["notice"] = notice.DeepClone(), ["entries"] = entries.DeepClone() });

    /// <summary>Tết 2027 falls on a Saturday like Tết 2024, whose official days off were Thu 8 – Wed 14 Feb instead of the default
    /// Fri 9 – Thu 15 (DOMAIN.md §10 item 6). A notice placing 2027 the same way: off Thu 4 – Wed 10 Feb (default: Fri 5 – Thu 11).</summary>
    private static JsonArray Placed2027(JsonElement provisional)
    {
        var kept = provisional.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("date").GetString() is not ("2027-02-05" or "2027-02-06"
            or "2027-02-07" or "2027-02-08" or "2027-02-09" or "2027-02-10" or "2027-02-11"));
        var entries = new JsonArray([.. kept.Select(e => (JsonNode)new JsonObject
        {
            ["date"] = e.GetProperty("date").GetString(),
            ["kind"] = e.GetProperty("kind").GetString(),
            ["name"] = e.GetProperty("name").GetString(),
            ["source"] = e.GetProperty("source").GetString(),
        })]);
        foreach (var (date, kind, name) in new[]
        {
            ("2027-02-04", "Holiday", "Tết Nguyên đán"), ("2027-02-05", "Holiday", "Tết Nguyên đán (ngày cuối năm âm lịch)"),
            ("2027-02-06", "Holiday", "Tết Nguyên đán (mùng 1)"), ("2027-02-07", "Holiday", "Tết Nguyên đán (mùng 2)"),
            ("2027-02-08", "Holiday", "Tết Nguyên đán (mùng 3)"), ("2027-02-09", "CompensatoryDayOff", "Nghỉ bù Tết (thứ Bảy 06/02)"),
            ("2027-02-10", "CompensatoryDayOff", "Nghỉ bù Tết (Chủ nhật 07/02)"),
        })
            entries.Add(new JsonObject { ["date"] = date, ["kind"] = kind, ["name"] = name });
        return entries;
    }

    [Fact]
    public async Task Recording_the_2027_notice_ends_the_provisional_year_moves_later_deadlines_and_asks_for_a_delay_notice_where_a_promised_date_became_a_day_off()
    {
        var before = await YearAsync(2027);
        Assert.True(before.GetProperty("provisional").GetBoolean());   // Art. 112(3): the default rule is a guess until the notice
        Assert.Equal(JsonValueKind.Null, before.GetProperty("notice").ValueKind);
        var versionBefore = before.GetProperty("calendarVersion").GetInt32();

        // Thursday 21 Jan 2027, 09:00 in Vietnam: 10 working days (BTXH-01) end Thu 4 Feb on the default calendar (Civil Code Art. 147).
        api.SetVietnamDay(new DateOnly(2027, 1, 21), hour: 9);
        try
        {
            var promised = await ADossier.Valid().SubmitAsync(anonymous);
            Assert.Equal("2027-02-04", promised.Json.GetProperty("appointmentDate").GetString());
            await promised.AfterIntakeAsync(anonymous);
            var promisedVersion = (await promised.StatusAsync(province)).GetProperty("calendarVersion").GetInt32();
            // A dossier of a split former commune waits for the province (AwaitingReverification): no ward officer can send its notice.
            var atProvince = await ADossier.Valid().LivingIn("04891", "pre2025").SubmitAsync(anonymous);
            Assert.Equal("AwaitingReverification", (await atProvince.AfterIntakeAsync(anonymous)).GetProperty("status").GetString());
            Assert.Equal("2027-02-04", (await atProvince.StatusAsync(province)).GetProperty("appointmentDate").GetString());

            using (var put = await PutAsync(admin, 2027, Notice("TEST-2027/TB-BNV", "2027-01-20"), Placed2027(before)))
            {
                var year = await put.ReadJsonAsync();
                Assert.True(put.IsSuccessStatusCode, year.ToString());
                Assert.False(year.GetProperty("provisional").GetBoolean());
                Assert.Equal("TEST-2027/TB-BNV", year.GetProperty("notice").GetProperty("number").GetString());
                Assert.True(year.GetProperty("calendarVersion").GetInt32() > versionBefore);
            }
            // The node that recorded it computes with it at once: the same receipt time now ends Thu 11 Feb (4–10 Feb are off).
            var later = await ADossier.Valid().SubmitAsync(anonymous);
            Assert.Equal("2027-02-11", later.Json.GetProperty("appointmentDate").GetString());
            Assert.True((await later.StatusAsync(province)).GetProperty("calendarVersion").GetInt32() > promisedVersion);

            // The promised date is kept; the officer is asked for a delay notice, staff only.
            var staffView = await promised.StatusAsync(province);
            Assert.Equal("2027-02-04", staffView.GetProperty("appointmentDate").GetString());
            Assert.Equal(promisedVersion, staffView.GetProperty("calendarVersion").GetInt32());
            var events = (await promised.TimelineAsync(province)).GetProperty("events").EnumerateArray().ToList();
            var asked = Assert.Single(events, e => e.GetProperty("kind").GetString() == "DelayNoticeNeeded");
            Assert.Contains("TEST-2027/TB-BNV", asked.GetProperty("note").GetString(), StringComparison.Ordinal);
            Assert.Contains("Mẫu 04", asked.GetProperty("note").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("DelayNoticeNeeded", await promised.AllEventKindsAsync(anonymous));
            Assert.Equal(JsonValueKind.Null, (await promised.StatusAsync(anonymous)).GetProperty("calendarVersion").ValueKind);
            Assert.Equal(1, await api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM notification n JOIN dossier d ON d.id = n.dossier_id WHERE d.code = @Code AND n.kind = 'delay-notice-needed' AND n.audience = 'staff'",
                new { promised.Code }));
            Assert.Equal(0, await api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM notification n JOIN dossier d ON d.id = n.dossier_id WHERE d.code = @Code AND n.kind = 'delay-notice-needed' AND n.audience <> 'staff'",
                new { promised.Code }));
            Assert.Equal("2027-02-04", staffView.GetProperty("delayNoticeNeededFor").GetString());
            Assert.False(staffView.GetProperty("escalated").GetBoolean());   // the officer can still send the notice

            // Nobody can send a notice for the province's dossier: the request says why and the province is told at once.
            var held = await atProvince.StatusAsync(province);
            Assert.True(held.GetProperty("escalated").GetBoolean());
            Assert.Equal("2027-02-04", held.GetProperty("appointmentDate").GetString());
            var heldEvents = (await atProvince.TimelineAsync(province)).GetProperty("events").EnumerateArray().ToList();
            Assert.Contains("chưa do xã/phường xử lý", Assert.Single(heldEvents, e => e.GetProperty("kind").GetString() == "DelayNoticeNeeded")
                .GetProperty("note").GetString(), StringComparison.Ordinal);
            Assert.Contains(heldEvents, e => e.GetProperty("kind").GetString() == "Escalated");
            Assert.DoesNotContain("Escalated", await atProvince.AllEventKindsAsync(anonymous));

            // A date still a working day is not asked about.
            Assert.DoesNotContain("DelayNoticeNeeded", await later.AllEventKindsAsync(province));

            // The upkeep asks again (idempotent: once per date), and the same notice recorded again changes nothing.
            using (var scope = api.Services.CreateScope())
                await scope.ServiceProvider.GetRequiredService<Mediator.IPublisher>().Publish(new WorkingCalendarChanged(null));
            Assert.Single(await promised.AllEventKindsAsync(province), k => k == "DelayNoticeNeeded");
            var revisions = (await HistoryAsync(2027)).GetArrayLength();
            using (var again = await PutAsync(admin, 2027, Notice("TEST-2027/TB-BNV", "2027-01-20"), Placed2027(before)))
                Assert.True(again.IsSuccessStatusCode);
            Assert.Equal(revisions, (await HistoryAsync(2027)).GetArrayLength());
        }
        finally
        {
            api.Clock.Reset();
        }

        // The audit trail: the year computed by the seed, then the administrator's notice with the days it changed.
        var history = (await HistoryAsync(2027)).EnumerateArray().ToList();
        Assert.Equal("filled", history[0].GetProperty("change").GetString());
        Assert.Equal("seed", history[0].GetProperty("recordedBy").GetString());
        var replaced = history[^1];
        Assert.Equal("replaced", replaced.GetProperty("change").GetString());
        Assert.Equal("admin-calendar", replaced.GetProperty("recordedBy").GetString());
        Assert.Equal("TEST-2027/TB-BNV", replaced.GetProperty("notice").GetProperty("number").GetString());
        var changes = replaced.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("date").GetString()!);
        Assert.Equal(JsonValueKind.Null, changes["2027-02-04"].GetProperty("before").ValueKind);
        Assert.Equal("Holiday", changes["2027-02-04"].GetProperty("after").GetProperty("kind").GetString());
        Assert.Equal("CompensatoryDayOff", changes["2027-02-11"].GetProperty("before").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, changes["2027-02-11"].GetProperty("after").ValueKind);
        Assert.False(changes.ContainsKey("2027-01-01"));   // unchanged days are not listed
    }

    [Fact]
    public async Task Bad_kinds_dates_and_missing_statutory_holidays_answer_400_naming_the_entry_and_nothing_stored_changes()
    {
        var year = await YearAsync(2028);
        var revisions = (await HistoryAsync(2028)).GetArrayLength();
        var entries = Entries(year);
        entries[3]!["kind"] = "Holliday";
        entries[5]!["date"] = "2029-01-01";
        entries[6]!["date"] = entries[7]!["date"]!.GetValue<string>();
        var independence = entries.First(e => e!["date"]!.GetValue<string>() == "2028-09-02")!;
        entries.Remove(independence);
        var notice = Notice("");

        using var response = await PutAsync(admin, 2028, notice, entries);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("entries[3].kind", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("entries[5].date", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("entries[7].date", out _), errors.ToString());   // the repeated day, named at its second place
        Assert.True(errors.TryGetProperty("notice.number", out _), errors.ToString());
        // Labour Code 2019 Art. 112(1) fixes 2 September: a notice cannot drop it.
        Assert.Contains(errors.GetProperty("entries").EnumerateArray(), m => m.GetString()!.Contains("02/09/2028", StringComparison.Ordinal));

        var after = await YearAsync(2028);
        Assert.True(after.GetProperty("provisional").GetBoolean());
        Assert.Equal(year.GetProperty("changedInVersion").GetInt32(), after.GetProperty("changedInVersion").GetInt32());
        Assert.Equal(year.GetProperty("entries").ToString(), after.GetProperty("entries").ToString());
        Assert.Equal(revisions, (await HistoryAsync(2028)).GetArrayLength());
    }

    [Fact]
    public async Task Only_administrators_replace_a_year_or_read_its_history()
    {
        var entries = Entries(await YearAsync(2028));
        foreach (var role in new[] { "provincial-officer", "ward-chair", "ward-officer", "citizen" })
        {
            using var client = api.As(role, role.StartsWith("ward", StringComparison.Ordinal) ? "04795" : null, role == "citizen" ? ADossier.UniqueIdNumber() : null);
            using (var put = await PutAsync(client, 2028, Notice("X/TB-BNV"), entries)) Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
            using (var history = await client.GetAsync("/api/v1/calendar/2028/history")) Assert.Equal(HttpStatusCode.Forbidden, history.StatusCode);
        }
        using (var put = await PutAsync(anonymous, 2028, Notice("X/TB-BNV"), entries)) Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.True((await YearAsync(2028)).GetProperty("provisional").GetBoolean());
    }

    [Fact]
    public async Task The_seed_never_overwrites_an_administrators_notice()
    {
        // 2026 carries the seed's notice 9441/TB-BNV. An administrator records the year under another notice, renaming a past day
        // (no working day changes, so no other test's deadline moves); the seed running again at a start keeps it.
        var seeded = await YearAsync(2026);
        Assert.False(seeded.GetProperty("provisional").GetBoolean());
        Assert.Equal("9441/TB-BNV", seeded.GetProperty("notice").GetProperty("number").GetString());
        var entries = Entries(seeded);
        var renamed = entries.First(e => e!["date"]!.GetValue<string>() == "2026-01-02")!;
        renamed["name"] = "Nghỉ hoán đổi dịp Tết Dương lịch (ghi lại theo thông báo của quản trị viên)";
        using (var put = await PutAsync(admin, 2026, Notice("ADMIN-2026/TB-BNV", "2026-11-30"), entries))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var revisions = (await HistoryAsync(2026)).GetArrayLength();

        await api.Services.GetRequiredService<Seeder>().SeedAsync(CancellationToken.None);
        api.Services.GetRequiredService<WorkingCalendarProvider>().Invalidate();

        var after = await YearAsync(2026);
        Assert.Equal("ADMIN-2026/TB-BNV", after.GetProperty("notice").GetProperty("number").GetString());
        Assert.Contains(after.GetProperty("entries").EnumerateArray(), e => e.GetProperty("name").GetString() == renamed["name"]!.GetValue<string>());
        Assert.Equal(revisions, (await HistoryAsync(2026)).GetArrayLength());
    }

    [Fact]
    public async Task The_calendar_reaches_three_years_past_today_with_the_clock_moved_to_2040()
    {
        using (var far = await anonymous.GetAsync("/api/v1/calendar/2043")) Assert.Equal(HttpStatusCode.NotFound, far.StatusCode);
        api.SetVietnamDay(new DateOnly(2040, 6, 1), hour: 9);
        try
        {
            api.Trigger(CalendarUpkeepJob.RecurringId);   // hourly, and at each worker's start
            var year = await Eventually.ReturnsAsync(async () =>
            {
                using var r = await anonymous.GetAsync("/api/v1/calendar/2043");
                return r.StatusCode == HttpStatusCode.OK ? await r.ReadJsonAsync() : default;
            }, y => y.ValueKind == JsonValueKind.Object, Wait, "the years up to 2040 + 3");
            Assert.True(year.GetProperty("provisional").GetBoolean());
            // The default rule's eleven statutory holidays (Labour Code 2019 Art. 112(1)).
            Assert.Equal(11, year.GetProperty("entries").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "Holiday"));
            foreach (var between in new[] { 2036, 2039, 2042 }) Assert.True((await YearAsync(between)).GetProperty("provisional").GetBoolean());
            using (var beyond = await anonymous.GetAsync("/api/v1/calendar/2044")) Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
            Assert.Equal("filled", (await HistoryAsync(2043)).EnumerateArray().Single().GetProperty("change").GetString());
        }
        finally
        {
            api.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_stored_row_with_an_unknown_kind_is_left_out_and_reported_instead_of_failing_every_deadline()
    {
        // Written by hand past the API's validation (as the only way to correct the calendar was before).
        await ExecuteAsync("INSERT INTO calendar_entry (work_date, kind, name, source_note) VALUES ('2029-03-14', 'Holliday', 'gõ nhầm', 'SQL tay')");
        var calendars = api.Services.GetRequiredService<WorkingCalendarProvider>();
        calendars.Invalidate();
        try
        {
            await ADossier.Valid().SubmitAsync(anonymous);   // deadlines still compute
            var year = await YearAsync(2029);
            var bad = Assert.Single(year.GetProperty("unreadableEntries").EnumerateArray());
            Assert.Equal("2029-03-14", bad.GetProperty("date").GetString());
            Assert.Equal("Holliday", bad.GetProperty("storedKind").GetString());
            Assert.DoesNotContain(year.GetProperty("entries").EnumerateArray(), e => e.GetProperty("date").GetString() == "2029-03-14");
            Assert.True((await calendars.GetAsync(CancellationToken.None)).IsWorkingDay(new DateOnly(2029, 3, 14)));   // counts by its weekday
            Assert.Contains(api.Logs.Lines, l => l.Contains("unknown kind", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync("DELETE FROM calendar_entry WHERE work_date = '2029-03-14' AND kind = 'Holliday'");
            calendars.Invalidate();
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={api.DatabasePath}");
        await connection.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(connection, sql);
    }
}
