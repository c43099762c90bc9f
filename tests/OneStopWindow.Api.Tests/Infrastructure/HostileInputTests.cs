using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>
/// More than ten thousand malformed and hostile requests generated from the OpenAPI document — wrong types, missing and
/// extra fields, huge strings and arrays, deep JSON, invalid UTF-8, injection strings, bad identifiers, wrong content types,
/// bad tokens and keys — against the real host: never a 5xx, every refusal a problem document, nothing stored by a refusal.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class HostileInputTests(ApiFactory api, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] HostileStrings =
    [
        "' OR '1'='1", "1; DROP TABLE dossier; --", "../../../../etc/passwd", "%00", "\0", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
        "{{7*7}}", "25-261129-0001' --", new string('9', 5000), "Ω≈ç√∫˜µ≤≥÷", "🙂🙃", "-1", "0", "NaN", "1e309", "00000000-0000-0000-0000-000000000000",
        "null", "true", " ", "\u202e\u0041", "x\r\nSet-Cookie: a=b",
    ];

    private static readonly JsonNode?[] WrongValues =
    [
        JsonValue.Create(123), JsonValue.Create(-1.5e300), JsonValue.Create("x"), JsonValue.Create(true), new JsonArray(), new JsonObject(), null,
        JsonValue.Create(new string('A', 200_000)), new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
        JsonValue.Create("' OR 1=1 --"), JsonValue.Create("<img src=x onerror=alert(1)>"),
    ];

    private sealed record Attempt(string Operation, string Method, string Path, HttpContent? Content, string Caller);

    [Fact]
    public async Task Ten_thousand_hostile_requests_never_get_a_5xx_and_every_refusal_is_a_problem_document()
    {
        using var anonymous = api.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"))!;
        var attempts = Generate(document).ToList();
        Assert.True(attempts.Count >= 10_000, $"only {attempts.Count} requests generated");

        var before = await CountsAsync();
        var failures = new List<string>();
        var created = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var callers = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = anonymous,
            ["bad-bearer"] = WithHeader("Authorization", "Bearer abc.def.ghi"),
            ["forged-bearer"] = WithHeader("Authorization", "Bearer " + TokenCommand.Mint(new AuthOptions { SigningKey = new string('k', 64) },
                "administrator", null, null, null, null, TimeSpan.FromHours(1))),
            ["bad-key"] = WithHeader("X-Api-Key", "osw_aaaaaaaaaaaa_" + new string('B', 43)),
            ["garbage-key"] = WithHeader("X-Api-Key", "'; DROP TABLE api_key; --"),
            ["provincial"] = api.As("provincial-officer"),
            ["administrator"] = api.As("administrator"),
            ["ward-officer"] = api.As("ward-officer", "04795"),
        };

        await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(a.Method), a.Path) { Content = a.Content };
            using var response = await callers[a.Caller].SendAsync(request, ct);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
            var type = response.Content.Headers.ContentType?.MediaType;
            if (status >= 500)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                lock (failures) failures.Add($"{status} {a.Method} {a.Path[..Math.Min(120, a.Path.Length)]} as {a.Caller}: {text[..Math.Min(300, text.Length)]}");
            }
            else if (status >= 400 && type != "application/problem+json")
                lock (failures) failures.Add($"{status} without a problem document ({type}) {a.Method} {a.Path[..Math.Min(120, a.Path.Length)]} as {a.Caller}");
            else if (status is >= 200 and < 300 && a.Method is "POST" or "PUT") Interlocked.Increment(ref created);
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of {attempts.Count} bad answers, e.g.:\n" + string.Join('\n', failures.Distinct().Take(25)));
        // The generator reached every kind of refusal (bad input, no or bad credentials, wrong role, unknown thing, wrong media type).
        var seen = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine($"{attempts.Count} requests: {seen}");
        foreach (var expected in new[] { 400, 401, 403, 404, 415 }) Assert.True(statuses.ContainsKey(expected), $"no {expected} among {seen}");
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > attempts.Count * 9 / 10, seen);
        // Nothing was stored by a refused request: the tables grew at most by what the accepted ones created.
        var after = await CountsAsync();
        foreach (var (table, count) in after) Assert.InRange(count - before[table], 0, created);
    }

    private HttpClient WithHeader(string name, string value)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        return client;
    }

    private async Task<Dictionary<string, long>> CountsAsync()
    {
        var result = new Dictionary<string, long>();
        foreach (var table in new[] { "dossier", "dossier_document", "objection", "api_client", "webhook_subscription", "beneficiary_import", "ward_zone" })
            result[table] = await api.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        return result;
    }

    private static IEnumerable<Attempt> Generate(JsonNode document)
    {
        var callers = new[] { "anonymous", "bad-bearer", "forged-bearer", "bad-key", "garbage-key", "provincial", "administrator", "ward-officer" };
        var n = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                var id = op!["operationId"]?.GetValue<string>() ?? path;
                var parameters = op["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
                var query = parameters.Where(p => p["in"]!.GetValue<string>() == "query").Select(p => p["name"]!.GetValue<string>()).ToList();
                var body = op["requestBody"]?["content"];
                var example = body?["application/json"]?["example"];
                var multipart = body?["multipart/form-data"] is not null;

                // Hostile path and query values, for every kind of caller.
                foreach (var value in HostileStrings)
                    foreach (var caller in callers)
                    {
                        // A NUL in the path never reaches the app (the server refuses the request line); it still goes in the query.
                        var target = FillPath(path, value is "%00" or "\0" ? "nul" : value);
                        var q = string.Join('&', query.Select(name => name + "=" + Uri.EscapeDataString(value)));
                        yield return new(id, method.ToUpperInvariant(), target + (q.Length > 0 ? "?" + q : ""), HostileBody(example, multipart, n++), caller);
                    }
                if (body is null) continue;

                // Body mutations on a well-formed path: each property of the example set to each wrong value, removed, or joined by an extra one.
                var validPath = FillPath(path, path.Contains("{code}", StringComparison.Ordinal) ? "25-261129-0001" : "04795");
                foreach (var mutated in Mutations(example))
                    foreach (var caller in new[] { "provincial", "administrator", "ward-officer", "anonymous", "bad-key" })
                        yield return new(id, method.ToUpperInvariant(), validPath, Json(mutated.ToJsonString()), caller);
                foreach (var raw in RawBodies())
                    foreach (var caller in callers)
                        yield return new(id, method.ToUpperInvariant(), validPath, raw(), caller);
            }
    }

    private static string FillPath(string path, string value)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '{')
            {
                var end = path.IndexOf('}', i);
                result.Append(Uri.EscapeDataString(value));
                i = end + 1;
            }
            else result.Append(path[i++]);
        }
        return result.ToString();
    }

    private static HttpContent? HostileBody(JsonNode? example, bool multipart, int n)
    {
        if (multipart)
        {
            var form = new MultipartFormDataContent();
            form.Add(new StringContent("' OR 1=1 --"), "documentCode");
            // A Windows executable disguised as a PDF.
            var file = new ByteArrayContent([0x4D, 0x5A, 0x90, 0x00, .. Encoding.ASCII.GetBytes("This program cannot be run in DOS mode")]);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "file", "quyet-dinh.pdf");
            return form;
        }
        return example is null ? null : n % 2 == 0 ? Json(example.ToJsonString()) : Json("{\"x\":" + new string('[', 3000) + new string(']', 3000) + "}");
    }

    private static IEnumerable<JsonNode> Mutations(JsonNode? example)
    {
        if (example is not JsonObject root) yield break;
        foreach (var (pointer, _) in Leaves(root, ""))
        {
            foreach (var wrong in WrongValues)
            {
                var copy = root.DeepClone();
                Set(copy, pointer, wrong?.DeepClone());
                yield return copy;
            }
            var removed = root.DeepClone();
            Remove(removed, pointer);
            yield return removed;
        }
        var extra = root.DeepClone();
        extra["__proto__"] = new JsonObject { ["isAdmin"] = true };
        extra["role"] = "administrator";
        Remove(extra, Leaves(root, "").First().Pointer);
        yield return extra;
    }

    private static IEnumerable<(string Pointer, JsonNode? Node)> Leaves(JsonNode? node, string pointer)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, child) in o)
            {
                yield return (pointer + "/" + name, child);
                foreach (var leaf in Leaves(child, pointer + "/" + name)) yield return leaf;
            }
        }
    }

    private static void Set(JsonNode root, string pointer, JsonNode? value)
    {
        var parts = pointer.Trim('/').Split('/');
        var parent = parts[..^1].Aggregate(root, (n, p) => n[p]!);
        parent[parts[^1]] = value;
    }

    private static void Remove(JsonNode root, string pointer)
    {
        var parts = pointer.Trim('/').Split('/');
        var parent = parts[..^1].Aggregate(root, (n, p) => n[p]!);
        parent.AsObject().Remove(parts[^1]);
    }

    private static IEnumerable<Func<HttpContent>> RawBodies() =>
    [
        () => Json("{"),
        () => Json("[]"),
        () => Json("null"),
        () => Json("\"s\""),
        () => Json("12"),
        () => Json("{\"a\":1,\"a\":2}"),
        () => new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0xFF, 0xFE, 0x7D]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        () => new StringContent("<xml/>", Encoding.UTF8, "application/xml"),
        () => new StringContent("procedureCode=BTXH-01", Encoding.UTF8, "application/x-www-form-urlencoded"),
        () => new StringContent("plain text", Encoding.UTF8, "text/plain"),
        () => Json("{\"procedureCode\":\"" + new string('x', 1_000_000) + "\"}"),
        () => Json(new string('[', 100_000) + new string(']', 100_000)),
    ];

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
