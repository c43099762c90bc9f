using System.Data.Common;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Documents;

public sealed record UploadDocument(string Code, Caller Caller, string? TrackingSecret, string? DocumentCode, IFormFile? File)
    : ICommand<DocumentResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(DocumentCode) || DocumentCode.Length > 64) yield return new("documentCode", "Chọn loại giấy tờ theo danh mục của thủ tục.");
        if (File is null || File.Length == 0) yield return new("file", "Vui lòng chọn tệp (PDF, JPEG hoặc PNG).");
    }
}

/// <summary>
/// Attachments against the procedure's checklist. The type is read from the file's first bytes (PDF, JPEG,
/// PNG only), the SHA-256 is computed while the file streams to a temporary file, and the same file twice on one
/// dossier is refused (409) — checked first by hash and finally by a unique constraint. A dossier holds at most
/// <see cref="DocumentOptions.MaxFilesPerDossier"/> files (409) and <see cref="DocumentOptions.MaxBytesPerDossier"/>
/// bytes (413), counted in the transaction that inserts the row; an uploader sends at most
/// <see cref="DocumentOptions.UploadsPerMinute"/> (429). The name is cleaned (<see cref="DocumentFileName"/>). Only
/// those who may see the dossier may upload or download; uploads stop once the dossier is closed.
/// </summary>
public sealed class UploadDocumentHandler(Db db, IDocumentStore store, UploadRateLimiter limiter, IOptions<DocumentOptions> options, TimeProvider clock)
    : ICommandHandler<UploadDocument, DocumentResponse>
{
    public async ValueTask<DocumentResponse> Handle(UploadDocument cmd, CancellationToken ct)
    {
        var limits = options.Value;
        var (row, access) = await DossierAccess.LoadAsync(db, cmd.Code, cmd.Caller, cmd.TrackingSecret, ct);
        // An integration client reads with dossiers:read; it may attach files only to dossiers it filed itself.
        if (access == AccessKind.Client && !(cmd.Caller.Client!.Has(Scopes.SubmitDossiers) && row.ClientId == cmd.Caller.Client.Id))
            throw ProblemException.Forbidden("Hệ thống tích hợp chỉ đính kèm giấy tờ vào hồ sơ do chính hệ thống đó nộp.");
        limiter.Admit(cmd.Caller, access, row.Id);
        if (!row.State.IsOpen())
            throw ProblemException.Conflict("dossier-closed", "Hồ sơ đã kết thúc", "Không thể bổ sung giấy tờ cho hồ sơ đã có kết quả hoặc đã rút.");
        var checklist = (await ProcedureDefinition.LoadAsync(db, row.ProcedureCode, ct))!.Checklist;
        if (!checklist.Contains(cmd.DocumentCode!) && cmd.DocumentCode != "other")
            throw ProblemException.Validation([new("documentCode",
                $"Thủ tục {row.ProcedureCode} không có giấy tờ '{cmd.DocumentCode}'. Chọn một trong: {string.Join(", ", checklist)} hoặc 'other'.")]);
        var file = cmd.File!;
        if (file.Length > limits.MaxBytes)
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "file-too-large", "Tệp quá lớn",
                $"Mỗi tệp tối đa {limits.MaxBytes / 1024 / 1024} MB.");

        await using var input = file.OpenReadStream();
        var head = new byte[8];
        var read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var contentType = FileSignatures.Detect(head.AsSpan(0, read))
            ?? throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported-file-type", "Loại tệp không được chấp nhận",
                "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp).");
        input.Position = 0;

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Every way out before Place (duplicate, quota, a failed insert) deletes the temporary file when this is disposed.
        using var staged = await StageAsync(input, sha, ct);
        var hash = Convert.ToHexString(sha.GetHashAndReset());

        var id = Guid.CreateVersion7();
        var key = $"{row.Id:N}/{id:N}";
        var now = clock.GetUtcNow();
        var name = DocumentFileName.Clean(file.FileName, contentType);
        await using var tx = await db.BeginWriteAsync(ct);
        var existing = await tx.SingleOrDefaultAsync<Guid?>(Sql.SameFile, new { DossierId = row.Id, Sha = hash });
        if (existing is not null)
            throw ProblemException.Conflict("duplicate-document", "Tệp này đã được đính kèm", $"Hồ sơ đã có tệp giống hệt (mã {existing}).");
        // SQLite: the write transaction holds the database's one write lock, so no other upload counts in between. SQL
        // Server: UPDLOCK + HOLDLOCK lock the dossier's range of documents until the commit, so two concurrent uploads
        // cannot both see room for one more file.
        var used = (await tx.SingleOrDefaultAsync<Usage>(db.Dialect.Provider == DatabaseProvider.SqlServer ? Sql.UsageSqlServer : Sql.UsageSqlite,
            new { DossierId = row.Id }))!;
        if (used.FileCount >= limits.MaxFilesPerDossier)
            throw ProblemException.Conflict("too-many-documents", "Hồ sơ đã đủ số tệp tối đa",
                $"Mỗi hồ sơ đính kèm tối đa {limits.MaxFilesPerDossier} tệp; hồ sơ này đã có {used.FileCount} tệp.");
        if (used.ByteCount + file.Length > limits.MaxBytesPerDossier)
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "dossier-documents-too-large", "Vượt dung lượng tệp của hồ sơ",
                $"Tổng dung lượng các tệp của mỗi hồ sơ tối đa {Size(limits.MaxBytesPerDossier)}; " +
                $"hồ sơ này đã dùng {Size(used.ByteCount)}, tệp gửi lên {Size(file.Length)}.");
        var role = DossierAccess.RuleRole(cmd.Caller, access);
        try
        {
            await tx.ExecuteAsync(Sql.Insert, new
            {
                Id = id,
                DossierId = row.Id,
                cmd.DocumentCode,
                FileName = name,
                ContentType = contentType,
                SizeBytes = file.Length,
                Sha = hash,
                Key = key,
                By = cmd.Caller.Id,
                Role = role,
                Now = now,
            });
        }
        catch (DbException e) when (DbErrors.IsUniqueViolation(e))
        {
            throw ProblemException.Conflict("duplicate-document", "Tệp này đã được đính kèm", "Hồ sơ vừa nhận một tệp giống hệt.");
        }
        await Timeline.AppendAsync(tx, new(row.Id, "DocumentAttached", row.Status, cmd.Caller.Id, role, now,
            $"Đính kèm {cmd.DocumentCode} ({contentType}, {file.Length} byte, SHA-256 {hash[..12]}…)."));
        // The file goes into place before the commit, not after: a committed row (and a 201) always has its file, and a
        // download never finds a row without one. Dying between the two, or a commit that fails, leaves a file that no
        // row names; SweepDocumentsJob deletes such files once they are an hour old (an upload in flight is younger).
        staged.Place(key);
        await tx.CommitAsync();
        return new(id, cmd.DocumentCode!, name, contentType, file.Length, hash, role, now);
    }

    private async Task<IStagedDocument> StageAsync(Stream input, IncrementalHash sha, CancellationToken ct)
    {
        await using var hashing = new HashingStream(input, sha);
        return await store.StageAsync(hashing, ct);
    }

    private static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / 1024 / 1024} MB" : $"{(bytes + 1023) / 1024} KB";

    private sealed record Usage
    {
        public long FileCount { get; init; }
        public long ByteCount { get; init; }
    }

    internal static class Sql
    {
        public const string SameFile = "SELECT id FROM dossier_document WHERE dossier_id = @DossierId AND sha256 = @Sha";
        public const string UsageSqlite = """
            SELECT COUNT(*) AS file_count, COALESCE(SUM(size_bytes), 0) AS byte_count FROM dossier_document WHERE dossier_id = @DossierId
            """;
        public const string UsageSqlServer = """
            SELECT COUNT(*) AS file_count, COALESCE(SUM(size_bytes), 0) AS byte_count FROM dossier_document WITH (UPDLOCK, HOLDLOCK)
            WHERE dossier_id = @DossierId
            """;
        public const string Insert = """
            INSERT INTO dossier_document (id, dossier_id, document_code, file_name, content_type, size_bytes, sha256, storage_key,
                uploaded_by, uploaded_role, uploaded_at)
            VALUES (@Id, @DossierId, @DocumentCode, @FileName, @ContentType, @SizeBytes, @Sha, @Key, @By, @Role, @Now)
            """;
    }
}

