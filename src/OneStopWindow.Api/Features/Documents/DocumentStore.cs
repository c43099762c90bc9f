using System.ComponentModel.DataAnnotations;
namespace OneStopWindow.Api.Features.Documents;

public sealed class DocumentOptions
{
    public const string Section = "Documents";

    /// <summary>Folder for the file-system store, outside the web root (anchored at the content root when relative).</summary>
    [Required]
    public string StoragePath { get; set; } = "data/documents";

    /// <summary>Largest accepted file.</summary>
    [Range(typeof(long), "1", "1073741824")]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Files one dossier may hold, whoever attached them.</summary>
    [Range(1, 10_000)]
    public int MaxFilesPerDossier { get; set; } = 20;

    /// <summary>Bytes one dossier's files may take together.</summary>
    [Range(typeof(long), "1", "1099511627776")]
    public long MaxBytesPerDossier { get; set; } = 50 * 1024 * 1024;

    /// <summary>
    /// Uploads per minute per uploader: per dossier for callers with its tracking secret, per account for signed-in
    /// callers and integration clients. Counted by each API node in its own memory.
    /// </summary>
    [Range(1, 10_000)]
    public int UploadsPerMinute { get; set; } = 10;
}

/// <summary>Where attachments live. The file system by default; a deployment may swap in object storage.</summary>
public interface IDocumentStore
{
    /// <summary>Streams the content (read to the end once) to a temporary file beside the store; it is under no key until placed.</summary>
    Task<IStagedDocument> StageAsync(Stream content, CancellationToken ct);

    /// <summary>The content stored under the key, or null when no file is stored under it.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>Every temporary and stored file, with the time it was written (for the sweeper); files the store did not write are left out.</summary>
    IEnumerable<StoreEntry> Entries();

    void Delete(StoreEntry entry);
}

/// <summary>A file written but under no key yet. Disposing it unplaced deletes it.</summary>
public interface IStagedDocument : IDisposable
{
    /// <summary>Moves the file under its key (one rename on one volume: all or nothing).</summary>
    void Place(string key);
}

/// <summary>One file in the store: <see cref="Key"/> is null for a temporary file.</summary>
public sealed record StoreEntry(string Name, string? Key, DateTimeOffset WrittenAt);

/// <summary>
/// Files under a root folder: "{dossier}/{document}" (hex ids) once placed, "incoming/{id}.part" while staged. The
/// staging folder is inside the root, so a placing move is a rename on one volume and never leaves half a file.
/// </summary>
public sealed class FileSystemDocumentStore(string root) : IDocumentStore
{
    private const string Incoming = "incoming";
    private const string PartSuffix = ".part";

    public async Task<IStagedDocument> StageAsync(Stream content, CancellationToken ct)
    {
        var folder = Path.Combine(root, Incoming);
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, Guid.NewGuid().ToString("N") + PartSuffix);
        try
        {
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await content.CopyToAsync(file, ct);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return new Staged(this, temp);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public IEnumerable<StoreEntry> Entries()
    {
        if (!Directory.Exists(root)) yield break;
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            var folderName = Path.GetFileName(folder);
            var staging = folderName == Incoming;
            if (!staging && !IsHexId(folderName)) continue;
            foreach (var path in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(path);
                var written = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
                if (staging && name.EndsWith(PartSuffix, StringComparison.Ordinal)) yield return new($"{Incoming}/{name}", null, written);
                else if (!staging && IsHexId(name)) yield return new($"{folderName}/{name}", $"{folderName}/{name}", written);
                // Before staging had its own folder, a file was written as "{document}.part" beside its place.
                else if (!staging && name.EndsWith(PartSuffix, StringComparison.Ordinal) && IsHexId(name[..^PartSuffix.Length]))
                    yield return new($"{folderName}/{name}", null, written);
            }
        }
    }

    public void Delete(StoreEntry entry)
    {
        var path = Path.GetFullPath(Path.Combine(root, entry.Name));
        if (!path.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("The entry is outside the store.", nameof(entry));
        File.Delete(path);
    }

    private static bool IsHexId(string name) => name.Length == 32 && name.All(char.IsAsciiHexDigit);

    // Keys are generated by the service ("{dossier}/{document}", hex only); anything else is refused.
    private string PathOf(string key) =>
        key.All(c => char.IsAsciiHexDigit(c) || c == '/') && !key.Contains("//", StringComparison.Ordinal)
            ? Path.Combine(root, key)
            : throw new ArgumentException("Invalid document key.", nameof(key));

    private sealed class Staged(FileSystemDocumentStore store, string temp) : IStagedDocument
    {
        private bool placed;

        public void Place(string key)
        {
            var path = store.PathOf(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: false);
            placed = true;
        }

        public void Dispose()
        {
            if (placed) return;
            // A file still open elsewhere (antivirus, backup) stays for the sweeper.
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>The real type of a file, from its first bytes — never from its name or declared type.</summary>
public static class FileSignatures
{
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8)) return "application/pdf";
        if (head.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF })) return "image/jpeg";
        if (head.StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "image/png";
        return null;
    }

    /// <summary>The usual extension of a detected type ("" for another).</summary>
    public static string ExtensionOf(string contentType) => contentType switch
    {
        "application/pdf" => ".pdf",
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        _ => "",
    };
}
