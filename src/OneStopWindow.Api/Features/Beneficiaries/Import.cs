using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Applicants;

namespace OneStopWindow.Api.Features.Beneficiaries;

public static class BeneficiarySetup
{
    public static IServiceCollection AddBeneficiaries(this IServiceCollection services)
    {
        services.AddSettings<ImportOptions>(ImportOptions.Section);
        services.AddTransient<ImportBeneficiariesJob>();
        services.AddTransient<ResumeImportsJob>();
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, ImportSchedule>();
        return services;
    }
}

public sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>Uploaded lists are kept here until processed (outside the web root).</summary>
    [Required]
    public string StoragePath { get; set; } = "data/imports";

    [Range(typeof(long), "1", "10737418240")]
    public long MaxBytes { get; set; } = 500L * 1024 * 1024;

    /// <summary>Rows per transaction; the checkpoint moves with each batch.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// One beneficiary record of a former province's list (api-specs/beneficiary-import.md; sample in
/// api-specs/samples/). Every field arrives as text and is checked here, so one bad row is rejected with its
/// reason instead of failing the file.
/// </summary>
public sealed record BeneficiaryRecord
{
    /// <summary>The record's id in the source system: with the source system, it makes re-imports change nothing.</summary>
    public string? SourceRecordId { get; init; }
    public string? IdNumber { get; init; }
    public string? FullName { get; init; }
    /// <summary>yyyy-MM-dd.</summary>
    public string? DateOfBirth { get; init; }
    /// <summary>The commune code before 1 July 2025 (5 digits).</summary>
    public string? OldCommuneCode { get; init; }
    public string? AddressDetail { get; init; }
    /// <summary>Catalogue procedure the entitlement was granted under, e.g. BTXH-01.</summary>
    public string? BenefitCode { get; init; }
    public string? BeneficiaryGroup { get; init; }
    public string? MonthlyAmountVnd { get; init; }
    /// <summary>yyyy-MM: first month paid.</summary>
    public string? StartMonth { get; init; }
    public string? DecisionNumber { get; init; }
}

public sealed record ImportResponse(Guid Id, string Status, string FileName, string Format, string SourceSystem, long SizeBytes, int RowsDone,
    int Imported, int Mapped, int Reverification, int Rejected, int Unchanged, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    string RowsHref);

/// <param name="Outcome">`mapped`, `reverification`, `rejected` or `unchanged` (already imported).</param>
public sealed record ImportRowResponse(int RowNumber, string Outcome, string? Reason, Guid? BeneficiaryId);

public sealed record ImportRowPageResponse(IReadOnlyList<ImportRowResponse> Rows, int? NextAfter);

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

public sealed record GetImport(Guid Id) : IQuery<ImportResponse>;

public sealed record GetImportRows(Guid Id, string? Outcome, int? After, int? Limit) : IQuery<ImportRowPageResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Outcome is not (null or "mapped" or "reverification" or "rejected" or "unchanged"))
            yield return new("outcome", "Kết quả là 'mapped', 'reverification', 'rejected' hoặc 'unchanged'.");
        if (Limit is < 1 or > 1000) yield return new("limit", "Số dòng mỗi trang từ 1 đến 1000.");
    }
}

