using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Tests.Features.Dossiers.Actions;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Entitlements;

/// <summary>
/// Who sees an entitlement (issue 18, part 5): people without an account through the tracking secret of any dossier that
/// created or changed it (masked, nothing staff-only), the applicant and the ward's staff through the dossier, integration
/// clients under the entitlements:read scope; every read access-logged; events in the feed and in webhooks with ids and
/// status only.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class EntitlementAccessTests(ApiFactory api) : IDisposable
{
    private const string Ward = RegisterTests.Ward;
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-access");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-access");
    private readonly HttpClient province = api.As("provincial-officer");

    /// <summary>What must never reach anyone but staff: the group, the coefficient, reasons, notes, staff members, the amount's make-up.</summary>
    private static readonly string[] StaffOnly =
        ["elderly-poor-no-supporter", "coefficient", "reason", "note", "basis", "actor", "officer-access", "chair-access", "Trưởng thôn", "Trình Chủ tịch"];

    private static async Task<(HttpStatusCode Status, string Body)> ReadAsync(HttpClient client, string code, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{code}/entitlements");
        if (secret is not null) request.Headers.Add("X-Tracking-Secret", secret);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement.Clone();

    private Task<long> AccessRowsAsync(string entitlement, string readerId) => api.ScalarAsync<long>(
        "SELECT COUNT(*) FROM access_log WHERE subject_kind = 'entitlement' AND subject_id = @Id AND kind = 'entitlement-by-dossier' AND reader_id = @Reader",
        new { Id = entitlement, Reader = readerId });

    [Fact]
    public async Task The_holder_of_a_dossiers_tracking_secret_reads_its_entitlement_masked_and_nothing_staff_only()
    {
        var person = RegisterTests.IdBornIn(1944);
        var born = new DateOnly(1944, 1, 20);
        var granted = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, born, RegisterTests.Elderly()), officer, chair);
        var id = await RegisterTests.EntitlementOfAsync(api, granted);

        var (status, body) = await ReadAsync(anonymous, granted.Code, granted.Secret);
        Assert.Equal(HttpStatusCode.OK, status);
        var json = Json(body);
        Assert.Equal(granted.Code, json.GetProperty("code").GetString());
        var e = Assert.Single(json.GetProperty("entitlements").EnumerateArray());
        Assert.Equal(id, e.GetProperty("id").GetString());
        Assert.Equal("N. T. Lan", e.GetProperty("beneficiaryName").GetString());   // "Nguyễn Thị Lan", masked as on the dossier
        Assert.Equal("Active", e.GetProperty("status").GetString());
        Assert.Equal(RegisterTests.MonthOf(api), e.GetProperty("startMonth").GetString());
        // Not the amount: with the standard level it would tell the coefficient, and so the group (DOMAIN §7).
        Assert.Equal(JsonValueKind.Null, e.GetProperty("thisMonth").ValueKind);
        var started = Assert.Single(e.GetProperty("history").EnumerateArray());
        Assert.Equal("Started", started.GetProperty("kind").GetString());
        Assert.Equal((await granted.StatusAsync(officer)).GetProperty("decision").GetProperty("number").GetString(), started.GetProperty("decisionNumber").GetString());
        // The raw answer: no identity number, no group or coefficient, no reason, note or staff member, not the full name.
        Assert.DoesNotContain(person, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Nguyễn", body, StringComparison.Ordinal);
        foreach (var hidden in StaffOnly) Assert.DoesNotContain(hidden, body, StringComparison.OrdinalIgnoreCase);

        // A wrong or missing secret and an unknown code are the same 404; so is another dossier's secret.
        var other = await ADossier.Valid().SubmitAsync(anonymous);
        var (wrong, wrongBody) = await ReadAsync(anonymous, granted.Code, granted.Secret[..^2] + (granted.Secret[^2..] == "AA" ? "BB" : "AA"));
        var (unknown, unknownBody) = await ReadAsync(anonymous, "25-991231-9999", granted.Secret);
        Assert.Equal(HttpStatusCode.NotFound, wrong);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(Json(unknownBody).GetProperty("type").GetString(), Json(wrongBody).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(anonymous, granted.Code, null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(anonymous, granted.Code, other.Secret)).Status);
        Assert.DoesNotContain(id, wrongBody, StringComparison.Ordinal);
        // The other dossier's own secret opens that dossier, which changed no entitlement.
        var (own, ownBody) = await ReadAsync(anonymous, other.Code, other.Secret);
        Assert.Equal(HttpStatusCode.OK, own);
        Assert.Empty(Json(ownBody).GetProperty("entitlements").EnumerateArray());

        // The applicant signed in and the ward's staff read the name unmasked; another ward's staff get 404.
        var citizen = "citizen-access-" + Guid.NewGuid().ToString("N");
        using var self = api.As("citizen", idNumber: person, subject: citizen);
        var mine = Json((await ReadAsync(self, granted.Code, null)).Body).GetProperty("entitlements")[0];
        Assert.Equal("Nguyễn Thị Lan", mine.GetProperty("beneficiaryName").GetString());
        Assert.Equal(1_000_000m, mine.GetProperty("thisMonth").GetProperty("amountVnd").GetDecimal());   // 80+: 2.0 × 500,000
        var (staffStatus, staffBody) = await ReadAsync(officer, granted.Code, null);
        Assert.Equal(HttpStatusCode.OK, staffStatus);
        Assert.Equal("Nguyễn Thị Lan", Json(staffBody).GetProperty("entitlements")[0].GetProperty("beneficiaryName").GetString());
        using var stranger = api.As("ward-officer", "04828");
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(stranger, granted.Code, null)).Status);

        // Every read is in the access log: the secret holder as "tracking-secret" with the dossier's code, never the secret.
        var secretReader = "tracking-secret:" + granted.Code;
        await Eventually.ReturnsAsync(() => AccessRowsAsync(id, secretReader), n => n == 1, TimeSpan.FromSeconds(10), "the secret holder's read");
        Assert.Equal("tracking-secret", await api.ScalarAsync<string>(
            "SELECT reader_role FROM access_log WHERE subject_id = @Id AND reader_id = @Reader", new { Id = id, Reader = secretReader }));
        await Eventually.ReturnsAsync(() => AccessRowsAsync(id, citizen), n => n == 1, TimeSpan.FromSeconds(10), "the applicant's read");
        await Eventually.ReturnsAsync(() => AccessRowsAsync(id, "officer-access"), n => n == 1, TimeSpan.FromSeconds(10), "the officer's read");
        Assert.Equal(0L, await api.ScalarAsync<long>("SELECT COUNT(*) FROM access_log WHERE reader_id LIKE @Secret OR reader_unit LIKE @Secret",
            new { Secret = "%" + granted.Secret + "%" }));
    }

    [Fact]
    public async Task The_secret_of_a_dossier_whose_adjust_decision_changed_the_entitlement_opens_it_too()
    {
        var person = RegisterTests.IdBornIn(1944);
        var born = new DateOnly(1944, 1, 20);
        var granted = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, born, RegisterTests.Elderly()), officer, chair);
        var id = await RegisterTests.EntitlementOfAsync(api, granted);
        var adjusted = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, born, RegisterTests.Elderly("adjust")), officer, chair);

        var (status, body) = await ReadAsync(anonymous, adjusted.Code, adjusted.Secret);
        Assert.Equal(HttpStatusCode.OK, status);
        var e = Assert.Single(Json(body).GetProperty("entitlements").EnumerateArray());
        Assert.Equal(id, e.GetProperty("id").GetString());   // the entitlement the first dossier started
        Assert.Equal("N. T. Lan", e.GetProperty("beneficiaryName").GetString());
        Assert.Equal(["Started", "Adjusted"], e.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        foreach (var hidden in StaffOnly) Assert.DoesNotContain(hidden, body, StringComparison.OrdinalIgnoreCase);
        // The first dossier's secret shows the same entitlement with the change; each dossier's secret opens only its own code.
        var first = Assert.Single(Json((await ReadAsync(anonymous, granted.Code, granted.Secret)).Body).GetProperty("entitlements").EnumerateArray());
        Assert.Equal(2, first.GetProperty("history").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(anonymous, granted.Code, adjusted.Secret)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(anonymous, adjusted.Code, granted.Secret)).Status);

        // One access-log row for each dossier's reader.
        foreach (var code in new[] { granted.Code, adjusted.Code })
            await Eventually.ReturnsAsync(() => AccessRowsAsync(id, "tracking-secret:" + code), n => n == 1, TimeSpan.FromSeconds(10), "the read through " + code);
    }

    [Fact]
    public async Task All_six_entitlement_events_carry_ids_and_status_only_in_the_feed_and_in_webhooks_and_their_href_needs_the_scope()
    {
        var types = new[] { "EntitlementStarted", "EntitlementChanged", "EntitlementSuspended", "EntitlementResumed", "EntitlementEnded", "EntitlementTransferred" };
        var hits = new List<LocalServer.Hit>();
        await using var receiver = await LocalServer.StartAsync((hit, http) =>
        {
            lock (hits) hits.Add(hit);
            http.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        var subscriber = await api.RegisterClientAsync(["webhooks:manage", "events:read"]);
        using var subscriberHttp = api.WithKey(subscriber.Key);
        using (var subscribed = await subscriberHttp.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.BaseAddress.ToString(), eventTypes = types }))
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var before = await api.ScalarAsync<long>("SELECT COALESCE(MAX(position), 0) FROM integration_event");

        // An imported record in another ward: adjusted, suspended, resumed there, then transferred here and ended here.
        var person = RegisterTests.IdBornIn(1945);
        var born = new DateOnly(1945, 6, 1);
        var (old, oldWard) = await RegisterTests.ImportAsync(api, province, person, born, 750_000, "import-access-" + Guid.NewGuid().ToString("N")[..6]);
        using var oldOfficer = api.As("ward-officer", oldWard);
        using var oldChair = api.As("ward-chair", oldWard);
        await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-01", person, born, RegisterTests.Elderly("adjust"), oldWard), oldOfficer, oldChair);
        (await oldOfficer.PostAsJsonAsync($"/api/v1/entitlements/{old}/suspension", new { reason = "reverification", note = "Trưởng thôn báo vắng mặt." }))
            .EnsureSuccessStatusCode();
        (await oldOfficer.PostAsJsonAsync($"/api/v1/entitlements/{old}/resumption", new { note = "Trưởng thôn xác nhận vẫn cư trú." })).EnsureSuccessStatusCode();
        var form = LifecycleTests.ExampleForm("BTXH-02").Deserialize<JsonObject>()!;
        form["lastPaidMonth"] = RegisterTests.MonthOf(api, -1);
        var moved = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-02", person, born, form), officer, chair);
        var created = await RegisterTests.EntitlementOfAsync(api, moved);
        (await chair.PostAsJsonAsync($"/api/v1/entitlements/{created}/end", new { reason = "no-longer-eligible", note = "Trưởng thôn báo đã có người phụng dưỡng." }))
            .EnsureSuccessStatusCode();
        var ours = new HashSet<string>(StringComparer.Ordinal) { old, created };

        // The feed: every one of the six types, each with exactly the entitlement's ids and status.
        using var reader = api.WithKey((await api.RegisterClientAsync(["events:read"])).Key);
        var (all, _) = await reader.ReadAllEventsAsync(before.ToString(CultureInfo.InvariantCulture));
        var feed = all.Where(e => e.GetProperty("entitlement") is { ValueKind: JsonValueKind.Object } x && ours.Contains(x.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(["EntitlementChanged", "EntitlementSuspended", "EntitlementResumed", "EntitlementTransferred", "EntitlementStarted", "EntitlementEnded"],
            feed.Select(e => e.GetProperty("type").GetString()));
        foreach (var e in feed) AssertIdsAndStatusOnly(e, person);

        // Webhooks: the same six, delivered to a real receiver, valid against the published contract.
        var delivered = await Eventually.ReturnsAsync(() =>
            {
                lock (hits)
                    return Task.FromResult(hits.Select(h => JsonDocument.Parse(h.Body).RootElement.Clone())
                        .Where(p => p.GetProperty("data").GetProperty("entitlement") is { ValueKind: JsonValueKind.Object } x && ours.Contains(x.GetProperty("id").GetString()!))
                        .ToList());
            },
            d => d.Select(p => p.GetProperty("type").GetString()).Distinct().Count() == types.Length, TimeSpan.FromSeconds(30), "the six entitlement deliveries");
        Assert.Equal(types.Order(StringComparer.Ordinal), delivered.Select(p => p.GetProperty("type").GetString()!).Distinct().Order(StringComparer.Ordinal));
        foreach (var payload in delivered)
        {
            Assert.Empty(Contracts.Check("webhooks.openapi.json", "WebhookPayload", payload));
            AssertIdsAndStatusOnly(payload.GetProperty("data"), person);
        }

        // The href: 403 without the scope, 404 outside the client's wards, 200 with it — still nothing staff-only, access-logged.
        var href = feed.First(e => e.GetProperty("type").GetString() == "EntitlementSuspended").GetProperty("entitlement").GetProperty("href").GetString()!;
        Assert.Equal($"/api/v1/integration/entitlements/{old}", href);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(href)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await subscriberHttp.GetAsync(href)).StatusCode);
        using var elsewhere = api.WithKey((await api.RegisterClientAsync(["entitlements:read"], wards: ["04828"])).Key);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync(href)).StatusCode);
        var entitled = await api.RegisterClientAsync(["entitlements:read"]);
        using var entitledHttp = api.WithKey(entitled.Key);
        using var detail = await entitledHttp.GetAsync(href);
        var text = await detail.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var read = Json(text);
        Assert.Equal(old, read.GetProperty("id").GetString());
        Assert.Equal("Transferred", read.GetProperty("status").GetString());
        Assert.Equal("Lê Thị Hạnh", read.GetProperty("beneficiaryName").GetString());
        Assert.Equal(["Imported", "Adjusted", "Suspended", "Resumed", "Transferred"],
            read.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()));
        Assert.DoesNotContain(person, text, StringComparison.Ordinal);
        foreach (var hidden in StaffOnly) Assert.DoesNotContain(hidden, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await entitledHttp.GetAsync($"/api/v1/integration/entitlements/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(href)).StatusCode);
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM access_log WHERE subject_id = @Id AND kind = 'entitlement-record' AND reader_role = 'client' AND reader_id = @Reader",
                new { Id = old, Reader = "client:" + entitled.Id.ToString("D") }),
            n => n == 1, TimeSpan.FromSeconds(10), "the client's read in the access log");
    }

    /// <summary>An event's entitlement has exactly the ids and status (no group, coefficient, reason, name or amount anywhere in the event).</summary>
    private static void AssertIdsAndStatusOnly(JsonElement e, string person)
    {
        Assert.Equal(JsonValueKind.Null, e.GetProperty("dossier").ValueKind);
        var entitlement = e.GetProperty("entitlement");
        Assert.Equal(["benefitCode", "href", "id", "status", "version", "wardCode"],
            entitlement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var text = e.GetRawText();
        foreach (var hidden in StaffOnly.Concat(["reverification", "no-longer-eligible", "moved", "amount", "750000", "1250000", "Hạnh", "Lê Thị", person]))
            Assert.DoesNotContain(hidden, text, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        foreach (var c in new[] { anonymous, officer, chair, province }) c.Dispose();
    }
}
