using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Tests.Support;
using OneStopWindow.E2E.Support;
using Xunit.Abstractions;

namespace OneStopWindow.E2E;

/// <summary>
/// The page a phone opens from a paper's QR (issue 20), in a real headless Chromium against the real executable: a receipt
/// filed at the counter, its verification page (masked holder, hash, signature, the dossier's progress), then the PDF it
/// links, fetched by the browser with the holder's tracking secret: the same bytes as the hash on the page.
/// </summary>
public sealed class PaperVerificationPageTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("osw-e2e-verify-").FullName;

    [BrowserFact]
    public async Task The_verification_page_shows_the_paper_masked_with_its_checks_and_links_the_PDF()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Browser.ChromiumPath, Headless = true });
        await using var service = await ServiceProcess.StartAsync(folder, new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "app.db")}",
            ["Jobs:SqlitePath"] = Path.Combine(folder, "hangfire.db"),
            ["Jobs:WorkerCount"] = "2",
        });
        using var officer = new HttpClient { BaseAddress = service.Client.BaseAddress };
        officer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TokenCommand.Mint(new AuthOptions(), "ward-officer", "04795", null, "officer-e2e-verify", null, TimeSpan.FromHours(1)));

        var receipt = await ADossier.Valid().LivingIn("04795").With("applicant.fullName", "Nguyễn Thị Lựu").With("channel", "counter").SubmitAsync(officer);
        var paper = await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{receipt.Code}/papers");
            request.Headers.Add("X-Tracking-Secret", receipt.Secret);
            using var response = await service.Client.SendAsync(request);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("papers")[0].Clone();
        }, p => p.GetProperty("ready").GetBoolean(), TimeSpan.FromSeconds(30), "the receipt to be rendered");
        var path = new Uri(paper.GetProperty("verifyHref").GetString()!).PathAndQuery;

        var context = await browser.NewContextAsync(new() { BaseURL = service.Client.BaseAddress!.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add(m.Text); };
        page.PageError += (_, e) => { lock (errors) errors.Add("uncaught: " + e); };
        var response = await page.GotoAsync(path);
        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("vi", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("N. T. Lựu", await page.Locator("#holder").InnerTextAsync());
        Assert.Equal(receipt.Code, await page.Locator("#dossier").InnerTextAsync());
        Assert.Contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", await page.Locator("#title").InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("Hợp lệ — PAdES-B-B", await page.Locator("#signature").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Khớp với mã băm đã ghi nhận", await page.Locator("#hash-check").InnerTextAsync());
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("#status").InnerTextAsync()));
        Assert.DoesNotContain("Nguyễn Thị Lựu", await page.ContentAsync(), StringComparison.Ordinal);
        var sha = await page.Locator("#sha256").InnerTextAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "verify.png"), FullPage = true });
        if (Environment.GetEnvironmentVariable("PAPERS_OUT") is { Length: > 0 } shots) File.Copy(Path.Combine(folder, "verify.png"), Path.Combine(shots, "verify.png"), true);

        // The PDF it links: without the secret the browser gets 404 (the dossier's own rules); with it, the stored bytes.
        var href = await page.Locator("#pdf").GetAttributeAsync("href");
        Assert.Equal(paper.GetProperty("href").GetString(), href);
        var refused = await context.APIRequest.GetAsync(href!);
        Assert.Equal((int)HttpStatusCode.NotFound, refused.Status);
        await context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Tracking-Secret"] = receipt.Secret });
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#pdf").ClickAsync());
        var file = Path.Combine(folder, "receipt.pdf");
        await download.SaveAsAsync(file);
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5), StringComparison.Ordinal);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Empty(errors);
        output.WriteLine($"verification page and PDF ({bytes.Length} bytes) checked for {receipt.Code}");
    }

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
    }
}
