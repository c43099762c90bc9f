using System.Globalization;
using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;
using OneStopWindow.Domain.Payments;
using OneStopWindow.Domain.Transitions;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="Note">What the officer checked (staff-only, at most 1000 characters); goes into the history row with the registry's finding.</param>
/// <param name="DateOfDeath">Death proposals: the date from the death certificate extract when it differs from the registry's ("yyyy-MM-dd"); default the registry's.</param>
public sealed record ConfirmEntitlementProposalRequest(string? Note, string? DateOfDeath);

/// <summary>The proposal, now confirmed, and the entitlement as the confirming report left it.</summary>
public sealed record ConfirmEntitlementProposalResponse(EntitlementProposalResponse Proposal, EntitlementResponse Entitlement);

public sealed record ConfirmEntitlementProposal(Guid Id, Caller Caller, ConfirmEntitlementProposalRequest Body)
    : ICommand<ConfirmEntitlementProposalResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Body.Note?.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
        if (Body.DateOfDeath is not null && !DateOnly.TryParseExact(Body.DateOfDeath, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            yield return new("dateOfDeath", "Ngày mất theo dạng yyyy-MM-dd.");
    }
}

/// <summary>
/// Confirming runs the report the finding stands for — <see cref="ReportDeath"/> for a death, <see cref="ReportMove"/> for a
/// move, <see cref="SuspendEntitlement"/> (reason <c>other</c>) for three months unclaimed — through the same handler, validation and transition table as a report made at the ward, so the entitlement
/// ends (month of death, funeral support offered) or is suspended (<c>moved</c>) exactly as then; the report closes the
/// proposal in its own transaction. 404 for a proposal the caller may not see; 403 for a role the report's table row does
/// not list (before any 409); 409 when the proposal is no longer open or the entitlement no longer Active.
/// </summary>
public sealed class ConfirmEntitlementProposalHandler(Infrastructure.Data.Db db, IMediator mediator, TimeProvider clock)
    : ICommandHandler<ConfirmEntitlementProposal, ConfirmEntitlementProposalResponse>
{
    public async ValueTask<ConfirmEntitlementProposalResponse> Handle(ConfirmEntitlementProposal cmd, CancellationToken ct)
    {
        var p = await EntitlementProposals.LoadAsync(db, cmd.Id, ct);
        if (p is null || !EntitlementProposals.Sees(cmd.Caller, p)) throw EntitlementProposals.NotFound(cmd.Id);
        var change = RegistryFindings.Change(p.Kind);
        if (EntitlementTransitions.Check(change.Confirmation, EntitlementStatus.Active, cmd.Caller.Role, clock.GetUtcNow()) == TransitionVerdict.RoleForbidden)
            throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-action", "Không có quyền thực hiện thao tác này",
                $"Vai trò '{cmd.Caller.Role}' không được xác nhận đề xuất này. {EntitlementRules.For(change.Confirmation).Rule}");
        if (p.Status != ProposalStatuses.Open) throw EntitlementProposals.NotOpen(p);
        // A death is confirmed from an Active or a Suspended entitlement (the table's ReportDeath rows); a move only from an Active one.
        if (p.EntitlementStatus != nameof(EntitlementStatus.Active)
            && !(p.Kind == RegistryFindings.Death && p.EntitlementStatus == nameof(EntitlementStatus.Suspended)))
            throw ProblemException.Conflict("entitlement-not-active", "Khoản hưởng không còn đang chi trả",
                $"Khoản hưởng đang ở trạng thái {p.EntitlementStatus}: đề xuất chỉ còn có thể bỏ qua.");

        var details = ProposalDetails.Parse(p.Details);
        var found = $"Theo đối chiếu {p.Source} ngày {Domain.Calendar.Appointment.DateInVietnam(p.ProposedAt).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}; cán bộ đã xác nhận."
                    + (string.IsNullOrWhiteSpace(cmd.Body.Note) ? "" : " " + cmd.Body.Note.Trim());
        if (found.Length > 1000) found = found[..1000];   // the report's own limit; the officer's whole note stays on the proposal
        var confirms = new ProposalConfirmation(p.Id, cmd.Body.Note?.Trim());
        var entitlement = p.Kind switch
        {
            RegistryFindings.Death =>
                await mediator.Send(new ReportDeath(p.EntitlementId, cmd.Caller, null, new ReportDeathRequest(cmd.Body.DateOfDeath ?? details.DateOfDeath, found), confirms), ct),
            // Three months unclaimed (issue 19): held with reason `other`, owed — the staff's check decides what comes next.
            UnclaimedPayments.ProposalKind =>
                await mediator.Send(new SuspendEntitlement(p.EntitlementId, cmd.Caller, null, new SuspendEntitlementRequest("other", found), confirms), ct),
            _ => await mediator.Send(new ReportMove(p.EntitlementId, cmd.Caller, null, new ReportMoveRequest(Residence(details), found), confirms), ct),
        };
        var after = await EntitlementProposals.LoadAsync(db, p.Id, ct);
        return new(EntitlementProposals.ToResponse(after!), entitlement);
    }

    private static string Residence(ProposalDetails d) =>
        $"xã/phường mã {d.WardCode}" + (d.Since is { } since ? $", cư trú từ {since}" : "") + " (theo Cơ sở dữ liệu quốc gia về dân cư)";
}