public sealed class ImportHandlers(Db db, IBackgroundJobClient jobs, IOptions<ImportOptions> options, Infrastructure.Http.NodeRole role,
    IHostEnvironment environment, TimeProvider clock)
    : ICommandHandler<StartImport, ImportResponse>, IQueryHandler<GetImport, ImportResponse>, IQueryHandler<GetImportRows, ImportRowPageResponse>
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
        return await LoadAsync(id, size, ct);
    }

    public async ValueTask<ImportResponse> Handle(GetImport query, CancellationToken ct) => await LoadAsync(query.Id, null, ct);

    public async ValueTask<ImportRowPageResponse> Handle(GetImportRows query, CancellationToken ct)
    {
        await LoadAsync(query.Id, null, ct);
        var limit = query.Limit ?? 200;
        var rows = await db.QueryAsync<RowRecord>(db.Dialect.Limit(Sql.Rows), new { query.Id, query.Outcome, After = query.After ?? 0, Limit = limit + 1 }, ct);
        var page = rows.Take(limit).Select(r => new ImportRowResponse(r.RowNumber, r.Outcome, r.Reason, r.BeneficiaryId)).ToList();
        return new(page, rows.Count > limit ? page[^1].RowNumber : null);
    }

    private async Task<ImportResponse> LoadAsync(Guid id, long? size, CancellationToken ct)
    {
        var r = await db.SingleOrDefaultAsync<ImportRow>(Sql.Load, new { Id = id }, ct) ?? throw ProblemException.NotFound($"lượt nhập {id}");
        var bytes = size ?? (File.Exists(PathOf(r.StorageKey)) ? new FileInfo(PathOf(r.StorageKey)).Length : 0);
        return new(r.Id, r.Status, r.FileName, r.Format, r.SourceSystem, bytes, r.RowsDone, r.Mapped + r.Reverification, r.Mapped, r.Reverification,
            r.Rejected, r.Unchanged, r.LastError, r.CreatedAt, r.FinishedAt, $"/api/v1/imports/{r.Id}/rows");
    }

    private string PathOf(string key) => Path.Combine(Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StoragePath)), key);

    private sealed record RowRecord
    {
        public int RowNumber { get; init; }
        public string Outcome { get; init; } = "";
        public string? Reason { get; init; }
        public Guid? BeneficiaryId { get; init; }
    }

    internal static class Sql
    {
        public const string Insert = """
            INSERT INTO beneficiary_import (id, file_name, format, sha256, storage_key, source_system, status, rows_done, mapped, reverification,
                rejected, unchanged, last_error, created_by, created_at, heartbeat_at, finished_at)
            VALUES (@Id, @FileName, @Format, @Sha256, @StorageKey, @SourceSystem, 'queued', 0, 0, 0, 0, 0, NULL, @CreatedBy, @Now, NULL, NULL)
            """;
        public const string Load = """
            SELECT id, file_name, format, storage_key, source_system, status, rows_done, mapped, reverification, rejected, unchanged, last_error,
                   created_at, heartbeat_at, finished_at
            FROM beneficiary_import WHERE id = @Id
            """;
        public const string Rows = """
            SELECT row_number, outcome, reason, beneficiary_id FROM import_row
            WHERE import_id = @Id AND row_number > @After AND (@Outcome IS NULL OR outcome = @Outcome)
            ORDER BY row_number
            """;
    }
}

public sealed record ImportRow
{
    public Guid Id { get; init; }
    public string FileName { get; init; } = "";
    public string Format { get; init; } = "";
    public string StorageKey { get; init; } = "";
    public string SourceSystem { get; init; } = "";
    public string Status { get; init; } = "";
    public int RowsDone { get; init; }
    public int Mapped { get; init; }
    public int Reverification { get; init; }
    public int Rejected { get; init; }
    public int Unchanged { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? HeartbeatAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>
/// Processes an uploaded list as Hangfire work, streaming it row by row. Rows are applied in batches, each batch in one
/// transaction together with the counters and the checkpoint (rows done), so a process killed midway resumes after
/// the last committed batch and no row is applied twice. Re-importing a record (same source system and record id)
/// changes nothing.
/// </summary>
public sealed class ImportBeneficiariesJob(Db db, IOptions<ImportOptions> options, IHostEnvironment environment, TimeProvider clock,
    PersonalData personalData, ILogger<ImportBeneficiariesJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    [JobDisplayName("Import beneficiaries {0}")]
    public async Task Run(Guid importId, CancellationToken ct)
    {
        var import = await db.SingleOrDefaultAsync<ImportRow>(ImportHandlers.Sql.Load, new { Id = importId }, ct);
        if (import is null || import.Status is "completed" or "failed") return;
        var path = Path.Combine(Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StoragePath)), import.StorageKey);
        var mapping = (await db.QueryAsync<Successor>(Sql.Successions, null, ct)).Where(s => s.OldCode.Length == 5)
            .GroupBy(s => s.OldCode).ToDictionary(g => g.Key, g => g.Select(s => s.NewCode).ToList());
        var benefits = (await db.QueryAsync<string>(Sql.Procedures, null, ct)).ToHashSet(StringComparer.Ordinal);
        var applier = new RowApplier(import, mapping, benefits, clock, personalData);

        var done = import.RowsDone;
        var batch = new List<(int Number, BeneficiaryRecord? Record, string? ParseError)>(options.Value.BatchSize);
        try
        {
            await using var file = File.OpenRead(path);
            await foreach (var row in Read(import.Format, file, ct))
            {
                if (row.Number <= done) continue;   // committed before a restart
                batch.Add(row);
                if (batch.Count == options.Value.BatchSize)
                {
                    await applier.ApplyAsync(db, batch, ct);
                    batch.Clear();
                }
            }
            if (batch.Count > 0) await applier.ApplyAsync(db, batch, ct);
            await FinishAsync(importId, "completed", null);
            logger.LogInformation("Import {Import} completed", importId);
        }
        catch (Exception e) when (e is JsonException or CsvHelperException or IOException && e is not FileNotFoundException)
        {
            // The file itself is unreadable past this point: what was applied stays, the operation says where it stopped.
            await FinishAsync(importId, "failed", $"Tệp không đọc được sau dòng {applier.LastRow}: {e.Message}");
        }
    }

