using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneStopWindow.Api.Features.Papers;
using OneStopWindow.Api.Tests.Features.Entitlements;
using OneStopWindow.Api.Tests.Support;
using UglyToad.PdfPig;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace OneStopWindow.Api.Tests.Features.Papers;

/// <summary>
/// Issue 20, second step: the QR printed on each paper, read back from the rendered page (poppler's pdftoppm, ZXing), opens
/// the public verification answer — what the paper is, who issued it, its hash and signature check, whether it still stands,
/// the holder masked — and the receipt's answer lets its holder follow the dossier without an account.
/// </summary>
[Collection(ApiHost.Name)]
public sealed class PaperVerificationTests(ApiFactory api) : IDisposable
{
    private const string Ward = "04795";
    private const string Name = "Nguyễn Thị Lựu";
    private readonly HttpClient anonymous = api.CreateClient();
    private readonly HttpClient officer = api.As("ward-officer", Ward, subject: "officer-verify");
    private readonly HttpClient chair = api.As("ward-chair", Ward, subject: "chair-verify");

    public void Dispose()
    {
        anonymous.Dispose();
        officer.Dispose();
        chair.Dispose();
    }

    [Fact]
    public async Task The_receipts_verification_masks_the_holder_checks_hash_and_signature_and_follows_the_dossier()
    {
        var receipt = await ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).With("channel", "counter").SubmitAsync(officer);
        var link = receipt.Json.GetProperty("receiptPaper").GetString()!;
        var pdf = await PdfAsync(officer, link);
        if (Environment.GetEnvironmentVariable("PAPERS_OUT") is { Length: > 0 } folder) await File.WriteAllBytesAsync(Path.Combine(folder, "receipt-signed.pdf"), pdf);

