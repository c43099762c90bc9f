using System.Net.Http.Json;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

/// <summary>
/// A whole lifecycle — filed, routed, registry-checked, claimed, decided, returned, plus an integration client's filing and
/// a rejected bad request — and then every line the service logged (its configured levels) is scanned: no identity number, phone
/// number, tracking secret, bearer token or API key appears.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class LogHygieneTests(ApiFactory api)
{
    [Fact]
    public async Task Identity_numbers_phones_secrets_tokens_and_keys_never_reach_the_logs()
    {
        var idNumber = ADossier.UniqueIdNumber();
        var phone = "0987654321";
        var receipt = await ADossier.Valid().ForPerson(idNumber).With("applicant.phone", phone).SubmitAsync(api.CreateClient());
        await receipt.AfterIntakeAsync(api.CreateClient());
        var officerToken = TokenForLogs("ward-officer", "04795");
        var chairToken = TokenForLogs("ward-chair", "04795");
        using var officer = Bearer(officerToken);
        using var chair = Bearer(chairToken);
        await receipt.DoAsync(officer, "claim");
        await receipt.DoAsync(officer, "forwarding", new { });
        await receipt.DoAsync(chair, "approval", new { });
        await receipt.DoAsync(officer, "result-return", new { });

        var client = await api.RegisterClientAsync(["dossiers:submit", "dossiers:read"]);
        using var integration = api.WithKey(client.Key);
        var otherId = ADossier.UniqueIdNumber();
        var filed = await integration.SubmitAsClientAsync(ADossier.Valid().ForPerson(otherId), "log-" + Guid.NewGuid().ToString("N"));
        using var wrongKey = api.WithKey(client.Key[..^3] + "abc");
        await wrongKey.GetAsync("/api/v1/events");
        await api.CreateClient().PostAsJsonAsync("/api/v1/dossiers", ADossier.Valid().ForPerson("12345678901").Body);   // refused
        // Notification and registry steps log while they run: wait until every step of both dossiers is done.
        await Eventually.ReturnsAsync(() => api.ScalarAsync<long>(
                "SELECT COUNT(*) FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id WHERE d.code IN (@A, @B) AND s.status <> 'done'",
                new { A = receipt.Code, B = filed.GetProperty("code").GetString() }),
            left => left == 0, TimeSpan.FromMinutes(1), "every workflow step of both dossiers to finish");

        var logs = api.Logs.Lines;
        Assert.NotEmpty(logs);
        foreach (var secret in new[] { idNumber, otherId, phone, "+84987654321", receipt.Secret, officerToken, chairToken, client.Key, client.Key[^20..] })
        {
            var leak = logs.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"'{secret[..Math.Min(8, secret.Length)]}…' appears in a log line: {leak}");
        }
    }

    private static string TokenForLogs(string role, string ward) =>
        Api.Infrastructure.Auth.TokenCommand.Mint(new Api.Infrastructure.Auth.AuthOptions(), role, ward, null, role + "-log-test", null, TimeSpan.FromHours(1));

    private HttpClient Bearer(string token)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
