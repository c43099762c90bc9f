using System.Data.Common;
using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>The system's step: draft the lists of every ward with something due.</summary>
/// <param name="Month">"yyyy-MM"; null: the scheduled run — next month's lists, from <see cref="PaymentOptions.ListDay"/> on (before it, nothing).</param>
public sealed record GeneratePaymentLists(string? Month) : ICommand<PaymentRunResponse>;

/// <summary>What a run did: wards drafted, wards whose list was already approved (left alone), lines and total written.</summary>
public sealed record PaymentRunResponse(string? Month, int Drafted, int AlreadyApproved, int Lines, long TotalVnd);

/// <summary>
/// Ward by ward (as many at a time as there are cores), each in its own short write transaction (<see cref="PaymentListGenerator"/>): a crash leaves
/// some wards' lists complete and the others not begun, and the next run completes them (a draft is rebuilt the same; an
/// approved list is left alone). Wards with nothing due get no list. A ward whose write collides with another writer of
/// the same ward (the unique month index refused it) is tried once more from a fresh read.
/// </summary>
public sealed partial class GeneratePaymentListsHandler(Db db, PaymentListGenerator generator, TimeProvider clock, IOptions<PaymentOptions> options,
    ILogger<GeneratePaymentListsHandler> logger) : ICommandHandler<GeneratePaymentLists, PaymentRunResponse>
{
    public async ValueTask<PaymentRunResponse> Handle(GeneratePaymentLists cmd, CancellationToken ct)
    {
        var today = Appointment.DateInVietnam(clock.GetUtcNow());
        DateOnly month;
        if (Months.Parse(cmd.Month) is { } asked) month = asked;
        else if (today.Day >= options.Value.ListDay) month = Months.First(today).AddMonths(1);
        else return new(null, 0, 0, 0, 0);

        int drafted = 0, approved = 0, lines = 0;
        long total = 0;
        // Wards in parallel, one per core: a ward's reading and pricing (claims opened, the rules applied month by month)
        // is CPU work that overlaps another ward's write; the writes themselves still take the single writer in turn.
        var wards = await db.QueryAsync<string>(Sql.Wards, null, ct);
        await Parallel.ForEachAsync(wards, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (ward, token) =>
            {
                // Each ward its own copy of the rules: their parsed parameters (JsonNode) are not safe to share between threads.
                var rules = new Dictionary<string, BenefitRules>(StringComparer.Ordinal);
                GenerationResult result;
                try { result = await generator.GenerateAsync(ward, month, rules, token); }
                catch (DbException e) when (DbErrors.IsUniqueViolation(e))
                {
                    LogRetry(logger, ward);
                    result = await generator.GenerateAsync(ward, month, rules, token);
                }
                if (result.Outcome == GenerationOutcome.Approved) Interlocked.Increment(ref approved);
                if (result.Outcome != GenerationOutcome.Written) return;
                Interlocked.Increment(ref drafted);
                Interlocked.Add(ref lines, result.Lines);
                Interlocked.Add(ref total, result.TotalVnd);
            });
        return new(Months.Format(month), drafted, approved, lines, total);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment list of ward {Ward} collided with another writer; drafting it again")]
    private static partial void LogRetry(ILogger logger, string ward);

    internal static class Sql
    {
        public const string Wards = """
            SELECT ward_code FROM entitlement WHERE ward_code IS NOT NULL
            UNION SELECT ward_code FROM payable WHERE status = 'due'
            UNION SELECT ward_code FROM beneficiary WHERE entitlement = 'held-duplicate' AND ward_code IS NOT NULL
            ORDER BY ward_code
            """;
    }
}

public sealed class GeneratePaymentListsJob(IMediator mediator)
{
    public const string RecurringId = "generate-payment-lists";

    [AutomaticRetry(Attempts = 0)]
    public async Task Run(string? month, CancellationToken ct) => await mediator.Send(new GeneratePaymentLists(month), ct);
}

/// <summary>The drafting of next month's lists, on the cron of <see cref="PaymentOptions.Cron"/>.</summary>
public sealed class GeneratePaymentListsSchedule(IOptions<PaymentOptions> options) : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) =>
        recurring.AddOrUpdate<GeneratePaymentListsJob>(GeneratePaymentListsJob.RecurringId, j => j.Run(null, CancellationToken.None), options.Value.Cron);
}
