using System.Net;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

[Collection(ApiHost.Name)]
public sealed class ConcurrencyTests(ApiFactory api)
{
    [Fact]
    public async Task Of_parallel_actions_on_one_version_exactly_one_wins()
    {
        using var anonymous = api.CreateClient();
        var r = await ADossier.Valid().LivingIn("04795").SubmitAsync(anonymous);
        await r.AfterIntakeAsync(anonymous);
        var etag = await r.ETagAsync(anonymous);
        var officers = Enumerable.Range(0, 8).Select(i => api.As("ward-officer", "04795", subject: $"officer-{i}")).ToList();

        var responses = await Task.WhenAll(officers.Select(o => r.ActAsync(o, "claim", etag: etag)));

        Assert.Equal(1, responses.Count(x => x.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(x => x.StatusCode == HttpStatusCode.PreconditionFailed));
        Assert.Single(await r.EventKindsAsync(api.As("provincial-officer")), k => k == "Claimed");
        foreach (var x in responses) x.Dispose();
        foreach (var o in officers) o.Dispose();
    }
}
