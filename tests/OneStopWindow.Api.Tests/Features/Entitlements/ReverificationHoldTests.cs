using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Tests.Features.Beneficiaries;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// Re-verification left open longer than a setting (default 3 months) suspends (issue 18, part 2): the system's step
/// holds the entitlement through the engine (role system, reason reverification: owed); resolving the re-verification
/// resumes it. Time moves with the fake clock: the legacy list is imported "four months ago".
/// </summary>
[Collection(ApiHost.Name)]
public sealed class ReverificationHoldTests(ApiFactory api) : IDisposable
{
    private readonly HttpClient province = api.As("provincial-officer");

    [Fact]
    public async Task An_imported_beneficiary_left_unverified_more_than_3_months_is_held_owed_and_resumed_when_resolved_issue_18()
    {
        _ = api.Services;
        var now = api.Clock.GetUtcNow();
        var monthsAgo = (int n) => now - now.AddMonths(-n);
        var (_, split) = await ImportTests.CommunesAsync(api.DatabasePath);
        var commune = split[0];
        var source = "hold-" + Guid.NewGuid().ToString("N")[..8];
        string entitlement, entry;
        api.Clock.Advance(-(monthsAgo(4) + TimeSpan.FromDays(1)));   // the list is imported four months and a day ago
        try
        {
            var path = Path.Combine(api.Folder, source + ".csv");
            await File.WriteAllTextAsync(path, BeneficiaryLists.Header + "\n" + string.Create(CultureInfo.InvariantCulture,
                $"{source}-1,{RegisterTests.IdBornIn(1946)},\"Đinh Thị Lan\",1946-03-05,{commune},\"Xóm Mới\",BTXH-01,elderly-poor-no-supporter,750000,2024-03,\"9/QĐ-UBND\"\n"),
                Encoding.UTF8);
            var done = await ImportTests.FinishedAsync(province, await ImportTests.UploadAsync(province, path, source), TimeSpan.FromSeconds(60));
            Assert.Equal(1, done.GetProperty("reverification").GetInt32());   // a split commune: which new ward is not known
            entitlement = await api.ScalarAsync<string>(
                "SELECT e.id FROM entitlement e JOIN beneficiary b ON b.id = e.beneficiary_id WHERE b.source_system = @Source", new { Source = source });
            entry = await api.ScalarAsync<string>(
                "SELECT r.id FROM reverification r JOIN beneficiary b ON b.id = r.subject_id WHERE b.source_system = @Source", new { Source = source });

            // Two months later: still paid.
            api.Clock.Reset();
            api.Clock.Advance(-(monthsAgo(2)));
            await HoldAsync();
            Assert.Equal("Active", await StatusAsync(entitlement));
        }
        finally
        {
            api.Clock.Reset();
        }

        // Today (more than three months open): the recurring step holds it, through the engine, role system.
        api.Trigger(HoldUnverifiedEntitlementsJob.RecurringId);
        await Eventually.ReturnsAsync(() => StatusAsync(entitlement), s => s == "Suspended", TimeSpan.FromSeconds(30), "the hold of the unverified entitlement");
        var held = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{entitlement}");
        Assert.Equal("reverification", held.GetProperty("suspensionReason").GetString());
        var hold = held.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Suspended", hold.GetProperty("kind").GetString());
        Assert.Equal("reverification", hold.GetProperty("reason").GetString());
        Assert.True(hold.GetProperty("owed").GetBoolean());   // held for re-verification: owed, paid as arrears when resolved
        Assert.Equal("system:reverification-overdue", hold.GetProperty("actor").GetString());
        Assert.Equal(RegisterTests.MonthOf(api), hold.GetProperty("month").GetString());

        // Running again changes nothing.
        await HoldAsync();
        Assert.Equal(1L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM entitlement_event WHERE entitlement_id = @Id AND kind = 'Suspended'", new { Id = entitlement }));

        // The re-verification is resolved: the system's hold is lifted, the held months recorded as owed.
        var ward = await api.ScalarAsync<string>("SELECT MIN(new_code) FROM unit_succession WHERE old_code = @Old", new { Old = commune });
        using var resolved = await province.PostAsJsonAsync($"/api/v1/reverifications/{entry}/resolution",
            new { action = "confirm-ward", wardCode = ward, note = "Đối chiếu CSDL cư trú: xóm thuộc phần sáp nhập vào xã mới." });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var after = await province.GetFromJsonAsync<JsonElement>($"/api/v1/entitlements/{entitlement}");
        Assert.Equal("Active", after.GetProperty("status").GetString());
        Assert.Equal(ward, after.GetProperty("wardCode").GetString());
        var resumed = after.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Resumed", resumed.GetProperty("kind").GetString());
        Assert.True(resumed.GetProperty("owed").GetBoolean());
        Assert.Equal("system:reverification-overdue", resumed.GetProperty("actor").GetString());
    }

    private async Task HoldAsync()
    {
        using var scope = api.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new HoldUnverifiedEntitlements());
    }

    private Task<string> StatusAsync(string id) => api.ScalarAsync<string>("SELECT status FROM entitlement WHERE id = @Id", new { Id = id });

    public void Dispose() => province.Dispose();
}
