using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>
/// <c>report_summary</c>: what one <c>dossier_report</c> row contributes, added to a day row and a month row of its
/// (ward, procedure, channel) — the received cohort on its received day, the decided cohort on its decision day, the
/// closing on its closed day. The projector replaces a dossier's row as "minus the old contribution, plus the new one",
/// so the sums always equal a GROUP BY over <c>dossier_report</c>, which <see cref="RebuildAsync"/> recomputes when the
/// table is empty (a database from before this table, or rows written by a data generator).
/// </summary>
public static class ReportSummary
{
    /// <summary>One dossier_report row (also the projector's insert parameters).</summary>
    public sealed record Row
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public DateOnly ReceivedDay { get; init; }
        public string? WardCode { get; init; }
        public string ProcedureCode { get; init; } = "";
        public string Channel { get; init; } = "";
        public string? Outcome { get; init; }
        public DateOnly? DecidedDay { get; init; }
        public DateOnly? ClosedDay { get; init; }
        public int? OnTime { get; init; }
        public int? WorkingDays { get; init; }
        public int Supplements { get; init; }
        public int Objections { get; init; }
        public int? Rating { get; init; }
        public long? AmountVnd { get; init; }
        public int Withdrawn { get; init; }
    }

    public readonly record struct Key(string Grain, DateOnly Period, string Ward, string ProcedureCode, string Channel);

    public sealed class Measures
    {
        public int Received { get; set; }
        public int Supplements { get; set; }
        public int Withdrawals { get; set; }
        public int Objections { get; set; }
        public int Resolved { get; set; }
        public int OnTime { get; set; }
        public int WorkingDays { get; set; }
        public int Rejections { get; set; }
        public int Beneficiaries { get; set; }
        public long Amount { get; set; }
        public int Rated { get; set; }
        public int Satisfied { get; set; }
        public int Closed { get; set; }

        /// <summary>Refused at reception (Form 03, national status 3), in the received cohort like withdrawals.</summary>
        public int Refusals { get; set; }

        public bool IsZero => Refusals == 0 && Received == 0 && Supplements == 0 && Withdrawals == 0 && Objections == 0 && Resolved == 0 && OnTime == 0
            && WorkingDays == 0 && Rejections == 0 && Beneficiaries == 0 && Amount == 0 && Rated == 0 && Satisfied == 0 && Closed == 0;
    }

    /// <summary>Adds (sign +1) or removes (sign -1) one report row's contribution.</summary>
    public static void Contribute(Dictionary<Key, Measures> sums, Row r, int sign)
    {
        var ward = r.WardCode ?? "-";
        foreach (var m in At(sums, r.ReceivedDay, ward, r))
        {
            m.Received += sign;
            m.Supplements += sign * r.Supplements;
            m.Withdrawals += sign * r.Withdrawn;
            m.Refusals += sign * (r.Status == nameof(Domain.Dossiers.DossierStatus.RefusedAtReception) ? 1 : 0);
            m.Objections += sign * r.Objections;
        }
        if (r.DecidedDay is { } decided)
            foreach (var m in At(sums, decided, ward, r))
            {
                m.Resolved += sign;
                m.OnTime += sign * (r.OnTime ?? 0);
                m.WorkingDays += sign * (r.WorkingDays ?? 0);
                m.Rejections += sign * (r.Outcome == "Denied" ? 1 : 0);
                m.Beneficiaries += sign * (r.AmountVnd is null ? 0 : 1);
                m.Amount += sign * (r.AmountVnd ?? 0);
                m.Rated += sign * (r.Rating is null ? 0 : 1);
                m.Satisfied += sign * (r.Rating >= 2 ? 1 : 0);
            }
        if (r.ClosedDay is { } closed)
            foreach (var m in At(sums, closed, ward, r)) m.Closed += sign;
    }

    private static IEnumerable<Measures> At(Dictionary<Key, Measures> sums, DateOnly day, string ward, Row r)
    {
        yield return Get(new Key("D", day, ward, r.ProcedureCode, r.Channel));
        yield return Get(new Key("M", new DateOnly(day.Year, day.Month, 1), ward, r.ProcedureCode, r.Channel));

        Measures Get(Key key)
        {
            if (!sums.TryGetValue(key, out var m)) sums[key] = m = new Measures();
            return m;
        }
    }

    /// <summary>Adds the changes of one batch to the table (inside the projector's transaction).</summary>
    public static async Task ApplyAsync(DbWrite tx, Dictionary<Key, Measures> deltas)
    {
        foreach (var (key, m) in deltas)
        {
            if (m.IsZero) continue;
            var args = Args(key, m);
            if (await tx.ExecuteAsync(Sql.Add, args) == 0) await tx.ExecuteAsync(Sql.Insert, args);
        }
    }

    /// <summary>Recomputes the whole table from dossier_report when it is empty and there are report rows.</summary>
    public static async Task RebuildIfEmptyAsync(Db db, CancellationToken ct)
    {
        if (await db.SingleOrDefaultAsync<long>(Sql.AnySummary, null, ct) > 0 || await db.SingleOrDefaultAsync<long>(Sql.AnyReport, null, ct) == 0) return;
        await RebuildAsync(db, ct);
    }

    public static async Task RebuildAsync(Db db, CancellationToken ct)
    {
        var sums = new Dictionary<Key, Measures>();
        await using (var connection = await db.OpenAsync(ct))
        {
            await foreach (var row in Dapper.SqlMapper.QueryUnbufferedAsync<Row>(connection, Sql.AllReports).WithCancellation(ct))
                Contribute(sums, row, +1);
        }
        await using var tx = await db.BeginWriteAsync(ct);
        await tx.ExecuteAsync(Sql.Clear);
        foreach (var (key, m) in sums)
            if (!m.IsZero) await tx.ExecuteAsync(Sql.Insert, Args(key, m));
        await tx.CommitAsync();
    }

    private static object Args(Key k, Measures m) => new
    {
        k.Grain,
        k.Period,
        k.Ward,
        k.ProcedureCode,
        k.Channel,
        m.Received,
        m.Supplements,
        m.Withdrawals,
        m.Objections,
        m.Resolved,
        m.OnTime,
        m.WorkingDays,
        m.Rejections,
        m.Beneficiaries,
        m.Amount,
        m.Rated,
        m.Satisfied,
        m.Closed,
        m.Refusals,
    };

    internal static class Sql
    {
        public const string ReportRow = """
            SELECT received_day, ward_code, procedure_code, channel, status, outcome, decided_day, closed_day, on_time, working_days, supplements,
                   objections, rating, amount_vnd, withdrawn
            FROM dossier_report WHERE dossier_id = @Id
            """;
        public const string AllReports = """
            SELECT received_day, ward_code, procedure_code, channel, status, outcome, decided_day, closed_day, on_time, working_days, supplements,
                   objections, rating, amount_vnd, withdrawn
            FROM dossier_report
            """;
        public const string AnySummary = "SELECT CASE WHEN EXISTS (SELECT 1 FROM report_summary) THEN 1 ELSE 0 END";
        public const string AnyReport = "SELECT CASE WHEN EXISTS (SELECT 1 FROM dossier_report) THEN 1 ELSE 0 END";
        public const string Clear = "DELETE FROM report_summary";
        public const string Add = """
            UPDATE report_summary SET received = received + @Received, supplements = supplements + @Supplements,
                withdrawals = withdrawals + @Withdrawals, objections = objections + @Objections, resolved = resolved + @Resolved,
                on_time = on_time + @OnTime, working_days = working_days + @WorkingDays, rejections = rejections + @Rejections,
                beneficiaries = beneficiaries + @Beneficiaries, amount = amount + @Amount, rated = rated + @Rated,
                satisfied = satisfied + @Satisfied, closed = closed + @Closed, refusals = refusals + @Refusals
            WHERE grain = @Grain AND period = @Period AND ward_code = @Ward AND procedure_code = @ProcedureCode AND channel = @Channel
            """;
        public const string Insert = """
            INSERT INTO report_summary (grain, period, ward_code, procedure_code, channel, received, supplements, withdrawals, objections, resolved,
                on_time, working_days, rejections, beneficiaries, amount, rated, satisfied, closed, refusals)
            VALUES (@Grain, @Period, @Ward, @ProcedureCode, @Channel, @Received, @Supplements, @Withdrawals, @Objections, @Resolved,
                @OnTime, @WorkingDays, @Rejections, @Beneficiaries, @Amount, @Rated, @Satisfied, @Closed, @Refusals)
            """;
    }
}
