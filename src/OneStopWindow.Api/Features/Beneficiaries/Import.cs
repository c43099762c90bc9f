using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Hangfire;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Settings;

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
    PersonalData personalData, Entitlements.EntitlementRegister register, ILogger<ImportBeneficiariesJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 10)]
    [JobDisplayName("Import beneficiaries {0}")]
    public async Task Run(Guid importId, CancellationToken ct)
    {
        var import = await db.SingleOrDefaultAsync<ImportRow>(ImportStatements.Sql.Load, new { Id = importId }, ct);
        if (import is null || import.Status is "completed" or "failed") return;
        var path = Path.Combine(Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.StoragePath)), import.StorageKey);
        var mapping = (await db.QueryAsync<Successor>(Sql.Successions, null, ct)).Where(s => s.OldCode.Length == 5)
            .GroupBy(s => s.OldCode).ToDictionary(g => g.Key, g => g.Select(s => s.NewCode).ToList());
        var benefits = (await db.QueryAsync<string>(Sql.Procedures, null, ct)).ToHashSet(StringComparer.Ordinal);
        var applier = new RowApplier(import, mapping, benefits, clock, personalData, register);

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
    private static readonly JsonSerializerOptions Lenient = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
        Converters = { new AnyAsString() },
    };

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