/// <summary>
/// Uploads per minute per uploader (<see cref="DocumentOptions.UploadsPerMinute"/>): a fixed window from the first
/// upload, per dossier for tracking-secret holders (the secret opens one dossier), per account for signed-in callers
/// and integration clients. In process memory: each API node counts its own uploads, so N nodes admit up to N times
/// the limit. A transient database retry runs the handler again and counts again; such retries are rare.
/// </summary>
public sealed class UploadRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly int perMinute;

    public UploadRateLimiter(IOptions<DocumentOptions> options)
    {
        perMinute = options.Value.UploadsPerMinute;
        limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Counts one upload, or refuses it with 429 and the wait in Retry-After.</summary>
    public void Admit(Caller caller, AccessKind access, Guid dossierId)
    {
        var partition = access == AccessKind.TrackingSecret ? $"dossier:{dossierId:N}"
            : caller.Client is { } client ? $"client:{client.Id:N}"
            : $"caller:{caller.Role}:{caller.Id}";
        using var lease = limiter.AttemptAcquire(partition);
        if (lease.IsAcquired) return;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        throw new ProblemException(StatusCodes.Status429TooManyRequests, "too-many-uploads", "Tải tệp lên quá nhiều lần",
            $"Mỗi phút chỉ được tải lên tối đa {perMinute} tệp. Vui lòng thử lại sau {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} giây.")
        { RetryAfter = retryAfter };
    }

    public void Dispose() => limiter.Dispose();
}

/// <summary>Feeds every byte read through a hash, so the file is hashed while it streams to storage.</summary>
internal sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        hash.AppendData(buffer, offset, n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        hash.AppendData(buffer.Span[..n]);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
