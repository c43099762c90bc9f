using System.Globalization;
using Mediator;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Registries;

/// <summary>The workflow step "Registry:{name}": consult one registry about a dossier's applicant.</summary>
public sealed record CheckRegistry(Guid StepId, string Registry) : ICommand<RegistryResult?>;

/// <summary>
/// Asks the registry (outside any transaction), then records the answer with its source and time. A registry that
/// cannot be reached never blocks the dossier: the check is recorded as <c>unavailable</c> (the dossier shows it as
/// unverified) and the same step is scheduled again per <see cref="RegistryOptions.RetryDelays"/>; after the last
/// try it is left to the officer. A definite answer is also written on the timeline, once (the step completes with it).
/// </summary>
public sealed class CheckRegistryHandler(Db db, RegistryGateway gateway, IOptions<RegistryOptions> options,
    TimeProvider clock, PersonalData personalData, ILogger<CheckRegistryHandler> logger) : ICommandHandler<CheckRegistry, RegistryResult?>
{
    public async ValueTask<RegistryResult?> Handle(CheckRegistry cmd, CancellationToken ct)
    {
        var d = await db.SingleOrDefaultAsync<Row>(Sql.Load, new { cmd.StepId }, ct);
        if (d is null || d.StepStatus != "pending") return null;

        var result = cmd.Registry == RegistryNames.Population
            ? await gateway.VerifyCitizenAsync(personalData.Open(d.ApplicantIdNumber), d.ApplicantName, d.ApplicantBirthDate, ct)
            : await gateway.LookUpHouseholdAsync(personalData.Open(d.ApplicantIdNumber), d.HandlingWardCode, ct);
        var delays = options.Value.Delays;
        var retry = result.Unavailable && d.Attempts < delays.Count;

        await using var tx = await db.BeginWriteAsync(ct);
        var now = clock.GetUtcNow();   // taken holding the writer's turn, so the timeline's times follow the order of commits
        var args = new { DossierId = d.Id, cmd.Registry, result.Result, result.Details, result.Source, Now = now };
        if (await tx.ExecuteAsync(Sql.Update, args) == 0) await tx.ExecuteAsync(Sql.Insert, args);
        if (retry)
        {
            if (await tx.ExecuteAsync(Sql.Reschedule, new { Id = cmd.StepId, DueAt = now + delays[d.Attempts] }) == 0) return null;
        }
        else
        {
            if (await tx.ExecuteAsync(WorkflowSql.Complete, new { Id = cmd.StepId, Now = now }) == 0) return null;
            if (result.Result != "disabled")
                await Timeline.AppendAsync(tx, new(d.Id, "RegistryChecked", await tx.ScalarAsync<string>(Sql.Status, new { d.Id }), "system:registry",
                    Roles.System, now, Note(cmd.Registry, result), cmd.StepId));
        }
        await tx.CommitAsync();
        if (retry)
        {
            logger.LogInformation("Registry {Registry} unavailable for dossier {Code}; retry {Attempt} scheduled", cmd.Registry, d.Code, d.Attempts + 1);
        }
        return result;
    }

    private static string Note(string registry, RegistryResult r) => (registry, r.Result) switch
    {
        (RegistryNames.Population, "verified") => $"Đối chiếu {r.Source}: thông tin người nộp khớp.",
        (RegistryNames.Population, "mismatch") => $"Đối chiếu {r.Source}: thông tin KHÔNG khớp {r.Details}; cán bộ cần kiểm tra.",
        (RegistryNames.Population, "not-found") => $"Đối chiếu {r.Source}: không tìm thấy số định danh; cán bộ cần kiểm tra.",
        (RegistryNames.Poverty, "listed") => $"Tra cứu {r.Source}: có trong danh sách {r.Details}.",
        (RegistryNames.Poverty, "not-listed") => $"Tra cứu {r.Source}: không có trong danh sách hộ nghèo, cận nghèo.",
        _ => string.Create(CultureInfo.InvariantCulture, $"Không kết nối được {r.Source} sau nhiều lần thử; cán bộ đối chiếu thủ công."),
    };

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string ApplicantName { get; init; } = "";
        public DateOnly ApplicantBirthDate { get; init; }
        public Sealed ApplicantIdNumber { get; init; } = new("");
        public string? HandlingWardCode { get; init; }
        public string StepStatus { get; init; } = "";
        public int Attempts { get; init; }
    }

    internal static class Sql
    {
        public const string Load = """
            SELECT d.id, d.code, d.applicant_name, d.applicant_birth_date, d.applicant_id_number, d.handling_ward_code,
                   s.status AS step_status, s.attempts
            FROM workflow_step s JOIN dossier d ON d.id = s.dossier_id
            WHERE s.id = @StepId
            """;
        public const string Status = "SELECT status FROM dossier WHERE id = @Id";
        public const string Update = """
            UPDATE registry_check SET result = @Result, details = @Details, source = @Source, checked_at = @Now, attempts = attempts + 1
            WHERE dossier_id = @DossierId AND registry = @Registry
            """;
        public const string Insert = """
            INSERT INTO registry_check (dossier_id, registry, result, details, source, checked_at, attempts)
            VALUES (@DossierId, @Registry, @Result, @Details, @Source, @Now, 1)
            """;
        public const string Reschedule = """
            UPDATE workflow_step SET attempts = attempts + 1, due_at = @DueAt, enqueued_at = NULL WHERE id = @Id AND status = 'pending'
            """;
    }
}

/// <summary>The registry slice's entry for other slices: queue the checks a dossier needs, in the caller's transaction.</summary>
public static class RegistryChecks
{
    /// <summary>
    /// Registry checks run beside the ward's work, never in its way (see <see cref="CheckRegistryHandler"/>): the population
    /// registry always, the poverty list when the filing claims a household status. A registry whose gateway is switched
    /// off gets its "disabled" answer at once: a workflow step would only write the same row later.
    /// </summary>
    public static async Task QueueAsync(DbWrite tx, Guid dossierId, bool claimsPoverty, RegistryOptions options, DateTimeOffset now)
    {
        foreach (var registry in claimsPoverty ? new[] { RegistryNames.Population, RegistryNames.Poverty } : [RegistryNames.Population])
        {
            if (RegistryGateway.WhenSwitchedOff(options, registry) is { } off)
            {
                await tx.ExecuteAsync(CheckRegistryHandler.Sql.Insert, new { DossierId = dossierId, Registry = registry, off.Result, off.Details, off.Source, Now = now });
                continue;
            }
            await tx.ExecuteAsync(WorkflowSql.InsertStep,
                new { Id = Guid.CreateVersion7(), DossierId = dossierId, Kind = WorkflowSteps.Registry + registry, Now = now, DueAt = (DateTimeOffset?)null });
        }
    }
}