        // The address the QR encodes (The_QR_printed_on_each_paper_decodes_to_its_verification_address reads it from the page).
        var url = (await ListAsync(anonymous, receipt.Code, receipt.Secret)).EnumerateArray().Single().GetProperty("verifyHref").GetString()!;
        Assert.StartsWith("https://onestopwindow.phutho.gov.vn/api/v1/verify/", url, StringComparison.Ordinal);
        var code = url[(url.LastIndexOf('/') + 1)..];
        Assert.Matches("^[A-Za-z0-9_-]{22,}$", code);   // ≥ 128 random bits, URL-safe
        Assert.DoesNotContain(receipt.Secret, url, StringComparison.Ordinal);
        using (var document = PdfDocument.Open(pdf))
        {
            Assert.Equal(1, document.NumberOfPages);   // the QR block keeps the A5 receipt on one page
            var words = string.Join(" ", document.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains(code, words, StringComparison.Ordinal);   // the address is printed too, for a reader without a camera
            Assert.Contains("Kiểm tra giấy này", words, StringComparison.Ordinal);
        }

        var answer = await VerifyJsonAsync(new Uri(url).PathAndQuery);
        Assert.Equal("receipt", answer.GetProperty("paper").GetString());
        Assert.Equal("01", answer.GetProperty("form").GetString());
        Assert.Equal(receipt.Code, answer.GetProperty("dossierCode").GetString());
        Assert.Equal("N. T. Lựu", answer.GetProperty("holder").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), answer.GetProperty("sha256").GetString());
        Assert.True(answer.GetProperty("hashMatches").GetBoolean());
        Assert.Equal("issued", answer.GetProperty("standing").GetString());
        Assert.Equal("Bộ phận một cửa UBND Phường Hòa Bình", answer.GetProperty("issuer").GetString());
        var signature = answer.GetProperty("signature");
        Assert.True(signature.GetProperty("valid").GetBoolean(), signature.ToString());
        Assert.Equal("PAdES-B-B (ETSI.CAdES.detached)", signature.GetProperty("format").GetString());
        Assert.True(signature.GetProperty("issuedByThisService").GetBoolean());
        Assert.True(signature.GetProperty("developmentCertificate").GetBoolean());
        var follow = answer.GetProperty("dossier");
        var status = await receipt.StatusAsync(anonymous);
        Assert.Equal(status.GetProperty("status").GetString(), follow.GetProperty("status").GetString());
        Assert.Equal(status.GetProperty("appointmentDate").GetString(), follow.GetProperty("appointmentDate").GetString());
        Assert.Equal(link, answer.GetProperty("pdfHref").GetString());
        var raw = answer.GetRawText();
        Assert.DoesNotContain(Name, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Nguyễn", raw, StringComparison.Ordinal);

        Assert.Equal(url, (await ListAsync(officer, receipt.Code)).EnumerateArray().Single().GetProperty("verifyHref").GetString());

        // A phone's browser gets a page in Vietnamese with the same facts, masked, under its own CSP and never cached.
        using var page = new HttpRequestMessage(HttpMethod.Get, new Uri(url).PathAndQuery);
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var html = await anonymous.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.True(html.Headers.CacheControl?.NoStore);
        Assert.Contains("default-src 'none'", string.Join(";", html.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var body = await html.Content.ReadAsStringAsync();
        Assert.Contains("N. T. Lựu", body, StringComparison.Ordinal);
        Assert.Contains(receipt.Code, body, StringComparison.Ordinal);
        Assert.Contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Name, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_changed_or_malformed_code_is_not_found_and_reveals_nothing()
    {
        var receipt = await ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).With("channel", "counter").SubmitAsync(officer);
        await PdfAsync(officer, receipt.Json.GetProperty("receiptPaper").GetString()!);
        var url = (await ListAsync(officer, receipt.Code)).EnumerateArray().Single().GetProperty("verifyHref").GetString()!;
        var code = url[(url.LastIndexOf('/') + 1)..];
        var changed = code[..^1] + (code[^1] == 'A' ? 'B' : 'A');

        foreach (var probe in new[] { changed, "AAAAAAAAAAAAAAAAAAAAAA", "short", new string('x', 300), "..%2F..%2Fetc", receipt.Code })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/verify/" + probe);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(receipt.Code, text, StringComparison.Ordinal);
            Assert.Contains("paper-not-found", text, StringComparison.Ordinal);
        }
    }

    [PopplerFact]
    public async Task The_QR_printed_on_each_paper_decodes_to_its_verification_address()
    {
        var receipt = await ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).With("channel", "counter").SubmitAsync(officer);
        var listed = (await ListAsync(officer, receipt.Code)).EnumerateArray().Single();
        var url = ReadQr(await PdfAsync(officer, listed.GetProperty("href").GetString()!));   // A5
        Assert.Equal(listed.GetProperty("verifyHref").GetString(), url);
        Assert.Equal(receipt.Code, (await VerifyJsonAsync(new Uri(url).PathAndQuery)).GetProperty("dossierCode").GetString());

        var (_, decision) = await DecisionAsync();
        var decisionUrl = ReadQr(await PdfAsync(officer, decision.GetProperty("href").GetString()!));   // A4
        Assert.Equal(decision.GetProperty("verifyHref").GetString(), decisionUrl);
        Assert.Equal("decision", (await VerifyJsonAsync(new Uri(decisionUrl).PathAndQuery)).GetProperty("paper").GetString());
    }

