using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// The staff actions on an entitlement through its own transition table (issue 18, on the engine of dossiers): who may
/// act (403 before 409), from which status, the history row with the reason, and outbox events with ids and status only.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class EntitlementLifecycleTests(ApiFactory api) : IDisposable
{
    private readonly HttpClient officer = api.As("ward-officer", RegisterTests.Ward, subject: "officer-lifecycle");
    private readonly HttpClient chair = api.As("ward-chair", RegisterTests.Ward, subject: "chair-lifecycle");
    private readonly HttpClient province = api.As("provincial-officer");
    private readonly HttpClient stranger = api.As("ward-officer", "04828");

    private async Task<string> ActiveEntitlementAsync()
    {
        var r = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", RegisterTests.IdBornIn(1944), new(1944, 1, 20), RegisterTests.Elderly()),
            officer, chair);
        return await RegisterTests.EntitlementOfAsync(api, r);
    }

    private static async Task<HttpResponseMessage> ActAsync(HttpClient client, string id, string action, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/entitlements/{id}/{action}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> TryAsync(HttpClient client, string id, string action, object body, string? ifMatch = null)
    {
        using var response = await ActAsync(client, id, action, body, ifMatch);
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    private static readonly object Reverification = new { reason = "reverification", note = "Trưởng thôn báo vắng mặt dài ngày." };
    private static readonly object Resolved = new { note = "Đã xác minh: vẫn cư trú tại địa phương." };
    private static readonly object Death = new { reason = "death", note = "Trích lục khai tử số 12/TLKT." };

    [Fact]
    public async Task Every_action_is_allowed_or_refused_by_the_table_role_first_and_recorded_with_its_reason()
    {
        var id = await ActiveEntitlementAsync();

        // Active: resume is refused (409), the provincial officer may never suspend (403), another ward's staff do not see it (404).
        Assert.Equal(HttpStatusCode.Conflict, (await TryAsync(officer, id, "resumption", Resolved)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await TryAsync(province, id, "suspension", Reverification)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await TryAsync(stranger, id, "suspension", Reverification)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await TryAsync(officer, id, "end", Death)).Status);   // ending is the chair's
        Assert.Equal(HttpStatusCode.BadRequest, (await TryAsync(officer, id, "suspension", new { reason = "child-hiv-poor" })).Status);   // closed list

        // Suspend for re-verification: owed (paid as arrears when resolved).
        var (status, suspended) = await TryAsync(officer, id, "suspension", Reverification, ifMatch: "\"1\"");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Suspended", suspended.GetProperty("status").GetString());
        Assert.Equal("reverification", suspended.GetProperty("suspensionReason").GetString());
        var held = suspended.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Suspended", held.GetProperty("kind").GetString());
        Assert.Equal("reverification", held.GetProperty("reason").GetString());
        Assert.True(held.GetProperty("owed").GetBoolean());
        Assert.Equal("officer-lifecycle", held.GetProperty("actor").GetString());

        // Suspended: a second suspension is refused (409); a stale If-Match is 412; the provincial officer still 403 before any status check.
        Assert.Equal(HttpStatusCode.Conflict, (await TryAsync(officer, id, "suspension", Reverification)).Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await TryAsync(officer, id, "resumption", Resolved, ifMatch: "\"1\"")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await TryAsync(province, id, "resumption", Resolved)).Status);

        var (resumedStatus, resumed) = await TryAsync(chair, id, "resumption", Resolved);
        Assert.Equal(HttpStatusCode.OK, resumedStatus);
        Assert.Equal("Active", resumed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, resumed.GetProperty("suspensionReason").ValueKind);

        // The death is reported: suspended, not owed; then the chair ends it with this month as the last.
        var (_, afterDeath) = await TryAsync(officer, id, "suspension", new { reason = "death-reported", note = "Trưởng thôn báo tin." });
        Assert.False(afterDeath.GetProperty("history").EnumerateArray().Last().GetProperty("owed").GetBoolean());
        var (endStatus, ended) = await TryAsync(chair, id, "end", Death);
        Assert.Equal(HttpStatusCode.OK, endStatus);
        Assert.Equal("Ended", ended.GetProperty("status").GetString());
        Assert.Equal(RegisterTests.MonthOf(api), ended.GetProperty("endMonth").GetString());

        // Ended is final: every action is a 409 for a role that may take it, a 403 for one that may not.
        Assert.Equal(HttpStatusCode.Conflict, (await TryAsync(chair, id, "end", Death)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await TryAsync(officer, id, "resumption", Resolved)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await TryAsync(officer, id, "suspension", Reverification)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await TryAsync(officer, id, "end", Death)).Status);

        Assert.Equal(["Started", "Suspended", "Resumed", "Suspended", "Ended"],
            ended.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Events_carry_the_entitlements_id_and_status_only_never_the_group_or_the_reason()
    {
        var id = await ActiveEntitlementAsync();
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(officer, id, "suspension", new { reason = "death-reported", note = "Trưởng thôn báo tin." })).Status);
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(chair, id, "end", Death)).Status);

        var client = api.WithKey((await api.RegisterClientAsync(["events:read"])).Key);
        var before = await api.ScalarAsync<long>("SELECT MIN(position) - 1 FROM integration_event WHERE entitlement_id = @Id", new { Id = id });
        var (events, _) = await client.ReadAllEventsAsync(before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var mine = events.Where(e => e.GetProperty("entitlement").ValueKind == JsonValueKind.Object
                                     && e.GetProperty("entitlement").GetProperty("id").GetString() == id).ToList();
        Assert.Equal(["EntitlementStarted", "EntitlementSuspended", "EntitlementEnded"], mine.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["Active", "Suspended", "Ended"], mine.Select(e => e.GetProperty("entitlement").GetProperty("status").GetString()));
        foreach (var e in mine)
        {
            var text = e.GetRawText();
            Assert.Equal(JsonValueKind.Null, e.GetProperty("dossier").ValueKind);
            Assert.Equal("BTXH-01", e.GetProperty("entitlement").GetProperty("benefitCode").GetString());
            foreach (var secret in new[] { "elderly-poor-no-supporter", "death", "coefficient", "reason", "Trưởng thôn", "note" })
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    public void Dispose()
    {
        foreach (var c in new[] { officer, chair, province, stranger }) c.Dispose();
    }
}
