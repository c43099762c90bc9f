using System.Net.Http.Json;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// Automatic changes from the rules (issue 18): a person turning 80 is paid 2.0 × the standard level instead of 1.5 from
/// the month after (Decree 20/2021 Art. 6, ages on the first day of the month); the monthly step records it and tells
/// the beneficiary before the month starts.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class AmountChangeTests(ApiFactory api) : IDisposable
{
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", RegisterTests.Ward);
    private readonly HttpClient chair = api.As("ward-chair", RegisterTests.Ward);

    [Fact]
    public async Task Turning_80_next_month_is_recorded_and_announced_once_Decree_20_2021_Art_6()
    {
        var today = Appointment.DateInVietnam(api.Clock.GetUtcNow());
        var nextMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var born = nextMonth.AddYears(-80);   // 79 on the first of this month, 80 on the first of next
        var turning = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", RegisterTests.IdBornIn(born.Year), born, RegisterTests.Elderly()),
            officer, chair);
        var steady = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", RegisterTests.IdBornIn(1940), new(1940, 3, 3), RegisterTests.Elderly()),
            officer, chair);
        var id = await RegisterTests.EntitlementOfAsync(api, turning);
        var steadyId = await RegisterTests.EntitlementOfAsync(api, steady);
        Assert.Equal(750_000m, (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}")).GetProperty("currentMonth").GetProperty("amountVnd").GetDecimal());

        await AnnounceAsync();
        await AnnounceAsync();   // once per entitlement and month

        var e = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}");
        var changed = e.GetProperty("history").EnumerateArray().Where(h => h.GetProperty("kind").GetString() == "AmountChanged").ToList();
        var row = Assert.Single(changed);
        Assert.Equal(RegisterTests.MonthOf(api, 1), row.GetProperty("month").GetString());
        Assert.Equal("system:amount-change", row.GetProperty("actor").GetString());
        Assert.Equal("Active", e.GetProperty("status").GetString());
        Assert.Equal(1_000_000m, (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{id}?month={RegisterTests.MonthOf(api, 1)}"))
            .GetProperty("currentMonth").GetProperty("amountVnd").GetDecimal());
        Assert.Equal(0L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement_event WHERE entitlement_id = @Id AND kind = 'AmountChanged'",
            new { Id = steadyId }));

        var notes = await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{turning.Code}/notifications");
            request.Headers.Add("X-Tracking-Secret", turning.Secret);
            using var response = await anonymous.SendAsync(request);
            return (await response.ReadJsonAsync()).EnumerateArray().ToList();
        }, n => n.Any(x => x.GetProperty("kind").GetString() == "amount-changed"), TimeSpan.FromSeconds(30), "the amount-change notification");
        var notice = Assert.Single(notes, x => x.GetProperty("kind").GetString() == "amount-changed").GetRawText();
        Assert.Contains("1.000.000", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("elderly-poor-no-supporter", notice, StringComparison.Ordinal);
    }

    private async Task AnnounceAsync()
    {
        using var scope = api.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new AnnounceAmountChanges());
    }

    public void Dispose()
    {
        foreach (var c in new[] { anonymous, officer, chair }) c.Dispose();
    }
}
