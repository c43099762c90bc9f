using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.E2E.Support;
using Xunit.Abstractions;

namespace OneStopWindow.E2E;

/// <summary>
/// What a ward officer does in Swagger UI, in a real browser against the real executable: authorize with a token,
/// find the new dossier in the ward's queue, claim it with its ETag.
/// </summary>
public sealed class SwaggerUiTests(ITestOutputHelper output) : IDisposable
{
    private const string Ward = "04795";
    private const float UiTimeout = 30_000;   // ms; Playwright's own default for actions, instead of 5 s for assertions
    private readonly string folder = Directory.CreateTempSubdirectory("osw-e2e-").FullName;

    [BrowserFact]
    public async Task A_ward_officer_authorizes_finds_the_dossier_in_the_queue_and_claims_it()
    {
        // The browser first: without one (and ONESTOPWINDOW_REQUIRE_BROWSER=1) the test fails at once.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Browser.ChromiumPath, Headless = true });

        await using var service = await ServiceProcess.StartAsync(folder, new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "app.db")}",
            ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
            ["Jobs:WorkerCount"] = "2",
        });
        var receipt = await ADossier.Valid().LivingIn(Ward).SubmitAsync(service.Client);
        var intake = await receipt.AfterIntakeAsync(service.Client, TimeSpan.FromSeconds(60));
        Assert.Equal("Received", intake.GetProperty("status").GetString());
        var etag = await receipt.ETagAsync(service.Client);
        var token = TokenCommand.Mint(new AuthOptions(), "ward-officer", Ward, null, "officer-1", null, TimeSpan.FromHours(1));

        var page = await browser.NewPageAsync(new() { BaseURL = service.Client.BaseAddress!.ToString(), ViewportSize = new() { Width = 1400, Height = 1000 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            output.WriteLine($"console {message.Type}: {message.Text} ({message.Location})");
            if (message.Type == "error" && !message.Location.Contains("favicon", StringComparison.OrdinalIgnoreCase)
                && !message.Text.Contains("favicon", StringComparison.OrdinalIgnoreCase))
                lock (consoleErrors) consoleErrors.Add($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => { lock (consoleErrors) consoleErrors.Add("uncaught: " + error); };

        try
        {
            await page.GotoAsync("/swagger/index.html");

            // Authorize: the bearer scheme's field takes the token alone (Swagger UI adds "Bearer ").
            await page.Locator("button.authorize").First.ClickAsync();
            var dialog = page.Locator(".dialog-ux .modal-ux");
            // The dialog also offers the integration clients' ApiKey scheme: use the bearer scheme's own form.
            var bearer = dialog.Locator("form").Filter(new() { Has = page.Locator("input[aria-label='auth-bearer-value']") });
            await bearer.Locator("input[aria-label='auth-bearer-value']").FillAsync(token);
            await bearer.Locator("button.modal-btn.authorize").ClickAsync();
            await dialog.Locator("button.btn-done").First.ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0, new() { Timeout = UiTimeout });

            // The ward's queue lists the dossier.
            var queue = await TryItOutAsync(page, "Work_queues", "GetWardQueue");
            await queue.Locator("tr[data-param-name='wardCode'] input").FillAsync(Ward);
            var (queueStatus, queueBody) = await ExecuteAsync(queue);
            Assert.True(queueStatus == "200", $"GetWardQueue answered {queueStatus}: {queueBody}");
            Assert.Contains(receipt.Code, queueBody, StringComparison.Ordinal);

            // Claim it with the ETag of the last read.
            var claim = await TryItOutAsync(page, "Dossier_lifecycle", "ClaimDossier");
            await claim.Locator("tr[data-param-name='code'] input").FillAsync(receipt.Code);
            await claim.Locator("tr[data-param-name='If-Match'] input").FillAsync(etag);
            var (claimStatus, claimBody) = await ExecuteAsync(claim);
            Assert.True(claimStatus == "200", $"ClaimDossier answered {claimStatus}: {claimBody}");

            await page.ScreenshotAsync(new() { Path = ScreenshotPath("swagger-ui-claim.png"), FullPage = true });
        }
        catch
        {
            // What the page showed when it failed; a failing screenshot must not hide the original error.
            try { await page.ScreenshotAsync(new() { Path = ScreenshotPath("swagger-ui-claim-failed.png"), FullPage = true }); }
            catch (PlaywrightException e) { output.WriteLine("no failure screenshot: " + e.Message); }
            throw;
        }

        using var timelineRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{receipt.Code}/timeline");
        timelineRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var timelineResponse = await service.Client.SendAsync(timelineRequest);
        Assert.Equal(System.Net.HttpStatusCode.OK, timelineResponse.StatusCode);
        var timeline = await timelineResponse.ReadJsonAsync();
        Assert.Contains(timeline.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "Claimed");

        lock (consoleErrors) Assert.True(consoleErrors.Count == 0, "browser console errors:\n" + string.Join('\n', consoleErrors));
    }

    /// <summary>Expands the operation and presses "Try it out"; returns the operation's block.</summary>
    private static async Task<ILocator> TryItOutAsync(IPage page, string tag, string operationId)
    {
        var operation = page.Locator($"#operations-{tag}-{operationId}");
        await operation.Locator(".opblock-summary-control").ClickAsync();
        await operation.Locator("button.try-out__btn").ClickAsync();
        return operation;
    }

    /// <summary>Presses Execute and reads the live response: status code and body text.</summary>
    private static async Task<(string Status, string Body)> ExecuteAsync(ILocator operation)
    {
        await operation.Locator("button.execute").ClickAsync();
        var live = operation.Locator(".live-responses-table .response");
        await Assertions.Expect(live.Locator(".response-col_status")).ToHaveTextAsync(new Regex(@"^\s*\d{3}"), new() { Timeout = UiTimeout });
        var status = (await live.Locator(".response-col_status").InnerTextAsync()).Trim()[..3];
        var body = await live.Locator(".response-col_description").InnerTextAsync();
        return (status, body);
    }

    private string ScreenshotPath(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
