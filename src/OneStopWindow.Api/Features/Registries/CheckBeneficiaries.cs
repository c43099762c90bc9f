using System.Text.Json;
using Hangfire;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Applicants;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Registries;

/// <summary>The system's periodic step: check the register's Active beneficiaries against the population registry.</summary>
public sealed record CheckBeneficiaries : ICommand<BeneficiaryCheckOutcome>;

/// <param name="Checked">Entitlements whose person the registry answered for.</param>
/// <param name="Proposed">New proposals written.</param>
/// <param name="Unavailable">The registry stopped answering: the rest of the register was not checked this run.</param>
public sealed record BeneficiaryCheckOutcome(int Checked, int Proposed, bool Unavailable);

/// <summary>
/// The periodic check of active beneficiaries (issue 18, part 3): pages through the Active entitlements that have a ward
/// and a person's identity number (keyset on the entitlement id, <see cref="RegisterOptions.RegistryCheckBatch"/> per page),
/// asks the population registry about the page's people in one request — outside any transaction, the numbers in the
/// body only — and writes what the answers propose (<see cref="RegistryFindings.Propose"/>: deceased → a death report,
/// living in another ward → a move report) as proposals for the ward's staff, one transaction per page. Nothing changes
/// an entitlement here: staff confirm (<see cref="ConfirmEntitlementProposal"/>). A page is written whole or not at all;
/// when the registry stops answering the run stops there, writes nothing for that page and reports it (no identifier is
/// logged); the next run checks everything again and adds only what is not already proposed. An imported record still
/// waiting for its ward (re-verification) is checked once its ward is known: until then no ward could confirm. With the
/// population gateway switched off the step does nothing.
/// </summary>
public sealed class CheckBeneficiariesHandler(Db db, RegistryGateway gateway, PersonalData personalData, IOptions<RegisterOptions> options,
    IOptions<RegistryOptions> registries, TimeProvider clock, ILogger<CheckBeneficiariesHandler> logger) : ICommandHandler<CheckBeneficiaries, BeneficiaryCheckOutcome>
{
    public async ValueTask<BeneficiaryCheckOutcome> Handle(CheckBeneficiaries cmd, CancellationToken ct)
    {
        // Switched off (the embedded default): nothing to ask, and nothing is wrong.
        if (RegistryGateway.WhenSwitchedOff(registries.Value, RegistryNames.Population) is not null) return new(0, 0, false);
        int answered = 0, proposed = 0;
        var after = Guid.Empty;
        while (true)
        {
            var page = await db.QueryAsync<Candidate>(db.Dialect.Limit(Sql.Page), new
            {
                Open = EntitlementRules.Open.Select(o => o.ToString()).ToList(),
                After = after,
                Limit = options.Value.RegistryCheckBatch,
            }, ct);
            if (page.Count == 0) break;
            after = page[^1].Id;
            var people = page.Select(c => (Row: c, IdNumber: IdNumberOf(c))).Where(p => p.IdNumber is not null).ToList();
            if (people.Count == 0) continue;

            var answer = await gateway.CheckStatusesAsync(people.Select(p => p.IdNumber!).Distinct(StringComparer.Ordinal).ToList(), ct);
            if (answer.Unavailable is { } why)
            {
                // Counts and the gateway's status only: never an identity number or an entitlement of a person.
                logger.LogWarning("Registry check of active beneficiaries stopped after {Checked} entitlements: the population registry is unavailable ({Why})",
                    answered, why);
                return new(answered, proposed, true);
            }
            var findings = people
                .Select(p => (p.Row, Status: answer.ById.GetValueOrDefault(p.IdNumber!)))
                .Where(f => f.Status is not null)
                .Select(f => (f.Row, f.Status, Change: RegistryFindings.Propose(f.Status!, f.Row.WardCode)))
                // A held entitlement is still asked about a death (nothing is owed after it, even for an owed hold); a move only matters while paid.
                .Select(f => f.Row.Status == nameof(EntitlementStatus.Active) || f.Change?.Kind == RegistryFindings.Death ? f : (f.Row, f.Status, Change: null))
                .ToList();
            answered += findings.Count;
            if (findings.All(f => f.Change is null)) continue;

            await using var tx = await db.BeginWriteAsync(ct);
            var now = clock.GetUtcNow();
            foreach (var (row, status, change) in findings)
                if (change is not null && await EntitlementProposals.ProposeAsync(tx, row.Id, change.Kind, ProposalDetails.Of(status!, change.Kind), answer.Source, now))
                    proposed++;
            await tx.CommitAsync();
        }
        if (proposed > 0) logger.LogInformation("Registry check of active beneficiaries: {Checked} answered, {Proposed} new proposals", answered, proposed);
        return new(answered, proposed, false);
    }

    /// <summary>
    /// The person's identity number, opened from where it is sealed: the imported record, or the dossier that created the
    /// entitlement (the named beneficiary's number in its form, else the applicant's). Checked against the entitlement's
    /// keyed hash, so the registry is only ever asked about the entitlement's own person.
    /// </summary>
    private string? IdNumberOf(Candidate c)
    {
        string? id = null;
        if (c.BeneficiaryIdNumber is { } imported) id = personalData.Open(new Sealed(imported));
        else if (c.BeneficiaryIsOther == true && c.FormData is { } form)
        {
            using var parsed = JsonDocument.Parse(personalData.Open(new Sealed(form)));
            id = Beneficiary.IdNumber(parsed.RootElement);
        }
        else if (c.ApplicantIdNumber is { } applicant) id = personalData.Open(new Sealed(applicant));
        return id is not null && personalData.Hash(id) == c.PersonIdHash ? id.Trim() : null;
    }

    private sealed record Candidate
    {
        public Guid Id { get; init; }
        public string PersonIdHash { get; init; } = "";
        public string Status { get; init; } = "";
        public string WardCode { get; init; } = "";
        public string? BeneficiaryIdNumber { get; init; }
        public string? ApplicantIdNumber { get; init; }
        public bool? BeneficiaryIsOther { get; init; }
        public string? FormData { get; init; }
    }

    internal static class Sql
    {
        // The form is read only when the dossier names another beneficiary (it is the one place their number is kept).
        public const string Page = """
            SELECT e.id, e.person_id_hash, e.status, e.ward_code, b.id_number AS beneficiary_id_number, d.applicant_id_number, d.beneficiary_is_other,
                   CASE WHEN d.beneficiary_is_other = 1 THEN d.form_data END AS form_data
            FROM entitlement e
            LEFT JOIN beneficiary b ON b.id = e.beneficiary_id
            LEFT JOIN dossier d ON d.id = e.dossier_id
            WHERE e.status IN @Open AND e.ward_code IS NOT NULL AND e.person_id_hash IS NOT NULL AND e.id > @After
            ORDER BY e.id
            """;
    }
}

