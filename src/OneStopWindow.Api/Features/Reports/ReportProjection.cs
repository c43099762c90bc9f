using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Integration;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Reports;

public static class ReportSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSettings<ReportOptions>(ReportOptions.Section);
        services.AddScoped<ReportProjection>();
        services.AddSingleton<OutboxFollower, ReportFollower>();
        return services;
    }
}

public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>How often a worker brings the report table up to date with the outbox.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ProjectInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Keeps <c>dossier_report</c> — one narrow row per dossier, the only table the reports read — up to date. It follows
/// the same outbox as the event feed: every dossier change is an event, so after each batch of events the rows of the
/// dossiers they touched are rebuilt from the dossier itself, and the cursor moves in the same transaction.
/// Run by the workflow pump on worker nodes; a report may lag the dossiers by about a second.
/// </summary>
public sealed class ReportFollower(IOptions<ReportOptions> options) : OutboxFollower("reports")
{
    public override TimeSpan Interval => options.Value.ProjectInterval;

    public override async Task RunRoundAsync(IServiceProvider scope, CancellationToken ct)
    {
        var projection = scope.GetRequiredService<ReportProjection>();
        while (await projection.CatchUpAsync(ct) > 0) { }
    }
}

public sealed class ReportProjection(Db db, WorkingCalendarProvider calendars, OfficeHours hours)
{
    public const string CursorName = "reports";

    // Once per database: one from before report_summary, or report rows written by a data generator.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Db, object> SummaryChecked = new();

