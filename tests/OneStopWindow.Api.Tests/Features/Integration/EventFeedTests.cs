using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Integration;

/// <summary>The outbox feed: every timeline change is an event, in a stable total order, filtered to the client's scope.</summary>
[Collection(ApiHost.Name)]
public sealed class EventFeedTests(ApiFactory api)
{
    private const string Ward = "04795";
    private const string OtherWard = "04828";

    private static long Cursor(JsonElement e) => long.Parse(e.GetProperty("cursor").GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_timeline_change_is_an_event_written_with_it()
    {
        var client = await api.RegisterClientAsync(["events:read"]);
        using var http = api.WithKey(client.Key);
        var (_, start) = await http.ReadAllEventsAsync();

        var receipt = await ADossier.Valid().SubmitAsync(api.CreateClient());
        await receipt.AfterIntakeAsync(api.CreateClient());
        await receipt.DoAsync(api.As("ward-officer", Ward), "claim");
        // Registry checks and the receipt's issue land beside the workflow: wait for both checks (population, poverty list) and
        // the receipt so nothing arrives mid-comparison.
        await Eventually.ReturnsAsync(() => receipt.AllEventKindsAsync(api.As("provincial-officer")),
            k => k.Count(x => x == "RegistryChecked") == 2 && k.Contains("PaperIssued"), TimeSpan.FromSeconds(30), "both registry checks and the receipt");

        var (events, _) = await http.ReadAllEventsAsync(start);
        var mine = events.Where(e => Code(e) == receipt.Code).ToList();
        // A paper's issue is on the timeline only (no state changed), not in the feed.
        var timeline = (await receipt.AllEventKindsAsync(api.As("provincial-officer"))).Where(k => k != "PaperIssued").ToList();
        Assert.Equal(timeline, mine.Select(e => e.GetProperty("type").GetString()!).ToList());
        Assert.Equal(["Submitted", "RoutedToWard", "Claimed"], mine.Select(e => e.GetProperty("type").GetString()).Where(t => t != "RegistryChecked"));
        var routed = mine.First(e => e.GetProperty("type").GetString() == "RoutedToWard").GetProperty("dossier");
        Assert.Equal(Ward, routed.GetProperty("handlingWardCode").GetString());
        Assert.Equal("Received", routed.GetProperty("status").GetString());
        // Events carry identifiers and state only.
        Assert.DoesNotContain("Nguyễn", string.Join("", mine.Select(e => e.GetRawText())), StringComparison.Ordinal);
        Assert.Equal(mine.Count, await api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM integration_event e JOIN dossier d ON d.id = e.dossier_id WHERE d.code = @Code", new { receipt.Code }));
    }

    [Fact]
    public async Task A_restricted_client_never_sees_another_wards_or_procedures_events()
    {
        var restricted = await api.RegisterClientAsync(["events:read"], procedures: ["BTXH-01"], wards: [OtherWard]);
        using var http = api.WithKey(restricted.Key);
        var (_, start) = await http.ReadAllEventsAsync();

        var inMyWard = await ADossier.Valid().LivingIn(OtherWard).SubmitAsync(api.CreateClient());
        var elsewhere = await ADossier.Valid().LivingIn(Ward).SubmitAsync(api.CreateClient());
        await inMyWard.AfterIntakeAsync(api.CreateClient());
        await elsewhere.AfterIntakeAsync(api.CreateClient());

        var (events, _) = await http.ReadAllEventsAsync(start, limit: 3);
        Assert.All(events, e =>
        {
            // Entitlement events (the benefit register) are scoped the same way: their ward and benefit.
            var subject = e.GetProperty("dossier").ValueKind == JsonValueKind.Object ? e.GetProperty("dossier") : e.GetProperty("entitlement");
            Assert.Equal(OtherWard, subject.GetProperty(subject.TryGetProperty("handlingWardCode", out _) ? "handlingWardCode" : "wardCode").GetString());
            Assert.Equal("BTXH-01", subject.GetProperty(subject.TryGetProperty("procedureCode", out _) ? "procedureCode" : "benefitCode").GetString());
        });
        Assert.Contains(events, e => Code(e) == inMyWard.Code);
        Assert.DoesNotContain(events, e => Code(e) == elsewhere.Code);
    }

    [Fact]
    public async Task Bad_cursors_and_limits_are_field_errors()
    {
        var client = await api.RegisterClientAsync(["events:read"]);
        using var http = api.WithKey(client.Key);
        foreach (var query in new[] { "after=abc", "after=-1", "limit=0", "limit=5000" })
        {
            using var response = await http.GetAsync("/api/v1/events?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_client_paging_during_concurrent_writes_sees_every_event_once_in_order()
    {
        var client = await api.RegisterClientAsync(["events:read"]);
        using var http = api.WithKey(client.Key);
        var (_, start) = await http.ReadAllEventsAsync();
        var startPosition = long.Parse(start, CultureInfo.InvariantCulture);

        var codes = new ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var anonymous = api.CreateClient();
            for (var i = 0; i < 10; i++) codes.Add((await ADossier.Valid().SubmitAsync(anonymous)).Code);
        })).ToArray();

        // Page continuously while the writers (and the intake jobs they trigger) commit.
        var seen = new List<JsonElement>();
        var cursor = start;
        var allWritten = Task.WhenAll(writers);
        while (!allWritten.IsCompleted)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/v1/events?limit=7&after={cursor}");
            seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.Clone()));
            cursor = page.GetProperty("nextCursor").GetString()!;
        }
        await allWritten;
        using var province = api.As("provincial-officer");
        foreach (var code in codes)
            await Eventually.ReturnsAsync(async () => (await province.GetFromJsonAsync<JsonElement>($"/api/v1/dossiers/{code}")).GetProperty("status").GetString(),
                s => s != "Submitted", TimeSpan.FromSeconds(30), "intake of " + code);
        var (rest, end) = await http.ReadAllEventsAsync(cursor, limit: 7);
        seen.AddRange(rest);

        var positions = seen.Select(Cursor).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
        // Registry checks may still be adding events: compare over the range the client has covered.
        var stored = await api.ScalarAsync<long>("SELECT COUNT(*) FROM integration_event WHERE position > @P AND position <= @E",
            new { P = startPosition, E = long.Parse(end, CultureInfo.InvariantCulture) });
        Assert.Equal(stored, seen.Count);
        Assert.All(codes, code => Assert.Equal(2, seen.Count(e => Code(e) == code
            && e.GetProperty("type").GetString() is "Submitted" or "RoutedToWard")));
    }

    /// <summary>The dossier code of a feed event; null for an entitlement event.</summary>
    private static string? Code(JsonElement e) =>
        e.GetProperty("dossier") is { ValueKind: JsonValueKind.Object } d ? d.GetProperty("code").GetString() : null;
}
