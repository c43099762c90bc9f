using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Tests.Features.Zones;

/// <summary>Zone classification with history, and the documented priority order of the work queues.</summary>
[Collection(ApiHost.Name)]
public sealed class PriorityTests(ApiFactory api)
{
    private const string Ward = "04795";

    [Fact]
    public async Task Every_ward_has_a_seeded_classification_with_its_source()
    {
        using var officer = api.As("ward-officer", Ward);
        var zones = await officer.GetFromJsonAsync<JsonElement>("/api/v1/zones");
        Assert.Equal(148, zones.GetArrayLength());
        Assert.All(zones.EnumerateArray(), z => Assert.False(string.IsNullOrWhiteSpace(z.GetProperty("source").GetString())));
        var byCode = zones.EnumerateArray().ToDictionary(z => z.GetProperty("wardCode").GetString()!, z => z.GetProperty("zone").GetString());
        Assert.Equal("urban", byCode["04795"]);              // Phường Hòa Bình
        Assert.Equal(15, byCode.Values.Count(v => v == "urban"));
        Assert.Contains("mountainous", byCode.Values);
    }

    [Fact]
    public async Task A_provincial_officer_changes_a_classification_and_the_history_keeps_both()
    {
        using var province = api.As("provincial-officer");
        using var bad = await province.PutAsJsonAsync("/api/v1/zones/04828", new { zone = "hills", source = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var officer = api.As("ward-officer", Ward);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PutAsJsonAsync("/api/v1/zones/04828", new { zone = "midland", source = "x" })).StatusCode);

        using var set = await province.PutAsJsonAsync("/api/v1/zones/04828", new { zone = "mountainous", ethnicRegion = "II", source = "QĐ thử nghiệm số 1/QĐ-UBND ngày 01/12/2026" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var history = await province.GetFromJsonAsync<JsonElement>("/api/v1/zones?history=true&ward=04828");
        Assert.True(history.GetArrayLength() >= 2);
        Assert.Equal(1, history.EnumerateArray().Count(z => z.GetProperty("validTo").ValueKind == JsonValueKind.Null));
        Assert.Equal("II", history.EnumerateArray().Last().GetProperty("ethnicRegion").GetString());
    }

    [Fact]
    public async Task The_stored_need_score_follows_routing_and_a_change_of_the_wards_zone()
    {
        using var anonymous = api.CreateClient();
        var receipt = await ADossier.Valid().LivingIn("04831").SubmitAsync(anonymous);   // born 1950: not yet 75, not vulnerable by age
        await receipt.AfterIntakeAsync(anonymous);
        async Task<(long Score, int Vulnerable)> StoredAsync() => (
            await api.ScalarAsync<long>("SELECT need_score FROM dossier WHERE code = @Code", new { receipt.Code }),
            (int)await api.ScalarAsync<long>("SELECT vulnerable FROM dossier WHERE code = @Code", new { receipt.Code }));
        var ward = await api.ScalarAsync<string>("SELECT handling_ward_code FROM dossier WHERE code = @Code", new { receipt.Code });

        async Task SetAsync(string zone, string region)
        {
            using var province = api.As("provincial-officer");
            using var set = await province.PutAsJsonAsync($"/api/v1/zones/{ward}", new { zone, ethnicRegion = region, source = "QĐ thử nghiệm điểm nhu cầu" });
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        await SetAsync("urban", "none");
        var (score, vulnerable) = await StoredAsync();
        Assert.Equal(Priority.Need("urban", "none", vulnerable == 1), score);
        await SetAsync("mountainous", "III");
        Assert.Equal(Priority.Need("mountainous", "III", vulnerable == 1), (await StoredAsync()).Score);
        Assert.Equal(score + Priority.ZoneWeight("mountainous") + Priority.EthnicRegionWeight("III"), (await StoredAsync()).Score);
    }

    [Fact]
    public async Task The_priority_order_puts_vulnerable_applicants_first_at_equal_urgency_and_says_why()
    {
        using var anonymous = api.CreateClient();
        var btxh03 = await (await anonymous.GetAsync("/api/v1/procedures/BTXH-03")).ReadJsonAsync();
        var young = ADossier.Valid().ForPerson("025190" + Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("applicant.dateOfBirth", "1990-05-01").With("procedureCode", "BTXH-03")
            .With("formFields", JsonNode.Parse(btxh03.GetProperty("exampleForm").GetRawText()));
        var plain = await young.SubmitAsync(anonymous);
        var elderly = await ADossier.Valid().SubmitAsync(anonymous);   // 76 years old, poor household
        await plain.AfterIntakeAsync(anonymous);
        await elderly.AfterIntakeAsync(anonymous);

        using var officer = api.As("ward-officer", Ward);
        var items = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await officer.GetFromJsonAsync<JsonElement>($"/api/v1/wards/{Ward}/dossiers?order=priority&limit=200" + (after is null ? "" : "&after=" + after));
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            after = page.GetProperty("nextAfter").GetString();
        }
        while (after is not null);

        var keys = items.Select(i => (U: i.GetProperty("priority").GetProperty("urgency").GetInt32(), N: i.GetProperty("priority").GetProperty("need").GetInt32(),
            D: i.GetProperty("appointmentDate").GetString()!, C: i.GetProperty("code").GetString()!)).ToList();
        var expected = keys.OrderBy(k => k.U).ThenByDescending(k => k.N).ThenBy(k => k.D, StringComparer.Ordinal).ThenBy(k => k.C, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, keys);

        var e = items.Single(i => i.GetProperty("code").GetString() == elderly.Code).GetProperty("priority");
        var p = items.Single(i => i.GetProperty("code").GetString() == plain.Code).GetProperty("priority");
        Assert.Equal(0, p.GetProperty("need").GetInt32());
        Assert.Equal(2, e.GetProperty("need").GetInt32());
        Assert.Contains(e.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("76 tuổi", StringComparison.Ordinal));
        if (p.GetProperty("urgency").GetInt32() == e.GetProperty("urgency").GetInt32())
            Assert.True(items.FindIndex(i => i.GetProperty("code").GetString() == elderly.Code) < items.FindIndex(i => i.GetProperty("code").GetString() == plain.Code));
    }
}