    /// <summary>One batch of events → rebuilt rows. Returns how many events it consumed.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        if (await OutboxCursor.ReadAsync(db, CursorName, ct) is null) await BackfillAsync(ct);
        if (!SummaryChecked.TryGetValue(db, out _))
        {
            await ReportSummary.RebuildIfEmptyAsync(db, ct);
            SummaryChecked.AddOrUpdate(db, db);
        }
        var cursor = await OutboxCursor.ReadAsync(db, CursorName, ct) ?? 0;
        var events = await EventLog.ReadAsync(db, cursor, 2000, ct);
        if (events.Count == 0) return 0;
        var calendar = await calendars.GetAsync(ct);
        await using var tx = await db.BeginWriteAsync(ct);
        if (!await OutboxCursor.MoveAsync(tx, CursorName, cursor, events[^1].Position)) return 0;
        var deltas = new Dictionary<ReportSummary.Key, ReportSummary.Measures>();
        // Entitlement events (the benefit register) carry no dossier: the report counts dossiers only.
        foreach (var id in events.Where(e => e.DossierId is not null).Select(e => e.DossierId!.Value).Distinct()) await ReplaceAsync(tx, id, calendar, hours, deltas);
        await ReportSummary.ApplyAsync(tx, deltas);
        await tx.CommitAsync();
        return events.Count;
    }

    /// <summary>
    /// First run on a database that already has dossiers (filed before the outbox existed): build every row from the
    /// dossiers, then start the cursor at the beginning of the outbox (replaying it rebuilds rows idempotently).
    /// </summary>
    private async Task BackfillAsync(CancellationToken ct)
    {
        var calendar = await calendars.GetAsync(ct);
        var after = Guid.Empty;
        while (true)
        {
            var ids = await db.QueryAsync<Guid>(db.Dialect.Limit(Sql.DossierIds), new { After = after, Limit = 1000 }, ct);
            if (ids.Count == 0) break;
            await using var tx = await db.BeginWriteAsync(ct);
            var deltas = new Dictionary<ReportSummary.Key, ReportSummary.Measures>();
            foreach (var id in ids) await ReplaceAsync(tx, id, calendar, hours, deltas);
            await ReportSummary.ApplyAsync(tx, deltas);
            await tx.CommitAsync();
            after = ids[^1];
        }
        await using var start = await db.BeginWriteAsync(ct);
        if (await start.ScalarAsync<long>(OutboxCursor.Sql.Exists, new { Name = CursorName }) == 0)
            await start.ExecuteAsync(OutboxCursor.Sql.Insert, new { Name = CursorName, Position = 0L });
        await start.CommitAsync();
    }

    /// <summary>Rebuilds one dossier's report row; the summary changes by the new row's contribution minus the old one's.</summary>
    private static async Task ReplaceAsync(DbWrite tx, Guid id, WorkingCalendar calendar, OfficeHours hours, Dictionary<ReportSummary.Key, ReportSummary.Measures> deltas)
    {
        var d = await tx.SingleOrDefaultAsync<Source>(Sql.Dossier, new { Id = id });
        if (d is null) return;
        if (await tx.SingleOrDefaultAsync<ReportSummary.Row>(ReportSummary.Sql.ReportRow, new { Id = id }) is { } old)
            ReportSummary.Contribute(deltas, old, -1);
        var fact = Fact(d, calendar, hours);
        await tx.ExecuteAsync(Sql.Delete, new { Id = id });
        await tx.ExecuteAsync(Sql.Insert, fact);
        ReportSummary.Contribute(deltas, fact, +1);
    }

    /// <summary>The report row of one dossier. On time: decided on or before the appointment and never overdue.</summary>
    public static ReportSummary.Row Fact(Source d, WorkingCalendar calendar, OfficeHours hours)
    {
        var received = VietnamDay(d.ReceivedAt);
        var dayZero = Appointment.DayZero(d.ReceivedAt, calendar, hours.Close);   // as the appointment date counts
        var withdrawn = d.Status == nameof(DossierStatus.Withdrawn);
        // Refused at reception (Form 03): closed on the day of the refusal, never resolved (no decision on the merits).
        var refused = d.Status == nameof(DossierStatus.RefusedAtReception);
        long? amount = null;
        if (d.Outcome == nameof(DossierOutcome.Granted) && d.DecisionJson is not null)
        {
            using var decision = JsonDocument.Parse(d.DecisionJson);
            if (decision.RootElement.TryGetProperty("monthly", out var m) && m.ValueKind == JsonValueKind.True
                && decision.RootElement.TryGetProperty("amountVnd", out var a) && a.ValueKind == JsonValueKind.Number) amount = (long)a.GetDecimal();
        }
        return new ReportSummary.Row
        {
            Id = d.Id,
            ReceivedDay = received,
            WardCode = d.HandlingWardCode,
            ProcedureCode = d.ProcedureCode,
            Channel = d.Channel,
            Status = d.Status,
            Outcome = d.Outcome,
            DecidedDay = d.DecisionDate,
            ClosedDay = d.DecisionDate ?? ((withdrawn || refused) && d.CompletedAt is { } c ? VietnamDay(c) : null),
            OnTime = d.DecisionDate is { } decided ? (decided <= d.AppointmentDate && d.OverdueSince is null ? 1 : 0) : (int?)null,
            WorkingDays = d.DecisionDate is { } day ? calendar.WorkingDaysBetween(dayZero, day) : (int?)null,
            Supplements = d.SupplementCount,
            Objections = d.Objections,
            Rating = d.Rating,
            AmountVnd = amount,
            Withdrawn = withdrawn ? 1 : 0,
        };
    }

    private static DateOnly VietnamDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Appointment.VietnamTime).DateTime);

    public sealed record Source
    {
        public Guid Id { get; init; }
        public DateTimeOffset ReceivedAt { get; init; }
        public string? HandlingWardCode { get; init; }
        public string ProcedureCode { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Outcome { get; init; }
        public DateOnly? DecisionDate { get; init; }
        public string? DecisionJson { get; init; }
        public DateOnly AppointmentDate { get; init; }
        public DateTimeOffset? OverdueSince { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }
        public int SupplementCount { get; init; }
        public int Objections { get; init; }
        public int? Rating { get; init; }
    }

    internal static class Sql
    {
        public const string Dossier = """
            SELECT d.id, d.received_at, d.handling_ward_code, d.procedure_code, d.channel, d.status, d.outcome, d.decision_date, d.decision_json,
                   d.appointment_date, d.overdue_since, d.completed_at, d.supplement_count, d.rating,
                   (SELECT COUNT(*) FROM objection o WHERE o.dossier_id = d.id) AS objections
            FROM dossier d WHERE d.id = @Id
            """;
        public const string DossierIds = "SELECT id FROM dossier WHERE id > @After ORDER BY id";
        public const string Delete = "DELETE FROM dossier_report WHERE dossier_id = @Id";
        public const string Insert = """
            INSERT INTO dossier_report (dossier_id, received_day, ward_code, procedure_code, channel, status, outcome, decided_day, closed_day,
                on_time, working_days, supplements, objections, rating, amount_vnd, withdrawn)
            VALUES (@Id, @ReceivedDay, @WardCode, @ProcedureCode, @Channel, @Status, @Outcome, @DecidedDay, @ClosedDay,
                @OnTime, @WorkingDays, @Supplements, @Objections, @Rating, @AmountVnd, @Withdrawn)
            """;
    }
}