/// <summary>
/// The recurring job of the check. A registry outage is not a failure of the job: it ends as succeeded and is tried
/// again after the waits of <see cref="RegistryOptions.Delays"/> (as a dossier's registry check is); after the last, the
/// next scheduled run checks again.
/// </summary>
public sealed class CheckBeneficiariesJob(IMediator mediator, IBackgroundJobClient jobs, IOptions<RegistryOptions> registries,
    ILogger<CheckBeneficiariesJob> logger)
{
    public const string RecurringId = "check-beneficiaries-with-registry";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 5)]
    public async Task Run(int attempt, CancellationToken ct)
    {
        var outcome = await mediator.Send(new CheckBeneficiaries(), ct);
        if (!outcome.Unavailable) return;
        var delays = registries.Value.Delays;
        if (attempt < delays.Count)
        {
            jobs.Schedule<CheckBeneficiariesJob>(j => j.Run(attempt + 1, CancellationToken.None), delays[attempt]);
            logger.LogInformation("Registry check of active beneficiaries: retry {Attempt} scheduled", attempt + 1);
        }
        else
        {
            logger.LogWarning("Registry check of active beneficiaries: still unavailable after {Attempts} retries; left to the next scheduled run", attempt);
        }
    }
}

/// <summary>The check on the cron of <see cref="RegisterOptions.RegistryCheckCron"/>.</summary>
public sealed class CheckBeneficiariesSchedule(IOptions<RegisterOptions> options) : Infrastructure.Jobs.IWorkerSchedule
{
    public void Schedule(IRecurringJobManager recurring, IBackgroundJobClient jobs) =>
        recurring.AddOrUpdate<CheckBeneficiariesJob>(CheckBeneficiariesJob.RecurringId, j => j.Run(0, CancellationToken.None), options.Value.RegistryCheckCron);
}
