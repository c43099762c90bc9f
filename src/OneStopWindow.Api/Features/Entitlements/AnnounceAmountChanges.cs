using System.Globalization;
using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements;

/// <summary>The system's monthly step: tell beneficiaries whose amount changes next month by the rules alone.</summary>
public sealed record AnnounceAmountChanges : ICommand<int>;

/// <summary>
/// Automatic changes from the rules (issue 18: a child turning 4 or 16, a person turning 80, a new standard level from a
/// date): for every Active rule-based entitlement the amount of next month is computed as this month's is
/// (<see cref="EntitlementAmount.AmountFor"/>, ages on the first day of the month); when it differs from this month's, a
/// history row <c>AmountChanged</c> (month = next month, no status change, no outbox event) records it and the applicant
/// of the dossier that created the entitlement is notified (<c>amount-changed</c>: the month and the new amount, never
/// the group). Once per entitlement and month. Imported records are paid at their imported amount: not announced.
/// </summary>
public sealed class AnnounceAmountChangesHandler(Db db, PersonalData personalData, TimeProvider clock, IFamilyNotices family,
    IOptions<RegisterOptions> options)
    : ICommandHandler<AnnounceAmountChanges, int>
{
    public const string Step = "amount-change";
    private static readonly EntitlementActor Actor = EntitlementActor.System(Step);

    public async ValueTask<int> Handle(AnnounceAmountChanges cmd, CancellationToken ct)
    {
        var thisMonth = Months.First(Appointment.DateInVietnam(clock.GetUtcNow()));
        var next = thisMonth.AddMonths(1);
        var rules = new Dictionary<string, Domain.Eligibility.BenefitRules>(StringComparer.Ordinal);
        var announced = 0;
        // Keyset pages of Batch: the province's 200,000 entitlements are never all in memory.
        for (var after = Guid.Empty; ;)
        {
            var rows = await db.QueryAsync<EntitlementRow>(db.Dialect.Limit(Sql.Candidates), new
            {
                Active = nameof(EntitlementStatus.Active),
                Source = nameof(AmountSource.Rules),
                Next = Months.Format(next),
                After = after,
                Limit = options.Value.Batch,
            }, ct);
            if (rows.Count == 0) return announced;
            after = rows[^1].Id;
            foreach (var row in rows)
                if (await AnnounceAsync(row, thisMonth, next, rules, ct)) announced++;
        }
    }

    private async Task<bool> AnnounceAsync(EntitlementRow row, DateOnly thisMonth, DateOnly next, Dictionary<string, Domain.Eligibility.BenefitRules> rules,
        CancellationToken ct)
    {
        if (!rules.TryGetValue(row.BenefitCode, out var r)) rules[row.BenefitCode] = r = await EntitlementStore.RulesAsync(db, row.BenefitCode, ct);
        var (entitlement, _) = await EntitlementStore.DomainAsync(db, personalData, row, ct);
        var now = EntitlementAmount.AmountFor(entitlement, thisMonth, r);
        var then = EntitlementAmount.AmountFor(entitlement, next, r);
        // Only a change the rules make on their own: both months covered by the same rule-based basis period.
        if (now?.Vnd is not { } before || then?.Vnd is not { } after || before == after || then.Source != AmountSource.Rules) return false;
        if (entitlement.BasisOn(next)?.FromMonth != entitlement.BasisOn(thisMonth)?.FromMonth) return false;

        await using var tx = await db.BeginWriteAsync(ct);
        var at = clock.GetUtcNow();
        var month = Months.Format(next);
        await EntitlementTransitions.RecordAsync(tx, row.Id, "AmountChanged", row.State, Actor, new EntitlementChange(month,
            Note: string.Create(CultureInfo.InvariantCulture, $"Từ tháng {month}: {after:#,0} đồng/tháng (tháng {Months.Format(thisMonth)}: {before:#,0}). {then.Basis}")
                is var note && note.Length > 1000 ? note[..1000] : note), at);
        var notified = row.DossierId is { } dossierId && await family.AmountChangesAsync(tx, dossierId, month, after, at);
        await tx.CommitAsync();
        if (notified) family.Queued();
        return true;
    }

    internal static class Sql
    {
        // Active, rule-based, and not yet announced for next month.
        public const string Candidates = EntitlementStore.Sql.Columns + """

            WHERE status = @Active AND amount_source = @Source AND id > @After
              AND NOT EXISTS (SELECT 1 FROM entitlement_event ev WHERE ev.entitlement_id = entitlement.id AND ev.kind = 'AmountChanged' AND ev.month = @Next)
            ORDER BY id
            """;
    }
}

public sealed class AnnounceAmountChangesJob(IMediator mediator)
{
    public const string RecurringId = "announce-amount-changes";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(CancellationToken ct) => await mediator.Send(new AnnounceAmountChanges(), ct);
}

/// <summary>The announcement of next month's automatic changes, on <see cref="RegisterOptions.AmountChangeCron"/>.</summary>
public sealed class AnnounceAmountChangesSchedule(IOptions<RegisterOptions> options) : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) =>
        recurring.AddOrUpdate<AnnounceAmountChangesJob>(AnnounceAmountChangesJob.RecurringId, j => j.Run(CancellationToken.None), options.Value.AmountChangeCron);
}
