using System.Net;
using OneStopWindow.Api.Tests.Support;
using static OneStopWindow.Api.Tests.Features.Documents.DocumentTests;

namespace OneStopWindow.Api.Tests.Features.Documents;

/// <summary>The limits on uploads (files and bytes per dossier, uploads per minute), what a refused upload leaves on disk, and file names.</summary>
[Collection(ApiHost.Name)]
public sealed class UploadDocumentTests(ApiFactory api)
{
    private const string ProblemBase = "https://onestopwindow.phutho.gov.vn/problems/";
    private readonly HttpClient anonymous = api.CreateClient();

    private int StoredFiles() => Directory.Exists(api.DocumentsPath) ? Directory.GetFiles(api.DocumentsPath, "*", SearchOption.AllDirectories).Length : 0;

    private Task<long> RowsAsync(Receipt r) =>
        api.ScalarAsync<long>("SELECT COUNT(*) FROM dossier_document d JOIN dossier x ON x.id = d.dossier_id WHERE x.code = @Code", new { r.Code });

    [Fact]
    public async Task The_21st_file_of_a_dossier_is_refused_with_409()
    {
        // Three uploaders (the secret holder, and the applicant signed in on two accounts), each under the per-minute limit.
        var person = ADossier.UniqueIdNumber();
        var r = await ADossier.Valid().ForPerson(person).SubmitAsync(anonymous);
        using var first = api.As("citizen", idNumber: person, subject: "quota-a-" + r.Code);
        using var second = api.As("citizen", idNumber: person, subject: "quota-b-" + r.Code);
        for (var i = 0; i < 20; i++)
        {
            using var ok = i < 10
                ? await UploadAsync(anonymous, r, "other", Pdf($"file {i}"), $"f{i}.pdf")
                : await UploadAsync(first, r, "other", Pdf($"file {i}"), $"f{i}.pdf", withSecret: false);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        var files = StoredFiles();

        using var refused = await UploadAsync(second, r, "other", Pdf("file 20"), "f20.pdf", withSecret: false);
        var problem = await refused.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(ProblemBase + "too-many-documents", problem.GetProperty("type").GetString());
        Assert.Contains("tối đa 20 tệp", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, await RowsAsync(r));
        Assert.Equal(files, StoredFiles());
    }

    [Fact]
    public async Task Files_beyond_the_dossier_byte_limit_are_refused_with_413()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        byte[] Sized(int kb, string tag) => [.. Pdf(tag), .. new byte[kb * 1024]];
        using var a = await UploadAsync(anonymous, r, "other", Sized(100, "a"), "a.pdf");
        using var b = await UploadAsync(anonymous, r, "other", Sized(100, "b"), "b.pdf");
        var files = StoredFiles();

        using var c = await UploadAsync(anonymous, r, "other", Sized(100, "c"), "c.pdf");
        var problem = await c.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, c.StatusCode);
        Assert.Equal(ProblemBase + "dossier-documents-too-large", problem.GetProperty("type").GetString());
        Assert.Contains($"tối đa {ApiFactory.DossierDocumentBytes / 1024} KB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await RowsAsync(r));
        Assert.Equal(files, StoredFiles());
    }

    [Fact]
    public async Task The_11th_upload_within_a_minute_answers_429_with_Retry_After()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        for (var i = 0; i < 10; i++)
        {
            using var ok = await UploadAsync(anonymous, r, "other", Pdf($"burst {i}"), $"b{i}.pdf");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var refused = await UploadAsync(anonymous, r, "other", Pdf("burst 10"), "b10.pdf");
        var problem = await refused.ReadJsonAsync();
        var other = await ADossier.Valid().SubmitAsync(anonymous);
        using var elsewhere = await UploadAsync(anonymous, other, "other", Pdf("burst 10"), "b10.pdf");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(ProblemBase + "too-many-uploads", problem.GetProperty("type").GetString());
        Assert.Contains("tối đa 10 tệp", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal(10, await RowsAsync(r));
        Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);   // counted per dossier for secret holders
    }

    [Fact]
    public async Task A_duplicate_upload_leaves_no_file_behind()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        using var first = await UploadAsync(anonymous, r, "application-form", Pdf("once"), "a.pdf");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var files = StoredFiles();

        using var again = await UploadAsync(anonymous, r, "other", Pdf("once"), "b.pdf");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(ProblemBase + "duplicate-document", (await again.ReadJsonAsync()).GetProperty("type").GetString());
        Assert.Equal(files, StoredFiles());
    }

    [Fact]
    public async Task A_name_with_bidi_controls_is_stored_and_listed_without_them()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        using var upload = await UploadAsync(anonymous, r, "other", Pdf("invoice"), "invoice\u202Efdp.exe");
        var doc = await upload.ReadJsonAsync();
        using var list = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/documents");
        list.Headers.Add("X-Tracking-Secret", r.Secret);
        var listed = await (await anonymous.SendAsync(list)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal("invoicefdp.exe", doc.GetProperty("fileName").GetString());
        Assert.Equal("invoicefdp.exe", listed.GetProperty("documents")[0].GetProperty("fileName").GetString());
        Assert.Equal("invoicefdp.exe", await api.ScalarAsync<string>("SELECT file_name FROM dossier_document WHERE id = @Id",
            new { Id = doc.GetProperty("id").GetString() }));
    }

    [Fact]
    public async Task A_row_whose_file_is_gone_answers_404_not_500()
    {
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        using var upload = await UploadAsync(anonymous, r, "other", Pdf("lost"), "lost.pdf");
        var id = (await upload.ReadJsonAsync()).GetProperty("id").GetString();
        var key = await api.ScalarAsync<string>("SELECT storage_key FROM dossier_document WHERE id = @Id", new { Id = id });
        File.Delete(Path.Combine(api.DocumentsPath, key));

        using var download = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/dossiers/{r.Code}/documents/{id}");
        download.Headers.Add("X-Tracking-Secret", r.Secret);
        using var response = await anonymous.SendAsync(download);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ProblemBase + "document-content-missing", (await response.ReadJsonAsync()).GetProperty("type").GetString());
    }
}
