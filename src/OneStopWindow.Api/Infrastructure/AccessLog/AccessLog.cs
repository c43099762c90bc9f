using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Jobs;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Infrastructure.AccessLog;

public sealed class AccessLogOptions
{
    public const string Section = "AccessLog";

    /// <summary>How long an entry is kept (default 24 months).</summary>
    [Range(1, 240)]
    public int RetentionMonths { get; set; } = 24;

    /// <summary>
    /// Repeated reads of one subject by one reader for one purpose within this window are one entry (the first): a
    /// ward officer paging their queue all morning is logged once a minute per dossier, not per click.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Entries are written in batches at most this often (reads never wait for the database writer).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// What was read: the dossier view, its timeline with actors, a document, a queue page, a beneficiary record, an entitlement
/// or a page of them, a dossier's entitlements, a payment method (numbers masked).
/// </summary>
public static class AccessKinds
{
    public const string DossierView = "dossier-view";
    public const string Timeline = "timeline";
    public const string Document = "document-download";
    /// <summary>A paper the dossier's events issued (issue 20): the list, or one PDF.</summary>
    public const string Paper = "paper";
    public const string QueuePage = "queue-page";
    public const string Beneficiary = "beneficiary-record";
    public const string Entitlement = "entitlement-record";
    public const string EntitlementList = "entitlement-list";
    /// <summary>The entitlements a dossier created or changed, read through the dossier (its applicant, its tracking secret, its ward).</summary>
    public const string EntitlementByDossier = "entitlement-by-dossier";
    public const string EntitlementProposals = "entitlement-proposal-list";
    public const string PaymentMethod = "payment-method";
    public const string RuleDryRun = "benefit-rule-dry-run";
    /// <summary>A ward's payment lists, or one list with its lines (issue 19): the list, and the entitlements its lines pay.</summary>
    public const string PaymentList = "payment-list";
    /// <summary>A list exported to the payer (identity and account numbers opened): the list, and the entitlements its lines pay.</summary>
    public const string PaymentListExport = "payment-list-export";
}

/// <summary>
/// Records who read a person's unmasked data — never the data itself (Law 91/2025/QH15, Decree 356/2025; DOMAIN.md §7 and
/// §10 item 9). A read adds its entry to this process's buffer and returns; <see cref="AccessLogWriter"/> writes the
/// buffer in one transaction every <see cref="AccessLogOptions.FlushInterval"/>, so reads never take the database
/// writer's turn. Entries still in the buffer when a process is killed are lost (at most one interval's worth); a
/// normal stop writes them.
/// </summary>
public sealed class AccessRecorder(TimeProvider clock, IOptions<AccessLogOptions> options)
{
    private readonly ConcurrentQueue<Entry> pending = new();
    private readonly ConcurrentDictionary<(string Reader, Guid Subject, string Kind), DateTimeOffset> recent = new();

    internal sealed record Entry(Guid Id, Guid EntryId, string SubjectKind, Guid SubjectId, string Kind, string ReaderRole, string? ReaderUnit,
        string ReaderId, DateTimeOffset ReadAt);

    /// <summary>One read of one or more subjects (a queue page: every dossier on it, as one entry).</summary>
    public void Record(Caller reader, string kind, string subjectKind, IEnumerable<Guid> subjects)
    {
        var entry = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var unit = reader.Client is { } client ? client.Name : reader.IsProvincial ? "tỉnh Phú Thọ" : reader.WardCode;
        var window = options.Value.CoalesceWindow;
        foreach (var subject in subjects)
        {
            var key = (reader.Id, subject, kind);
            if (recent.TryGetValue(key, out var last) && now - last < window) continue;   // the same read again: already logged
            recent[key] = now;
            pending.Enqueue(new(Guid.CreateVersion7(), entry, subjectKind, subject, kind, reader.Role, unit, reader.Id, now));
        }
    }

    /// <summary>Forgets reads older than the window (called by the writer), so the memory of recent reads stays bounded.</summary>
    internal void Prune()
    {
        var before = clock.GetUtcNow() - options.Value.CoalesceWindow;
        foreach (var (key, at) in recent)
            if (at < before) recent.TryRemove(KeyValuePair.Create(key, at));
    }

    public void RecordDossier(Caller reader, string kind, Guid dossierId) => Record(reader, kind, "dossier", [dossierId]);

    internal List<Entry> Drain(int max)
    {
        var batch = new List<Entry>();
        while (batch.Count < max && pending.TryDequeue(out var e)) batch.Add(e);
        return batch;
    }

