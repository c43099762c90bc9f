using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Beneficiaries;

public sealed partial record StartImport(Stream Body, string? ContentType, string? SourceSystem, string? FileName, Caller Caller)
    : ICommand<ImportResponse>, IValidatable
{
    public string? Format => ContentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "text/csv" => "csv",
        "application/json" => "json",
        _ => null,
    };

    public IEnumerable<FieldError> Validate()
    {
        if (SourceSystem is null || !SourceFormat().IsMatch(SourceSystem))
            yield return new("sourceSystem", "Tên hệ thống nguồn gồm 2–64 ký tự chữ thường, số, '-' hoặc '.', ví dụ 'vinhphuc-btxh'.");
        if (FileName is { Length: > 200 }) yield return new("fileName", "Tên tệp tối đa 200 ký tự.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,63}$")]
    private static partial Regex SourceFormat();
}

public sealed class StartImportHandler(Db db, IBackgroundJobClient jobs, IOptions<ImportOptions> options, Infrastructure.Http.NodeRole role,
    IHostEnvironment environment, TimeProvider clock) : ICommandHandler<StartImport, ImportResponse>
{
    /// <summary>Streams the upload to disk (never into memory) while hashing it, records the operation, hands it to Hangfire.</summary>
    public async ValueTask<ImportResponse> Handle(StartImport cmd, CancellationToken ct)
    {
        if (cmd.Format is not { } format)
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Định dạng tệp không được hỗ trợ",
                "Gửi danh sách dạng CSV (Content-Type: text/csv) hoặc JSON (Content-Type: application/json).");
        var id = Guid.CreateVersion7();
        var folder = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StoragePath));
        Directory.CreateDirectory(folder);
        var key = $"{id:N}.{format}";
        var path = Path.Combine(folder, key);
        long size;
        string sha;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            size = 0;
            int read;
            while ((read = await cmd.Body.ReadAsync(buffer, ct)) > 0)
            {
                size += read;
                if (size > options.Value.MaxBytes)
                {
                    file.Close();
                    File.Delete(path);
                    throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "too-large", "Tệp quá lớn",
                        $"Tệp danh sách tối đa {options.Value.MaxBytes / 1024 / 1024} MB; hãy chia nhỏ.");
                }
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            sha = Convert.ToHexString(hash.GetHashAndReset());
        }
        if (size == 0)
        {
            File.Delete(path);
            throw ProblemException.Validation([new("body", "Tệp danh sách trống.")]);
        }

        await using (var tx = await db.BeginWriteAsync(ct))
        {
            await tx.ExecuteAsync(Sql.Insert, new
            {
                Id = id,
                FileName = cmd.FileName ?? $"{cmd.SourceSystem}.{format}",
                Format = format,
                Sha256 = sha,
                StorageKey = key,
                cmd.SourceSystem,
                CreatedBy = cmd.Caller.Id,
                Now = clock.GetUtcNow(),
            });
            await tx.CommitAsync();
        }
        // The recurring resume job covers a crash here. An API node on the embedded job storage must not write to it at all
        // (several processes on one SQLite job store ran jobs twice): there the worker's resume job starts the import.
        if (role.RunsWorkers || db.Dialect.Provider == DatabaseProvider.SqlServer)
            jobs.Enqueue<ImportBeneficiariesJob>(j => j.Run(id, CancellationToken.None));
        return await ImportStatements.LoadAsync(db, environment, options, id, size, ct);
    }

    internal static class Sql
    {
        public const string Insert = """
            INSERT INTO beneficiary_import (id, file_name, format, sha256, storage_key, source_system, status, rows_done, mapped, reverification,
                rejected, unchanged, last_error, created_by, created_at, heartbeat_at, finished_at)
            VALUES (@Id, @FileName, @Format, @Sha256, @StorageKey, @SourceSystem, 'queued', 0, 0, 0, 0, 0, NULL, @CreatedBy, @Now, NULL, NULL)
            """;
    }
}
