using System.Net;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Dossiers.Actions;

/// <summary>
/// One table: every kind of caller × every endpoint that reaches a dossier or a queue → the expected status.
/// The dossier lives in ward 04795 and belongs to the "owner" citizen; "other" callers belong elsewhere.
/// Reads must not leak (404 for a dossier the caller may not see, 403 for another ward's queue, 401 without
/// a token); writes are checked against a dossier in status Received with its current ETag.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class AuthorizationMatrixTests(ApiFactory api)
{
    private const string Ward = "04795";
    private const string OtherWard = "04828";
    private static readonly string OwnerId = ADossier.UniqueIdNumber();

    private HttpClient Caller(string who) => who switch
    {
        "anonymous" => api.CreateClient(),
        "owner" => api.As("citizen", idNumber: OwnerId),
        "other-citizen" => api.As("citizen", idNumber: "001085123456"),
        "officer" => api.As("ward-officer", Ward),
        "other-officer" => api.As("ward-officer", OtherWard),
        "chair" => api.As("ward-chair", Ward),
        "other-chair" => api.As("ward-chair", OtherWard),
        "provincial" => api.As("provincial-officer"),
        "administrator" => api.As("administrator"),
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };

    // caller, GET dossier, GET timeline, GET notifications, GET own ward queue, GET me/dossiers, GET escalations,
    // POST claim, POST approval, GET documents, POST withdrawal
    public static TheoryData<string, int[]> Matrix => new()
    {
        { "anonymous",     [404, 404, 404, 401, 401, 401, 401, 401, 404, 404] },
        { "owner",         [200, 200, 200, 403, 200, 403, 403, 403, 200, 200] },
        { "other-citizen", [404, 404, 404, 403, 200, 403, 403, 403, 404, 404] },
        { "officer",       [200, 200, 200, 200, 403, 403, 200, 403, 200, 403] },
        { "other-officer", [404, 404, 404, 403, 403, 403, 404, 404, 404, 404] },
        { "chair",         [200, 200, 200, 200, 403, 403, 403, 409, 200, 403] },
        { "other-chair",   [404, 404, 404, 403, 403, 403, 404, 404, 404, 404] },
        { "provincial",    [200, 200, 200, 200, 403, 200, 403, 403, 200, 403] },
        { "administrator", [200, 200, 200, 200, 403, 200, 403, 403, 200, 403] },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_reaches_exactly_what_the_table_allows(string who, int[] expected)
    {
        using var anonymous = api.CreateClient();
        var owner = api.As("citizen", idNumber: OwnerId);
        var r = await ADossier.Valid().ForPerson(OwnerId).LivingIn(Ward).SubmitAsync(owner);
        await r.AfterIntakeAsync(anonymous);
        var etag = await r.ETagAsync(anonymous);
        using var client = Caller(who);

        int[] actual =
        [
            await StatusOf(client.GetAsync($"/api/v1/dossiers/{r.Code}")),
            await StatusOf(client.GetAsync($"/api/v1/dossiers/{r.Code}/timeline")),
            await StatusOf(client.GetAsync($"/api/v1/dossiers/{r.Code}/notifications")),
            await StatusOf(client.GetAsync($"/api/v1/wards/{Ward}/dossiers")),
            await StatusOf(client.GetAsync("/api/v1/me/dossiers")),
            await StatusOf(client.GetAsync("/api/v1/escalations")),
            await StatusOf(r.ActAsync(client, "claim", etag: etag)),
            await StatusOf(r.ActAsync(client, "approval", new { }, etag: await r.ETagAsync(anonymous))),
            await StatusOf(client.GetAsync($"/api/v1/dossiers/{r.Code}/documents")),
            await StatusOf(r.ActAsync(client, "withdrawal", new { reason = "Thử quyền." }, etag: await r.ETagAsync(anonymous))),
        ];
        Assert.Equal(expected, actual);

        // A 404 says nothing about the dossier; a refused read returns no dossier data.
        using var read = await client.GetAsync($"/api/v1/dossiers/{r.Code}");
        if (!read.IsSuccessStatusCode) Assert.DoesNotContain(OwnerId, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        owner.Dispose();
    }

    private static async Task<int> StatusOf(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return (int)response.StatusCode;
    }
}
