using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Beneficiaries;

public sealed record ImportResponse(Guid Id, string Status, string FileName, string Format, string SourceSystem, long SizeBytes, int RowsDone,
    int Imported, int Mapped, int Reverification, int Rejected, int Unchanged, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    string RowsHref);

internal static class ImportStatements
{
    internal static async Task<ImportResponse> LoadAsync(Db db, IHostEnvironment environment, IOptions<ImportOptions> options, Guid id, long? size, CancellationToken ct)
    {
        var r = await db.SingleOrDefaultAsync<ImportRow>(Sql.Load, new { Id = id }, ct) ?? throw ProblemException.NotFound($"lượt nhập {id}");
        var bytes = size ?? (File.Exists(PathOf(environment, options, r.StorageKey)) ? new FileInfo(PathOf(environment, options, r.StorageKey)).Length : 0);
        return new(r.Id, r.Status, r.FileName, r.Format, r.SourceSystem, bytes, r.RowsDone, r.Mapped + r.Reverification, r.Mapped, r.Reverification,
            r.Rejected, r.Unchanged, r.LastError, r.CreatedAt, r.FinishedAt, $"/api/v1/imports/{r.Id}/rows");
    }

    private static string PathOf(IHostEnvironment environment, IOptions<ImportOptions> options, string key) =>
        Path.Combine(Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StoragePath)), key);

    internal static class Sql
    {
        public const string Load = """
            SELECT id, file_name, format, storage_key, source_system, status, rows_done, mapped, reverification, rejected, unchanged, last_error,
                   created_at, heartbeat_at, finished_at
            FROM beneficiary_import WHERE id = @Id
            """;
    }
}
