using System.Net;
using System.Net.Http.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers;

[Collection(ApiHost.Name)]
public sealed class IdempotencyTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    private async Task<HttpResponseMessage> PostAsync(object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dossiers") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_returns_the_same_receipt_and_creates_nothing()
    {
        var body = ADossier.Valid().Body;
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync(body, key);
        var count = await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier");
        using var retry = await PostAsync(body, key);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.ReadJsonAsync()).ToString(), (await retry.ReadJsonAsync()).ToString());
        Assert.Equal(count, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier"));
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_create_one_dossier()
    {
        var body = ADossier.Valid().Body;
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(body, key)));
        var codes = new HashSet<string>();
        foreach (var r in responses)
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            codes.Add((await r.ReadJsonAsync()).GetProperty("code").GetString()!);
            r.Dispose();
        }
        Assert.Single(codes);
        Assert.Equal(1, await api.ScalarAsync<long>("SELECT COUNT(*) FROM idempotency_record WHERE idem_key = @key", new { key }));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_with_422()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(ADossier.Valid().Body, key);
        var count = await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier");

        using var other = await PostAsync(ADossier.Valid().Body, key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.EndsWith("idempotency-key-reused", (await other.ReadJsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(count, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier"));
    }

    [Fact]
    public async Task A_malformed_key_answers_400()
    {
        using var response = await PostAsync(ADossier.Valid().Body, "short");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }
}
