using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers;

/// <summary>
/// The closing hour is a setting (OfficeHours:Close, default 17:00): a dossier received after it counts from the next working
/// day (DOMAIN.md §5; Civil Code 2015 Art. 147: day 0 is not counted). Hand-computed for BTXH-01 (10 working days), received
/// Tue 8 Dec 2026 at 16:30: closing at 17:00 it counts from Tue 8 Dec → Tue 22 Dec; closing at 16:00 from Wed 9 Dec → Wed 23 Dec.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class OfficeHoursTests(ApiFactory api) : IDisposable
{
    [Fact]
    public async Task A_receipt_after_the_configured_closing_hour_counts_from_the_next_working_day()
    {
        using var earlyClosing = api.WithWebHostBuilder(b => { b.UseSetting("OfficeHours:Close", "16:00"); b.UseSetting("Jobs:Server", "false"); });
        using var early = earlyClosing.CreateClient();
        using var usual = api.CreateClient();
        var target = new DateTimeOffset(2026, 12, 8, 16, 30, 0, TimeSpan.FromHours(7));
        api.Clock.Advance(target - api.Clock.GetUtcNow());

        var byDefault = await ADossier.Valid().SubmitAsync(usual);
        var afterClose = await ADossier.Valid().SubmitAsync(early);

        Assert.Equal("2026-12-22", byDefault.Json.GetProperty("appointmentDate").GetString());
        Assert.Equal("2026-12-23", afterClose.Json.GetProperty("appointmentDate").GetString());
    }

    public void Dispose() => api.Clock.Reset();
}
