using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Integration;

/// <summary>Signed webhook deliveries to real HTTP receivers on 127.0.0.1: order, retries, dead letters, redelivery, scope.</summary>
[Collection(ApiHost.Name)]
public sealed class WebhookTests(ApiFactory api)
{
    private const string Ward = "04795";
    private const string OtherWard = "04828";

    private sealed record Subscribed(RegisteredClient Client, HttpClient Http, Guid Id, string Secret);

    private async Task<Subscribed> SubscribeAsync(Uri url, string[]? eventTypes = null, string[]? wards = null)
    {
        var client = await api.RegisterClientAsync(["webhooks:manage", "events:read"], wards: wards);
        var http = api.WithKey(client.Key);
        using var response = await http.PostAsJsonAsync("/api/v1/webhooks", new { url = url.ToString(), eventTypes = eventTypes ?? ["*"] });
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return new(client, http, json.GetProperty("webhook").GetProperty("id").GetGuid(), json.GetProperty("secret").GetString()!);
    }

    /// <summary>Standard Webhooks verification written from the specification, independently of the service's code.</summary>
    private static bool SignatureIsValid(LocalServer.Hit hit, string secret)
    {
        var key = Convert.FromBase64String(secret.Split('_', 2)[1]);
        var signed = $"{hit.Headers["webhook-id"]}.{hit.Headers["webhook-timestamp"]}.{hit.Body}";
        using var hmac = new HMACSHA256(key);
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(signed)));
        var fresh = Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(hit.Headers["webhook-timestamp"], CultureInfo.InvariantCulture)) < 300;
        return fresh && hit.Headers["webhook-signature"].Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    private static JsonElement Payload(LocalServer.Hit hit) => JsonDocument.Parse(hit.Body).RootElement.Clone();

    /// <summary>The dossier code of a delivery; "" for an entitlement event (the benefit register's, which other tests cause meanwhile).</summary>
    private static string DossierOf(LocalServer.Hit hit) =>
        Payload(hit).GetProperty("data").GetProperty("dossier") is { ValueKind: JsonValueKind.Object } d ? d.GetProperty("code").GetString()! : "";

    private Task<long> PendingAsync(Guid subscription) =>
        api.ScalarAsync<long>("SELECT COUNT(*) FROM webhook_delivery WHERE subscription_id = @S AND status = 'pending'", new { S = subscription.ToString("D") });

    [Fact]
    public async Task Deliveries_are_signed_json_with_a_delivery_id()
    {
        await using var receiver = await LocalServer.StartAsync((_, http) => { http.Response.StatusCode = 204; return Task.CompletedTask; });
        var sub = await SubscribeAsync(receiver.BaseAddress, ["RoutedToWard"]);
        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());

        var hits = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Snapshot().Where(h => DossierOf(h) == receipt.Code).ToList()),
            h => h.Count > 0, TimeSpan.FromSeconds(20), "the RoutedToWard delivery");
        var hit = Assert.Single(hits);
        Assert.Equal("POST", hit.Method);
        Assert.StartsWith("application/json", hit.Headers["content-type"], StringComparison.Ordinal);
        Assert.True(SignatureIsValid(hit, sub.Secret));
        Assert.False(SignatureIsValid(hit with { Body = hit.Body.Replace("RoutedToWard", "Approved", StringComparison.Ordinal) }, sub.Secret));
        var payload = Payload(hit);
        Assert.Empty(Contracts.Check("webhooks.openapi.json", "WebhookPayload", payload));
        Assert.Equal("RoutedToWard", payload.GetProperty("type").GetString());
        Assert.Equal(Ward, payload.GetProperty("data").GetProperty("dossier").GetProperty("handlingWardCode").GetString());

        var deliveries = await Eventually.ReturnsAsync(() => sub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{sub.Id}/deliveries?status=delivered"),
            d => d.GetArrayLength() > 0, TimeSpan.FromSeconds(10), "the delivery recorded as delivered");
        Assert.Equal(hit.Headers["webhook-id"], deliveries[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_subscriber_down_for_a_while_gets_everything_in_order_per_dossier_when_it_returns()
    {
        var down = true;
        var accepted = new List<LocalServer.Hit>();
        await using var receiver = await LocalServer.StartAsync((hit, http) =>
        {
            var ok = !Volatile.Read(ref down);
            if (ok) lock (accepted) accepted.Add(hit);
            http.Response.StatusCode = ok ? 200 : 503;
            return Task.CompletedTask;
        });
        var sub = await SubscribeAsync(receiver.BaseAddress, ["Submitted", "RoutedToWard", "Claimed"]);

        var receipts = new List<Receipt>();
        for (var i = 0; i < 6; i++) receipts.Add(await ADossier.Valid().SubmitAsync(api.CreateClient()));
        using var officer = api.As("ward-officer", Ward);
        foreach (var r in receipts.Take(3))
        {
            await r.AfterIntakeAsync(api.CreateClient());
            await r.DoAsync(officer, "claim");
        }
        foreach (var r in receipts.Skip(3)) await r.AfterIntakeAsync(api.CreateClient());   // every event of the six exists now
        await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Snapshot().Count), c => c >= 4, TimeSpan.FromSeconds(20), "failed attempts while down");

        var codes = receipts.Select(r => r.Code).ToHashSet();
        long expected = 0;
        foreach (var code in codes)
            expected += await api.ScalarAsync<long>("SELECT COUNT(*) FROM integration_event WHERE dossier_code = @Code AND event_type <> 'RegistryChecked'", new { Code = code });
        Assert.Equal(15, expected);   // 6 × (Submitted, RoutedToWard) + 3 × Claimed
        // Still down until the relay has queued a delivery for every one of them: all were held back by the outage.
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM webhook_delivery w JOIN dossier d ON d.id = w.dossier_id WHERE w.subscription_id = @Sub AND d.code IN @Codes",
                new { Sub = sub.Id.ToString("D"), Codes = codes.ToList() }),
            c => c >= expected, TimeSpan.FromSeconds(20), "a delivery queued for every event while down");
        Volatile.Write(ref down, false);
        await Eventually.ReturnsAsync(() => PendingAsync(sub.Id), p => p == 0, TimeSpan.FromSeconds(60), "every delivery to succeed");

        List<LocalServer.Hit> mine;
        lock (accepted) mine = accepted.Where(h => codes.Contains(DossierOf(h))).ToList();
        var byEvent = mine.GroupBy(h => Payload(h).GetProperty("data").GetProperty("id").GetGuid()).ToList();
        Assert.Equal(expected, byEvent.Count);   // every event arrived
        Assert.All(byEvent, g => Assert.Single(g.Select(h => h.Headers["webhook-id"]).Distinct()));   // a repeat always carries the same delivery id
        foreach (var dossier in mine.GroupBy(DossierOf))
        {
            var cursors = dossier.Select(h => long.Parse(Payload(h).GetProperty("data").GetProperty("cursor").GetString()!, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(cursors.Order(), cursors);   // in order per dossier
        }
        Assert.All(mine, h => Assert.True(SignatureIsValid(h, sub.Secret)));
    }

    [Fact]
    public async Task A_gone_subscriber_is_dead_lettered_and_redelivery_sends_the_same_delivery_again()
    {
        var gone = true;
        await using var receiver = await LocalServer.StartAsync((_, http) =>
        {
            http.Response.StatusCode = Volatile.Read(ref gone) ? 410 : 200;
            return Task.CompletedTask;
        });
        var sub = await SubscribeAsync(receiver.BaseAddress, ["Submitted"]);
        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());

        var dead = await Eventually.ReturnsAsync(() => sub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{sub.Id}/deliveries?status=dead"),
            d => d.EnumerateArray().Any(x => x.GetProperty("dossierCode").GetString() == receipt.Code), TimeSpan.FromSeconds(20), "a dead letter");
        var letter = dead.EnumerateArray().First(x => x.GetProperty("dossierCode").GetString() == receipt.Code);
        Assert.Equal(410, letter.GetProperty("lastStatus").GetInt32());
        var deliveryId = letter.GetProperty("id").GetString()!;

        Volatile.Write(ref gone, false);
        using var redeliver = await sub.Http.PostAsync($"/api/v1/webhooks/{sub.Id}/deliveries/{deliveryId}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        await Eventually.ReturnsAsync(() => api.ScalarAsync<string>("SELECT status FROM webhook_delivery WHERE id = @Id", new { Id = deliveryId }),
            s => s == "delivered", TimeSpan.FromSeconds(20), "the redelivery");
        Assert.All(receiver.Snapshot().Where(h => DossierOf(h) == receipt.Code), h => Assert.Equal(deliveryId, h.Headers["webhook-id"]));
        Assert.Equal(2, receiver.Snapshot().Count(h => DossierOf(h) == receipt.Code));

        // A pending one cannot be "redelivered"; another client's subscription is not found.
        using var again = await sub.Http.PostAsync($"/api/v1/webhooks/{sub.Id}/deliveries/{Guid.NewGuid()}/redeliver", null);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var stranger = await api.RegisterClientAsync(["webhooks:manage"]);
        using var strangerHttp = api.WithKey(stranger.Key);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerHttp.GetAsync($"/api/v1/webhooks/{sub.Id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerHttp.DeleteAsync($"/api/v1/webhooks/{sub.Id}")).StatusCode);
    }

    [Fact]
    public async Task After_the_retry_budget_a_failing_delivery_is_dead_lettered()
    {
        await using var receiver = await LocalServer.StartAsync((_, http) => { http.Response.StatusCode = 500; return Task.CompletedTask; });
        var sub = await SubscribeAsync(receiver.BaseAddress, ["Submitted"]);
        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());
        // (A dossier submitted just before the subscription may be delivered to it too: look for this one.)
        var dead = await Eventually.ReturnsAsync(() => sub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{sub.Id}/deliveries?status=dead"),
            d => d.EnumerateArray().Any(x => x.GetProperty("dossierCode").GetString() == receipt.Code), TimeSpan.FromMinutes(3), "the delivery to exhaust its budget");
        var letter = dead.EnumerateArray().First(x => x.GetProperty("dossierCode").GetString() == receipt.Code);
        Assert.Equal(9, letter.GetProperty("attempts").GetInt32());   // the first attempt + 8 configured retry delays
        Assert.Equal(500, letter.GetProperty("lastStatus").GetInt32());
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var target = await LocalServer.StartAsync((_, http) => { http.Response.StatusCode = 200; return Task.CompletedTask; });
        await using var redirecting = await LocalServer.StartAsync((_, http) =>
        {
            http.Response.StatusCode = 307;
            http.Response.Headers.Location = target.BaseAddress.ToString();
            return Task.CompletedTask;
        });
        var sub = await SubscribeAsync(redirecting.BaseAddress, ["Submitted"]);
        await ADossier.Valid().SubmitAsync(api.CreateClient());
        var dead = await Eventually.ReturnsAsync(() => sub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{sub.Id}/deliveries?status=dead"),
            d => d.GetArrayLength() > 0, TimeSpan.FromSeconds(20), "the redirected delivery to be dead-lettered");
        Assert.Equal(307, dead[0].GetProperty("lastStatus").GetInt32());
        Assert.Empty(target.Snapshot());
    }

    [Theory]
    [InlineData("http://127.0.0.2/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.2]/hook")]
    [InlineData("http://[::ffff:a9fe:a9fe]/hook")]
    [InlineData("http://[::127.0.0.1]/hook")]
    [InlineData("http://[::ffff:0:127.0.0.1]/hook")]
    [InlineData("http://2130706434/hook")]
    [InlineData("http://0x7f000002/hook")]
    [InlineData("http://017700000002/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("ftp://example.org/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:password@example.org/hook")]
    [InlineData("not a url")]
    public async Task Webhook_urls_that_reach_forbidden_networks_are_refused(string url)
    {
        var client = await api.RegisterClientAsync(["webhooks:manage"]);
        using var http = api.WithKey(client.Key);
        using var response = await http.PostAsJsonAsync("/api/v1/webhooks", new { url, eventTypes = new[] { "*" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("url", out _));
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM webhook_subscription WHERE client_id = @C", new { C = client.Id.ToString("D") }));
    }

    [Fact]
    public async Task A_refused_registration_does_not_say_where_the_name_points()
    {
        var client = await api.RegisterClientAsync(["webhooks:manage"]);
        using var http = api.WithKey(client.Key);
        using var response = await http.PostAsJsonAsync("/api/v1/webhooks", new { url = $"https://{ApiFactory.IntranetHost}/hook", eventTypes = new[] { "*" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("Địa chỉ không được phép: chỉ nhận máy chủ trên mạng công cộng.", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.DoesNotContain(ApiFactory.IntranetAddress, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_to_a_closed_port_shows_only_the_failure_class()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();   // nothing listens there now: every connection is refused
        var sub = await SubscribeAsync(new Uri($"http://127.0.0.1:{port}/hook"), ["Submitted"]);
        await ADossier.Valid().SubmitAsync(api.CreateClient());

        var deliveries = await Eventually.ReturnsAsync(() => sub.Http.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{sub.Id}/deliveries"),
            d => d.EnumerateArray().Any(x => x.GetProperty("lastError").ValueKind == JsonValueKind.String), TimeSpan.FromSeconds(20), "a failed attempt");
        Assert.All(deliveries.EnumerateArray().Where(x => x.GetProperty("lastError").ValueKind == JsonValueKind.String), x =>
        {
            Assert.Equal("connection-refused", x.GetProperty("lastError").GetString());
            Assert.Equal(JsonValueKind.Null, x.GetProperty("lastStatus").ValueKind);
        });
        Assert.Equal(0, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM webhook_delivery WHERE subscription_id = @S AND last_error IS NOT NULL AND last_error <> 'connection-refused'",
            new { S = sub.Id.ToString("D") }));
    }

    [Fact]
    public async Task A_ward_restricted_subscriber_never_receives_another_wards_events()
    {
        await using var receiver = await LocalServer.StartAsync((_, http) => { http.Response.StatusCode = 200; return Task.CompletedTask; });
        var sub = await SubscribeAsync(receiver.BaseAddress, wards: [OtherWard]);
        var elsewhere = await ADossier.Valid().LivingIn(Ward).SubmitAsync(api.CreateClient());
        await elsewhere.AfterIntakeAsync(api.CreateClient());
        var mine = await ADossier.Valid().LivingIn(OtherWard).SubmitAsync(api.CreateClient());
        await mine.AfterIntakeAsync(api.CreateClient());

        // The later dossier's routing arrived, so the relay has passed the earlier one's events too.
        await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Snapshot().Any(h => DossierOf(h) == mine.Code)), x => x, TimeSpan.FromSeconds(20), "my ward's event");
        Assert.All(receiver.Snapshot(), h => Assert.Equal(OtherWard, Payload(h).GetProperty("data") is var data
            && data.GetProperty("dossier").ValueKind == JsonValueKind.Object
            ? data.GetProperty("dossier").GetProperty("handlingWardCode").GetString() : data.GetProperty("entitlement").GetProperty("wardCode").GetString()));
        Assert.DoesNotContain(receiver.Snapshot(), h => DossierOf(h) == elsewhere.Code);
        _ = sub;
    }
}
