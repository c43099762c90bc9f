using System.Net;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Procedures;

[Collection(ApiHost.Name)]
public sealed class ProcedureCatalogueTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    [Fact]
    public async Task The_catalogue_lists_at_least_eight_procedures_with_deadlines_and_documents()
    {
        var list = await (await client.GetAsync("/api/v1/procedures")).ReadJsonAsync();
        Assert.True(list.GetArrayLength() >= 8, $"only {list.GetArrayLength()} procedures");
        foreach (var p in list.EnumerateArray())
        {
            Assert.True(p.GetProperty("processingDays").GetInt32() > 0);
            var full = await (await client.GetAsync($"/api/v1/procedures/{p.GetProperty("code").GetString()}")).ReadJsonAsync();
            Assert.NotEmpty(full.GetProperty("legalBasis").EnumerateArray());
            Assert.NotEmpty(full.GetProperty("requiredDocuments").EnumerateArray());
            Assert.Equal("object", full.GetProperty("formSchema").GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Names_are_Vietnamese_by_default_and_English_on_request()
    {
        var vi = await (await client.GetAsync("/api/v1/procedures/BTXH-01")).ReadJsonAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/procedures/BTXH-01");
        request.Headers.Add("Accept-Language", "en-US,en;q=0.9");
        using var response = await client.SendAsync(request);
        var en = await response.ReadJsonAsync();

        Assert.Contains("trợ cấp", vi.GetProperty("name").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("allowance", en.GetProperty("name").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("en", response.Content.Headers.ContentLanguage.Single());
    }

    [Fact]
    public async Task Text_search_ignores_accents_and_category_filters()
    {
        var byText = await (await client.GetAsync("/api/v1/procedures?q=mai%20tang")).ReadJsonAsync();
        Assert.Contains(byText.EnumerateArray(), p => p.GetProperty("code").GetString() == "BTXH-03");

        var byCategory = await (await client.GetAsync("/api/v1/procedures?category=poverty")).ReadJsonAsync();
        Assert.NotEmpty(byCategory.EnumerateArray());
        Assert.All(byCategory.EnumerateArray(), p => Assert.Equal("poverty", p.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task An_unknown_procedure_answers_a_404_problem()
    {
        using var response = await client.GetAsync("/api/v1/procedures/NOPE-99");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
