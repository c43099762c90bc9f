using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Infrastructure;

[Collection(ApiHost.Name)]
public sealed class OpenApiDocumentTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();

    private async Task<string> ServedAsync() => await client.GetStringAsync("/swagger/v1/swagger.json");

    /// <summary>To regenerate on purpose: UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests</summary>
    [Fact]
    public async Task The_checked_in_document_is_the_one_the_service_serves()
    {
        var served = await ServedAsync();
        var checkedIn = Path.Combine(RepositoryRoot.Path, "api-specs", "openapi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(checkedIn, served);

        Assert.True(File.Exists(checkedIn), "api-specs/openapi.json is missing: run UPDATE_OPENAPI=1 dotnet test --filter OpenApiDocumentTests");
        Assert.Equal(await File.ReadAllTextAsync(checkedIn), served);
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_typed_responses()
    {
        var doc = JsonNode.Parse(await ServedAsync())!;
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                Assert.False(string.IsNullOrWhiteSpace(op!["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
                var responses = op["responses"]!.AsObject();
                Assert.Contains(responses, r => r.Key.StartsWith('2') && r.Value!["content"] is not null);
                Assert.Contains(responses, r => r.Key.StartsWith('4'));
            }
    }

    /// <summary>
    /// Every operation with a body carries an example, and the example body succeeds as is: the test brings a
    /// dossier into the status the operation needs, then sends the document's own example with the caller,
    /// ETag and tracking secret that a real client would have.
    /// </summary>
    [Fact]
    public async Task Every_request_example_in_the_document_succeeds_when_sent_as_is()
    {
        var doc = JsonNode.Parse(await ServedAsync())!;
        var sent = new List<string>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                if (op!["requestBody"] is not { } body) continue;
                var id = op["operationId"]!.GetValue<string>();
                var multipart = body["content"]?["multipart/form-data"]?["example"];
                var csv = body["content"]?["text/csv"]?["example"];
                var example = body["content"]?["application/json"]?["example"] ?? multipart ?? csv;
                Assert.True(example is not null, $"{method} {path} has a body but no example");
                var (client, receipt, withSecret, pathValues) = await PrepareAsync(id);
                var target = receipt is null ? path : path.Replace("{code}", receipt.Code, StringComparison.Ordinal);
                foreach (var (name, value) in pathValues ?? [])
                    target = name == "?" ? target + "?" + value : target.Replace("{" + name + "}", value, StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), target)
                {
                    Content = multipart is not null ? Form(multipart)
                        : body["content"]?["application/json"] is null && csv is not null ? new StringContent(csv.GetValue<string>(), System.Text.Encoding.UTF8, "text/csv")
                        : JsonContent.Create(example, options: Support.Json.Web),
                };
                if (receipt is not null && id is not ("FileObjection" or "UploadDocument")) request.Headers.TryAddWithoutValidation("If-Match", await receipt.ETagAsync(client));
                if (withSecret) request.Headers.Add("X-Tracking-Secret", receipt!.Secret);
                using var response = await client.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, $"{id} example answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                sent.Add(id);
            }
        Assert.Contains("SubmitDossier", sent);
        Assert.Contains("ApproveDossier", sent);
    }

    /// <summary>The example's text fields plus a small real PDF as the file a user would pick.</summary>
    private static MultipartFormDataContent Form(JsonNode example)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in example.AsObject()) form.Add(new StringContent(value!.GetValue<string>()), name);
        form.Add(new ByteArrayContent("%PDF-1.7\nexample\n%%EOF\n"u8.ToArray()), "file", "example.pdf");
        return form;
    }

    private async Task<(HttpClient Client, Receipt? Dossier, bool WithSecret, Dictionary<string, string>? PathValues)> PrepareAsync(string operationId)
    {
        var officer = api.As("ward-officer", "04795");
        var chair = api.As("ward-chair", "04795");
        async Task<Receipt> Received(ADossier? d = null)
        {
            var r = await (d ?? ADossier.Valid()).SubmitAsync(client);
            await r.AfterIntakeAsync(client);
            return r;
        }
        async Task<Receipt> Forwarded()
        {
            var r = await Received();
            await r.DoAsync(officer, "claim");
            await r.DoAsync(officer, "forwarding", new { });
            return r;
        }
        switch (operationId)
        {
            case "SubmitDossier": return (client, null, false, null);
            case "RegisterClient": return (api.As("administrator"), null, false, null);
            case "StartBeneficiaryImport": return (api.As("provincial-officer"), null, false, new() { ["?"] = "sourceSystem=openapi-example" });
            case "ResolveReverification":
                var split = await Received(ADossier.Valid().LivingIn("04891", "pre2025"));
                var entry = await api.ScalarAsync<string>("SELECT r.id FROM reverification r JOIN dossier d ON d.id = r.subject_id WHERE d.code = @Code", new { split.Code });
                return (api.As("provincial-officer"), null, false, new() { ["id"] = entry });
            case "ReplaceWorkingCalendarYear":   // its own year: no other test reads it
                var exampleYear = OneStopWindow.Api.Features.Calendar.CalendarEndpoints.ExampleYear;
                return (api.As("administrator"), null, false, new() { ["year"] = exampleYear.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            case "SetWardZone": return (api.As("provincial-officer"), null, false, new() { ["wardCode"] = "04831" });
            case "AddBenefitRule": return (api.As("administrator"), null, false, new() { ["code"] = "BTXH-03" });   // funeral: no other test decides in 2040
            case "DryRunBenefitRule": return (api.As("administrator"), null, false, new() { ["code"] = "BTXH-05" });   // saves nothing; no test adds BTXH-05 rules
            case "RotateClientKey":
                var rotating = await api.RegisterClientAsync(["events:read"]);
                return (api.As("administrator"), null, false, new() { ["clientId"] = rotating.Id.ToString() });
            case "SubmitIntegrationDossier": return (api.WithKey((await api.RegisterClientAsync(["dossiers:submit"])).Key), null, false, null);
            case "CreateWebhook": return (api.WithKey((await api.RegisterClientAsync(["webhooks:manage"])).Key), null, false, null);
            case "UploadDocument": return (client, await ADossier.Valid().SubmitAsync(client), true, null);
            case "AssignDossier": return (chair, await Received(), false, null);
            case "RequestSupplement" or "RefuseReception": return (officer, await Received(), false, null);
            case "RecordDelayNotice": return (officer, await Received(), false, null);   // due in two weeks or so: the example's date is later
            case "WithdrawDossier": return (client, await Received(), true, null);
            case "ReportDossierMisuse":
                // Filed anonymously under a person's number; the person, signed in, reports it.
                var person = ADossier.UniqueIdNumber();
                return (api.As("citizen", idNumber: person), await Received(ADossier.Valid().ForPerson(person)), false, null);
            case "RecordVerification" or "ForwardToChair":
                var claimed = await Received();
                await claimed.DoAsync(officer, "claim");
                return (officer, claimed, false, null);
            case "SubmitSupplement":
                var asked = await Received();
                await asked.DoAsync(officer, "supplement-request", new { items = new[] { new { description = "Thiếu chữ ký." } } });
                return (client, asked, true, null);
            case "ApproveDossier" or "RejectDossier": return (chair, await Forwarded(), false, null);
            case "ReturnResult" or "RateDossier":
                var decided = await Forwarded();
                await decided.DoAsync(chair, "approval", new { });
                if (operationId == "ReturnResult") return (officer, decided, false, null);
                await decided.DoAsync(officer, "result-return", new { });
                return (client, decided, true, null);
            case "AssignWard":
                return (api.As("provincial-officer"), await Received(ADossier.Valid().LivingIn("04891", "pre2025")), false, null);
            case "FileObjection":
                var btxh04 = await (await client.GetAsync("/api/v1/procedures/BTXH-04")).ReadJsonAsync();
                var posted = await Received(ADossier.Valid().With("procedureCode", "BTXH-04")
                    .With("formFields", JsonNode.Parse(btxh04.GetProperty("exampleForm").GetRawText())));
                await posted.DoAsync(officer, "claim");
                await posted.DoAsync(officer, "posting");
                return (client, posted, false, null);
            case "SuspendEntitlement" or "ResumeEntitlement" or "EndEntitlement" or "ReportEntitlementDeath" or "ReportEntitlementMove":
                var granted = await Forwarded();
                await granted.DoAsync(chair, "approval", new { });
                var entitlement = await api.ScalarAsync<string>("SELECT e.id FROM entitlement e JOIN dossier d ON d.id = e.dossier_id WHERE d.code = @Code",
                    new { granted.Code });
                if (operationId == "ResumeEntitlement")
                    (await officer.PostAsJsonAsync($"/api/v1/entitlements/{entitlement}/suspension", new { reason = "reverification" })).EnsureSuccessStatusCode();
                return (operationId == "EndEntitlement" ? chair : officer, null, false, new() { ["id"] = entitlement });
            case "ConfirmEntitlementProposal" or "DismissEntitlementProposal":
                // An Active entitlement the population registry records as deceased today: the check proposes its death report.
                var deceased = ADossier.UniqueIdNumber();
                var beneficiary = await Received(ADossier.Valid().ForPerson(deceased));
                await beneficiary.DoAsync(officer, "claim");
                await beneficiary.DoAsync(officer, "forwarding", new { });
                await beneficiary.DoAsync(chair, "approval", new { });
                api.Registry.Deceased(deceased, OneStopWindow.Domain.Calendar.Appointment.DateInVietnam(api.Clock.GetUtcNow())
                    .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                using (var scope = api.Services.CreateScope())
                    await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new OneStopWindow.Api.Features.Registries.CheckBeneficiaries());
                var proposal = await api.ScalarAsync<string>("""
                    SELECT p.id FROM entitlement_proposal p JOIN entitlement e ON e.id = p.entitlement_id JOIN dossier d ON d.id = e.dossier_id
                    WHERE d.code = @Code AND p.status = 'open'
                    """, new { beneficiary.Code });
                return (officer, null, false, new() { ["id"] = proposal });
            case "SetPaymentMethod" or "SetMyPaymentMethod":
                // An approved benefit of a person of their own: staff record how they are paid, or they do, signed in.
                var payee = ADossier.UniqueIdNumber();
                var paid = await Received(ADossier.Valid().ForPerson(payee));
                await paid.DoAsync(officer, "claim");
                await paid.DoAsync(officer, "forwarding", new { });
                await paid.DoAsync(chair, "approval", new { });
                if (operationId == "SetMyPaymentMethod") return (api.As("citizen", idNumber: payee), null, false, null);
                var benefit = await api.ScalarAsync<string>("SELECT e.id FROM entitlement e JOIN dossier d ON d.id = e.dossier_id WHERE d.code = @Code",
                    new { paid.Code });
                return (officer, null, false, new() { ["id"] = benefit });
            case "ReconcilePaymentList":
                // An approved list of a ward of its own; the example's row names a line no list has: 200 with one per-line error.
                var list = await Features.Payments.ReconciliationTests.ApprovedListAsync(api, "09100", OneStopWindow.Api.Tests.Features.Entitlements.RegisterTests.MonthOf(api),
                    withEntitlement: true);
                return (api.As("ward-officer", "09100"), null, false, new() { ["id"] = list.GetProperty("id").GetString()! });
            default:
                throw new InvalidOperationException($"No preparation for {operationId}: add one so its example is proven.");
        }
    }
}

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "OneStopWindow.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("OneStopWindow.sln not found above " + AppContext.BaseDirectory);
    }
}