    internal bool IsEmpty => pending.IsEmpty;
}

/// <summary>Writes the buffered access entries in batches, on every node (API nodes serve the reads).</summary>
public sealed partial class AccessLogWriter(AccessRecorder recorder, Db db, IOptions<AccessLogOptions> options, ILogger<AccessLogWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(options.Value.FlushInterval, stoppingToken); }
            catch (OperationCanceledException) { break; }
            await FlushAsync(CancellationToken.None);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);   // a normal stop loses nothing
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        recorder.Prune();
        while (!recorder.IsEmpty)
        {
            var batch = recorder.Drain(5000);
            try
            {
                // Rows of many statements, not a statement per row: a busy queue writes thousands of rows a second.
                await using var tx = await db.BeginWriteAsync(ct);
                foreach (var chunk in batch.Chunk(RowsPerStatement)) await tx.ExecuteAsync(InsertRows(chunk.Length), Parameters(chunk));
                await tx.CommitAsync();
            }
#pragma warning disable CA1031 // The log must not stop the service; the lost count is logged (no personal data in it).
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFlushFailed(logger, e, batch.Count);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Access log: {Count} entries could not be written")]
    private static partial void LogFlushFailed(ILogger logger, Exception e, int count);

    /// <summary>9 parameters a row: 100 rows stay under SQL Server's 2,100 parameters of a statement.</summary>
    public const int RowsPerStatement = 100;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> Statements = new();

    /// <summary>One INSERT of <paramref name="rows"/> rows (parameters @Id0, @EntryId0, … @ReadAt{rows-1}).</summary>
    public static string InsertRows(int rows) => Statements.GetOrAdd(rows, n =>
        InsertHead + string.Join(",", Enumerable.Range(0, n).Select(i => System.FormattableString.Invariant(
            $"\n    (@Id{i}, @EntryId{i}, @SubjectKind{i}, @SubjectId{i}, @Kind{i}, @ReaderRole{i}, @ReaderUnit{i}, @ReaderId{i}, @ReadAt{i})"))));

    private static Dapper.DynamicParameters Parameters(AccessRecorder.Entry[] rows)
    {
        var p = new Dapper.DynamicParameters();
        for (var i = 0; i < rows.Length; i++)
        {
            var e = rows[i];
            p.Add(System.FormattableString.Invariant($"Id{i}"), e.Id);
            p.Add(System.FormattableString.Invariant($"EntryId{i}"), e.EntryId);
            p.Add(System.FormattableString.Invariant($"SubjectKind{i}"), e.SubjectKind);
            p.Add(System.FormattableString.Invariant($"SubjectId{i}"), e.SubjectId);
            p.Add(System.FormattableString.Invariant($"Kind{i}"), e.Kind);
            p.Add(System.FormattableString.Invariant($"ReaderRole{i}"), e.ReaderRole);
            p.Add(System.FormattableString.Invariant($"ReaderUnit{i}"), e.ReaderUnit);
            p.Add(System.FormattableString.Invariant($"ReaderId{i}"), e.ReaderId);
            p.Add(System.FormattableString.Invariant($"ReadAt{i}"), e.ReadAt);
        }
        return p;
    }

    /// <summary>The head of the insert; <see cref="InsertRows"/> adds the rows (the SQL tests parse a built statement).</summary>
    private const string InsertHead = "INSERT INTO access_log (id, entry_id, subject_kind, subject_id, kind, reader_role, reader_unit, reader_id, read_at) VALUES";
}

/// <summary>Entries older than the retention are deleted daily.</summary>
public sealed class PurgeAccessLogJob(Db db, TimeProvider clock, IOptions<AccessLogOptions> options)
{
    public const string RecurringId = "purge-access-log";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task<int> Run(CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        var purged = await tx.ExecuteAsync(Sql.Purge, new { Before = clock.GetUtcNow().AddMonths(-options.Value.RetentionMonths) });
        await tx.CommitAsync();
        return purged;
    }

    internal static class Sql
    {
        public const string Purge = "DELETE FROM access_log WHERE read_at < @Before";
    }
}

public sealed class AccessLogSchedule : IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) =>
        recurring.AddOrUpdate<PurgeAccessLogJob>(PurgeAccessLogJob.RecurringId, j => j.Run(CancellationToken.None), Cron.Daily(3));
}

public static class AccessLogSetup
{
    public static IServiceCollection AddAccessLog(this IServiceCollection services)
    {
        services.AddSettings<AccessLogOptions>(AccessLogOptions.Section);
        services.AddSingleton<AccessRecorder>();
        services.AddSingleton<AccessLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessLogWriter>());
        services.AddTransient<PurgeAccessLogJob>();
        services.AddSingleton<IWorkerSchedule, AccessLogSchedule>();
        return services;
    }
}
