using System.Net;
using System.Text.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.AdministrativeUnits;

[Collection(ApiHost.Name)]
public sealed class AdminUnitTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    private async Task<List<JsonElement>> AllAsync(string query)
    {
        var items = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/admin-units?{query}&limit=100" + (after is null ? "" : $"&after={after}"))).ReadJsonAsync();
            items.AddRange(page.GetProperty("items").EnumerateArray());
            after = page.GetProperty("nextAfter").GetString();
        }
        while (after is not null);
        return items;
    }

    [Fact]
    public async Task There_are_34_provinces_and_Phu_Tho_has_133_communes_and_15_wards()
    {
        var provinces = await AllAsync("type=province");
        var cities = await AllAsync("type=city");
        Assert.Equal(34, provinces.Count + cities.Count);

        var phuTho = await AllAsync("parent=25");
        Assert.Equal(148, phuTho.Count);
        Assert.Equal(133, phuTho.Count(u => u.GetProperty("type").GetString() == "commune"));
        Assert.Equal(15, phuTho.Count(u => u.GetProperty("type").GetString() == "ward"));
    }

    [Fact]
    public async Task The_three_former_provinces_had_32_districts_and_479_communes()
    {
        var districts = new List<JsonElement>();
        foreach (var province in new[] { "17", "25", "26" }) districts.AddRange(await AllAsync($"era=pre2025&parent={province}"));
        Assert.Equal(32, districts.Count);
        var communes = 0;
        foreach (var d in districts) communes += (await AllAsync($"era=pre2025&parent={d.GetProperty("code").GetString()}")).Count;
        Assert.Equal(479, communes);
    }

    [Fact]
    public async Task A_reused_code_is_read_in_the_era_the_request_names()
    {
        var now = await (await client.GetAsync("/api/v1/admin-units/04795")).ReadJsonAsync();
        var before = await (await client.GetAsync("/api/v1/admin-units/04795?era=pre2025")).ReadJsonAsync();

        Assert.Equal("Phường Hòa Bình", now.GetProperty("unit").GetProperty("fullName").GetString());
        Assert.Equal(7, now.GetProperty("predecessors").GetArrayLength());
        Assert.Equal("Phường Thịnh Lang", before.GetProperty("unit").GetProperty("fullName").GetString());
        Assert.Equal("04795", before.GetProperty("successors").EnumerateArray().Single().GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_split_commune_lists_both_successors_and_needs_reverification()
    {
        var vayNua = await (await client.GetAsync("/api/v1/admin-units/04891?era=pre2025")).ReadJsonAsync();
        Assert.True(vayNua.GetProperty("needsReverification").GetBoolean());
        Assert.Equal(["04828", "04891"], vayNua.GetProperty("successors").EnumerateArray().Select(s => s.GetProperty("code").GetString()).Order());
    }

    [Fact]
    public async Task Search_is_accent_insensitive()
    {
        var found = await (await client.GetAsync("/api/v1/admin-units?parent=25&q=viet%20tri")).ReadJsonAsync();
        Assert.Contains(found.GetProperty("items").EnumerateArray(), u => u.GetProperty("fullName").GetString() == "Phường Việt Trì");
    }

    [Theory]
    [InlineData("/api/v1/admin-units?era=1990", "era")]
    [InlineData("/api/v1/admin-units?limit=0", "limit")]
    public async Task Bad_queries_answer_400_naming_the_field(string url, string field)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task An_unknown_code_answers_404()
    {
        using var response = await client.GetAsync("/api/v1/admin-units/00001?era=pre2025");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
