namespace OneStopWindow.Api.Features.Documents;

public sealed record DocumentResponse(Guid Id, string DocumentCode, string FileName, string ContentType, long SizeBytes, string Sha256,
    string UploadedRole, DateTimeOffset UploadedAt);

internal sealed record DocumentRow
{
    public Guid Id { get; init; }
    public string DocumentCode { get; init; } = "";
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public long SizeBytes { get; init; }
    public string Sha256 { get; init; } = "";
    public string StorageKey { get; init; } = "";
    public string UploadedRole { get; init; } = "";
    public DateTimeOffset UploadedAt { get; init; }

    // Rows from before names were cleaned on upload are cleaned on the way out.
    public DocumentResponse ToResponse() =>
        new(Id, DocumentCode, DocumentFileName.Clean(FileName, ContentType), ContentType, SizeBytes, Sha256, UploadedRole, UploadedAt);
}
