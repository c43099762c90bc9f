using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using OneStopWindow.Api.Tests.Support;

namespace OneStopWindow.Api.Tests.Features.Documents;

[Collection(ApiHost.Name)]
public sealed class DocumentTests(ApiFactory api)
{
    private readonly HttpClient anonymous = api.CreateClient();

    internal static byte[] Pdf(string text) => System.Text.Encoding.ASCII.GetBytes("%PDF-1.7\n" + text + "\n%%EOF\n");

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Receipt r, string documentCode, byte[] content, string fileName,
        string declaredType = "application/pdf", bool withSecret = true)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(documentCode), "documentCode");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dossiers/{r.Code}/documents") { Content = form };
        if (withSecret) request.Headers.Add("X-Tracking-Secret", r.Secret);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_receipt_lists_the_documents_to_upload_and_an_upload_ticks_one_off()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        Assert.Contains("application-form", r.Json.GetProperty("missingDocuments").EnumerateArray().Select(d => d.GetString()));

        var content = Pdf("to khai");
        using var upload = await UploadAsync(anonymous, r, "application-form", content, "to-khai.pdf");
        var doc = await upload.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(content)), doc.GetProperty("sha256").GetString());
        Assert.Equal("application/pdf", doc.GetProperty("contentType").GetString());
        using var list = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/documents");
        list.Headers.Add("X-Tracking-Secret", r.Secret);
        var listed = await (await anonymous.SendAsync(list)).ReadJsonAsync();
        Assert.DoesNotContain("application-form", listed.GetProperty("missingDocuments").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("DocumentAttached", await r.EventKindsAsync(anonymous));
    }

    [Fact]
    public async Task The_same_file_twice_is_refused()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        using var first = await UploadAsync(anonymous, r, "application-form", Pdf("same"), "a.pdf");
        using var again = await UploadAsync(anonymous, r, "other", Pdf("same"), "renamed.pdf");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task The_type_comes_from_the_content_not_the_name_or_the_declared_type()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        using var html = await UploadAsync(anonymous, r, "application-form", "<html><script>alert(1)</script>"u8.ToArray(), "scan.pdf");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, html.StatusCode);

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
        using var image = await UploadAsync(anonymous, r, "application-form", png, "photo.txt", declaredType: "text/plain");
        Assert.Equal(HttpStatusCode.Created, image.StatusCode);
        Assert.Equal("image/png", (await image.ReadJsonAsync()).GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task Bad_uploads_answer_problems_and_store_nothing()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        using var unknownCode = await UploadAsync(anonymous, r, "passport-photo", Pdf("x"), "x.pdf");
        using var tooLarge = await UploadAsync(anonymous, r, "other", [.. "%PDF-"u8.ToArray(), .. new byte[10 * 1024 * 1024]], "big.pdf");
        using var noSecret = await UploadAsync(anonymous, r, "other", Pdf("y"), "y.pdf", withSecret: false);

        Assert.Equal(HttpStatusCode.BadRequest, unknownCode.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noSecret.StatusCode);
        Assert.Equal(0, await api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier_document d JOIN dossier x ON x.id = d.dossier_id WHERE x.code = @Code", new { r.Code }));
    }

    [Fact]
    public async Task Only_those_who_may_see_the_dossier_download()
    {
        var r = await ADossier.Valid().LivingIn("04795").SubmitAsync(anonymous);
        await r.AfterIntakeAsync(anonymous);
        var content = Pdf("giay xac nhan");
        using var upload = await UploadAsync(anonymous, r, "application-form", content, "xac-nhan.pdf");
        var id = (await upload.ReadJsonAsync()).GetProperty("id").GetString();

        using var officer = api.As("ward-officer", "04795");
        using var stranger = api.As("ward-officer", "04828");
        Assert.Equal(content, await officer.GetByteArrayAsync($"/api/v1/dossiers/{r.Code}/documents/{id}"));
        using var refused = await stranger.GetAsync($"/api/v1/dossiers/{r.Code}/documents/{id}");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }
}