    private async Task FinishAsync(Guid id, string status, string? error)
    {
        await using var tx = await db.BeginWriteAsync(CancellationToken.None);
        await tx.ExecuteAsync(Sql.Finish, new { Id = id, Status = status, Error = error is { Length: > 1000 } ? error[..1000] : error, Now = clock.GetUtcNow() });
        await tx.CommitAsync();
    }

    /// <summary>Rows numbered from 1 (data rows; the CSV header is not counted). A row that cannot be read becomes a rejection.</summary>
    private static async IAsyncEnumerable<(int Number, BeneficiaryRecord? Record, string? ParseError)> Read(string format, Stream file,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var number = 0;
        if (format == "json")
        {
            await foreach (var record in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(file, JsonSerializerOptions.Web, ct))
            {
                number++;
                BeneficiaryRecord? parsed = null;
                string? error = null;
                try
                {
                    parsed = record.ValueKind == JsonValueKind.Object ? record.Deserialize<BeneficiaryRecord>(Lenient) : null;
                    if (parsed is null) error = "Dòng không phải một đối tượng JSON.";
                }
                catch (JsonException e)
                {
                    error = "Không đọc được dòng: " + e.Message;
                }
                yield return (number, parsed, error);
            }
            yield break;
        }

        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant(),
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = null,
            TrimOptions = TrimOptions.Trim,
        });
        await csv.ReadAsync();
        csv.ReadHeader();
        while (await csv.ReadAsync())
        {
            number++;
            yield return (number, csv.GetRecord<BeneficiaryRecord>(), null);
        }
    }

    // Numbers in JSON lists (amounts) are accepted as well as strings.
    private static readonly JsonSerializerOptions Lenient = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString, Converters = { new AnyAsString() } };

    private sealed class AnyAsString : System.Text.Json.Serialization.JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.Null => null,
            _ => throw new JsonException("Giá trị phải là chuỗi hoặc số."),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed record Successor
    {
        public string OldCode { get; init; } = "";
        public string NewCode { get; init; } = "";
    }

    internal static class Sql
    {
        public const string Successions = "SELECT old_code, new_code FROM unit_succession";
        public const string Procedures = "SELECT code FROM catalogue_procedure";
        public const string Finish = """
            UPDATE beneficiary_import SET status = @Status, last_error = @Error, finished_at = @Now, heartbeat_at = @Now WHERE id = @Id
            """;
    }
}

/// <summary>
/// Imports are resumed every minute, and once when a worker process starts: no worker ran an unfinished import while it
/// was down (on the embedded storage only one may run), so all of them resume from their checkpoints at once.
/// </summary>
public sealed class ImportSchedule : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs)
    {
        recurring.AddOrUpdate<ResumeImportsJob>(ResumeImportsJob.RecurringId, j => j.Run(CancellationToken.None), Cron.Minutely());
        jobs.Enqueue<ResumeImportsJob>(j => j.RunAfterRestart(CancellationToken.None));
    }
}
