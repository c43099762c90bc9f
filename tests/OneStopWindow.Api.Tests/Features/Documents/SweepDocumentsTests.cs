using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OneStopWindow.Api.Features.Documents;
using OneStopWindow.Api.Tests.Support;
using static OneStopWindow.Api.Tests.Features.Documents.DocumentTests;

namespace OneStopWindow.Api.Tests.Features.Documents;

[Collection(ApiHost.Name)]
public sealed class SweepDocumentsTests(ApiFactory api)
{
    private static string Orphan(string folder, string name, DateTime writtenAt)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, writtenAt);
        return path;
    }

    [Fact]
    public async Task The_sweeper_removes_old_temporary_and_unreferenced_files_and_keeps_referenced_and_recent_ones()
    {
        var anonymous = api.CreateClient();
        var r = await ADossier.Valid().SubmitAsync(anonymous);
        using var upload = await UploadAsync(anonymous, r, "other", Pdf("kept"), "kept.pdf");
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var key = await api.ScalarAsync<string>("SELECT storage_key FROM dossier_document WHERE id = @Id",
            new { Id = (await upload.ReadJsonAsync()).GetProperty("id").GetString() });
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var old = now - SweepDocumentsJob.OrphanAge - TimeSpan.FromMinutes(5);
        var referenced = Path.Combine(api.DocumentsPath, key);
        File.SetLastWriteTimeUtc(referenced, old);
        var incoming = Path.Combine(api.DocumentsPath, "incoming");
        var oldTemp = Orphan(incoming, Guid.NewGuid().ToString("N") + ".part", old);
        var recentTemp = Orphan(incoming, Guid.NewGuid().ToString("N") + ".part", now - TimeSpan.FromMinutes(5));
        var unreferenced = Orphan(Path.Combine(api.DocumentsPath, Path.GetDirectoryName(key)!), Guid.NewGuid().ToString("N"), old);
        var recentUnreferenced = Orphan(Path.Combine(api.DocumentsPath, Guid.NewGuid().ToString("N")), Guid.NewGuid().ToString("N"), now - TimeSpan.FromMinutes(5));
        var notOurs = Orphan(api.DocumentsPath, "README.txt", old);

        var removed = await api.Services.GetRequiredService<SweepDocumentsJob>().Run(CancellationToken.None);

        Assert.False(File.Exists(oldTemp));
        Assert.False(File.Exists(unreferenced));
        Assert.True(File.Exists(referenced));
        Assert.True(File.Exists(recentTemp));
        Assert.True(File.Exists(recentUnreferenced));
        Assert.True(File.Exists(notOurs));
        Assert.True(removed >= 2);
        File.Delete(recentTemp);
        File.Delete(recentUnreferenced);
        File.Delete(notOurs);
    }
}