    private async Task<(Receipt Receipt, JsonElement Decision)> DecisionAsync()
    {
        var person = RegisterTests.IdBornIn(1948);
        var born = new DateOnly(1948, 2, 1);
        var form = new JsonObject
        {
            ["eligibilityBasis"] = "age-75-plus",
            ["receivesMonthlyPensionOrInsurance"] = false,
            ["receivesMonthlySocialAllowance"] = false,
        };
        var receipt = await RegisterTests.ApprovedAsync(api, RegisterTests.For("BTXH-05", person, born, form).With("applicant.fullName", "Trần Văn Đức"),
            officer, chair);
        var decision = await Eventually.ReturnsAsync(async () => (await ListAsync(officer, receipt.Code)).EnumerateArray()
            .FirstOrDefault(p => p.GetProperty("kind").GetString() == "decision"), p => p.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), "decision");
        return (receipt, decision);
    }

    [Fact]
    public async Task A_decisions_verification_says_whether_it_still_stands_and_never_shows_the_group()
    {
        var (receipt, decision) = await DecisionAsync();
        var pdf = await PdfAsync(officer, decision.GetProperty("href").GetString()!);
        if (Environment.GetEnvironmentVariable("PAPERS_OUT") is { Length: > 0 } folder) await File.WriteAllBytesAsync(Path.Combine(folder, "decision-signed.pdf"), pdf);
        var url = decision.GetProperty("verifyHref").GetString()!;
        var path = new Uri(url).PathAndQuery;

        var standing = await VerifyJsonAsync(path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), standing.GetProperty("sha256").GetString());
        Assert.Equal("decision", standing.GetProperty("paper").GetString());
        Assert.Equal("in-force", standing.GetProperty("standing").GetString());
        Assert.Equal("T. V. Đức", standing.GetProperty("holder").GetString());
        Assert.Equal("Ủy ban nhân dân Phường Hòa Bình", standing.GetProperty("issuer").GetString());
        Assert.Matches(@"^\d+/QĐ-UBND$", standing.GetProperty("number").GetString()!);
        Assert.Equal(JsonValueKind.Null, standing.GetProperty("dossier").ValueKind);   // only the receipt follows the dossier
        var raw = standing.GetRawText();
        Assert.DoesNotContain("Trần Văn Đức", raw, StringComparison.Ordinal);
        // What the answer has is a closed list: nothing about the group, the amount or the reason, in any field.
        Assert.Equal(["paper", "form", "title", "number", "issuedAt", "issuer", "dossierCode", "holder", "sha256", "hashMatches", "standing", "standingText",
            "signature", "dossier", "pdfHref"], standing.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("500.000", raw, StringComparison.Ordinal);

        var entitlement = await RegisterTests.EntitlementOfAsync(api, receipt);
        using (var end = await chair.PostAsJsonAsync($"/api/v1/entitlements/{entitlement}/end", new { reason = "no-longer-eligible", note = "Chuyển sang hưởng lương hưu." }))
            Assert.True(end.IsSuccessStatusCode, await end.Content.ReadAsStringAsync());
        var ended = await VerifyJsonAsync(path);
        Assert.Equal("ended", ended.GetProperty("standing").GetString());
        Assert.Contains("thôi hưởng", ended.GetProperty("standingText").GetString()!, StringComparison.Ordinal);
        Assert.True(ended.GetProperty("hashMatches").GetBoolean());   // the paper itself is unchanged; only its standing is
    }

    [Fact]
    public async Task Rekey_reseals_the_papers_facts_and_verification_codes_and_the_QR_keeps_working()
    {
        var receipt = await ADossier.Valid().LivingIn(Ward).With("applicant.fullName", Name).With("channel", "counter").SubmitAsync(officer);
        await PdfAsync(officer, receipt.Json.GetProperty("receiptPaper").GetString()!);
        var url = (await ListAsync(officer, receipt.Code)).EnumerateArray().Single().GetProperty("verifyHref").GetString()!;
        var code = url[(url.LastIndexOf('/') + 1)..];
        var paperId = Guid.Parse(receipt.Json.GetProperty("receiptPaper").GetString()!.Split('/')[^1]);

        var second = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Api.Infrastructure.Data.PersonalData With(string current)
        {
            var options = new Api.Infrastructure.Data.PersonalDataOptions { CurrentKeyId = current };
            options.Keys["k-papers"] = second;
            return new Api.Infrastructure.Data.PersonalData(Microsoft.Extensions.Options.Options.Create(options));
        }
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Api.Infrastructure.Data.Db>(api.Services);
        Assert.True(await Api.Infrastructure.Data.PersonalDataRekey.PapersAsync(db, With("k-papers"), CancellationToken.None) >= 1);
        var stored = await api.ScalarAsync<string>("SELECT verify_code FROM dossier_paper WHERE id = @Id", new { Id = paperId });
        Assert.StartsWith("pd1.k-papers.", stored, StringComparison.Ordinal);
        Assert.StartsWith("pd1.k-papers.", await api.ScalarAsync<string>("SELECT facts FROM dossier_paper WHERE id = @Id", new { Id = paperId }), StringComparison.Ordinal);
        Assert.Equal(code, With("k-papers").Open(new Api.Infrastructure.Data.Sealed(stored)));
        Assert.Equal(0, await Api.Infrastructure.Data.PersonalDataRekey.PapersAsync(db, With("k-papers"), CancellationToken.None));   // idempotent
        // Back to the service's key (the rest of the run reads with it): the same code still opens the same paper.
        Assert.True(await Api.Infrastructure.Data.PersonalDataRekey.PapersAsync(db, With(Api.Infrastructure.Data.PersonalDataOptions.DevelopmentKeyId),
            CancellationToken.None) >= 1);
        Assert.Equal(receipt.Code, (await VerifyJsonAsync(new Uri(url).PathAndQuery)).GetProperty("dossierCode").GetString());
    }

    private async Task<JsonElement> VerifyJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        return await response.ReadJsonAsync();
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string code, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{code}/papers");
        if (secret is not null) request.Headers.Add("X-Tracking-Secret", secret);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("papers");
    }

    private static async Task<byte[]> PdfAsync(HttpClient client, string link) =>
        await Eventually.ReturnsAsync(async () =>
        {
            using var response = await client.GetAsync(link);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsByteArrayAsync() : null;
        }, bytes => bytes is not null, TimeSpan.FromSeconds(20), $"paper {link}") ?? [];

    /// <summary>
    /// The QR as a phone's camera sees it: the last page rendered by poppler's pdftoppm to an 8-bit grey PGM (no image library
    /// needed), decoded by ZXing. pdftoppm must be installed (.ci/run installs poppler-utils): a missing tool fails the test.
    /// </summary>
    internal static string ReadQr(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("osw-qr-");
        try
        {
            var file = Path.Combine(folder.FullName, "paper.pdf");
            File.WriteAllBytes(file, pdf);
            using (var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-gray", "-r", "150", file, Path.Combine(folder.FullName, "page")])
            { RedirectStandardError = true })!)
            {
                var error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, "pdftoppm: " + error);
            }
            var page = Directory.GetFiles(folder.FullName, "page*.pgm").Order(StringComparer.Ordinal).Last();
            var (width, height, pixels) = Pgm(File.ReadAllBytes(page));
            var source = new RGBLuminanceSource(pixels, width, height, RGBLuminanceSource.BitmapFormat.Gray8);
            var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true });
            Assert.NotNull(result);
            return result.Text;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A binary PGM (P5, maxval 255): the header's four tokens, one whitespace byte, then width × height grey bytes.</summary>
    private static (int Width, int Height, byte[] Pixels) Pgm(byte[] file)
    {
        var at = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)file[at])) at++;
            var start = at;
            while (!char.IsWhiteSpace((char)file[at])) at++;
            return Encoding.ASCII.GetString(file, start, at - start);
        }
        Assert.Equal("P5", Token());
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        at++;
        return (width, height, file.AsSpan(at, width * height).ToArray());
    }
}

/// <summary>
/// A fact that reads a rendered page: needs poppler's <c>pdftoppm</c> (Debian's poppler-utils). Without it the test is skipped
/// with the reason, unless <c>ONESTOPWINDOW_REQUIRE_POPPLER=1</c> (.ci/run sets it and installs the package), where it fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PopplerFactAttribute : FactAttribute
{
    public PopplerFactAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "pdftoppm")));
        if (!found && Environment.GetEnvironmentVariable("ONESTOPWINDOW_REQUIRE_POPPLER") != "1")
            Skip = "No pdftoppm on PATH: install poppler-utils (apt-get install -y poppler-utils); set ONESTOPWINDOW_REQUIRE_POPPLER=1 to fail instead of skipping.";
    }
}
