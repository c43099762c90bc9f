using System.Security.Cryptography;
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
        else if (File.FileName.Length > 255) yield return new("file", "Tên tệp tối đa 255 ký tự.");
    }
}

/// <summary>
/// Attachments against the procedure's checklist. The type is read from the file's first bytes (PDF, JPEG,
/// PNG only), the SHA-256 is computed while the file streams to storage, and the same file twice on one
/// dossier is refused (409) — checked first by hash and finally by a unique constraint. Only those who may see
/// the dossier may upload or download; uploads stop once the dossier is closed.
/// </summary>
public sealed class UploadDocumentHandler(Db db, IDocumentStore store, IOptions<DocumentOptions> options, TimeProvider clock)
    : ICommandHandler<UploadDocument, DocumentResponse>
{
    public async ValueTask<DocumentResponse> Handle(UploadDocument cmd, CancellationToken ct)
    {
        var (row, access) = await DossierAccess.LoadAsync(db, cmd.Code, cmd.Caller, cmd.TrackingSecret, ct);
        // An integration client reads with dossiers:read; it may attach files only to dossiers it filed itself.
        if (access == AccessKind.Client && !(cmd.Caller.Client!.Has(Scopes.SubmitDossiers) && row.ClientId == cmd.Caller.Client.Id))
            throw ProblemException.Forbidden("Hệ thống tích hợp chỉ đính kèm giấy tờ vào hồ sơ do chính hệ thống đó nộp.");
        if (!row.State.IsOpen()) throw ProblemException.Conflict("dossier-closed", "Hồ sơ đã kết thúc", "Không thể bổ sung giấy tờ cho hồ sơ đã có kết quả hoặc đã rút.");
        var checklist = (await ProcedureDefinition.LoadAsync(db, row.ProcedureCode, ct))!.Checklist;
        if (!checklist.Contains(cmd.DocumentCode!) && cmd.DocumentCode != "other")
            throw ProblemException.Validation([new("documentCode", $"Thủ tục {row.ProcedureCode} không có giấy tờ '{cmd.DocumentCode}'. Chọn một trong: {string.Join(", ", checklist)} hoặc 'other'.")]);
        var file = cmd.File!;
        if (file.Length > options.Value.MaxBytes)
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "file-too-large", "Tệp quá lớn",
                $"Mỗi tệp tối đa {options.Value.MaxBytes / 1024 / 1024} MB.");

        await using var input = file.OpenReadStream();
        var head = new byte[8];
        var read = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var contentType = FileSignatures.Detect(head.AsSpan(0, read))
            ?? throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported-file-type", "Loại tệp không được chấp nhận",
                "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp).");
        input.Position = 0;

        var id = Guid.CreateVersion7();
        var key = $"{row.Id:N}/{id:N}";
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var hashing = new HashingStream(input, sha)) await store.SaveAsync(key, hashing, ct);
        var hash = Convert.ToHexString(sha.GetHashAndReset());

        var now = clock.GetUtcNow();
        var name = Path.GetFileName(file.FileName.Replace('\\', '/'));
        await using var tx = await db.BeginWriteAsync(ct);
        var existing = await tx.SingleOrDefaultAsync<Guid?>(Sql.SameFile, new { DossierId = row.Id, Sha = hash });
        if (existing is not null)
            throw ProblemException.Conflict("duplicate-document", "Tệp này đã được đính kèm", $"Hồ sơ đã có tệp giống hệt (mã {existing}).");
        var role = DossierAccess.RuleRole(cmd.Caller, access);
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
        await Timeline.AppendAsync(tx, new(row.Id, "DocumentAttached", row.Status, cmd.Caller.Id, role, now, $"Đính kèm {cmd.DocumentCode} ({contentType}, {file.Length} byte, SHA-256 {hash[..12]}…)."));
        await tx.CommitAsync();
        return new(id, cmd.DocumentCode!, name, contentType, file.Length, hash, role, now);
    }

    internal static class Sql
    {
        public const string SameFile = "SELECT id FROM dossier_document WHERE dossier_id = @DossierId AND sha256 = @Sha";
        public const string Insert = """
            INSERT INTO dossier_document (id, dossier_id, document_code, file_name, content_type, size_bytes, sha256, storage_key,
                uploaded_by, uploaded_role, uploaded_at)
            VALUES (@Id, @DossierId, @DocumentCode, @FileName, @ContentType, @SizeBytes, @Sha, @Key, @By, @Role, @Now)
            """;
    }
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
