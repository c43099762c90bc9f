using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Entitlements;

/// <param name="Note">Why the finding does not hold (staff-only, required, at most 1000 characters), e.g. the person came to the ward in person.</param>
public sealed record DismissEntitlementProposalRequest(string? Note);

public sealed record DismissEntitlementProposal(Guid Id, Caller Caller, DismissEntitlementProposalRequest Body)
    : ICommand<EntitlementProposalResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.Note)) yield return new("note", "Ghi rõ lý do bỏ qua đề xuất (ví dụ: người hưởng đã đến trực tiếp UBND xã).");
        else if (Body.Note.Length > 1000) yield return new("note", "Ghi chú tối đa 1000 ký tự.");
    }
}

/// <summary>
/// Ward staff of the entitlement's ward dismiss a finding they do not confirm; the entitlement is untouched. The check
/// will not propose the same finding again (a changed date or ward is proposed anew). 404 for a proposal the caller may
/// not see; 403 for provincial officers (the ward decides on its register); 409 when it is no longer open.
/// </summary>
public sealed class DismissEntitlementProposalHandler(Db db, TimeProvider clock) : ICommandHandler<DismissEntitlementProposal, EntitlementProposalResponse>
{
    public async ValueTask<EntitlementProposalResponse> Handle(DismissEntitlementProposal cmd, CancellationToken ct)
    {
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var p = await tx.SingleOrDefaultAsync<EntitlementProposals.Row>(EntitlementProposals.Sql.One, new { cmd.Id });
            if (p is null || !EntitlementProposals.Sees(cmd.Caller, p)) throw EntitlementProposals.NotFound(cmd.Id);
            if (!cmd.Caller.IsWardStaff)
                throw new ProblemException(StatusCodes.Status403Forbidden, "forbidden-action", "Không có quyền thực hiện thao tác này",
                    "Cán bộ xã/phường nơi chi trả xác nhận hoặc bỏ qua đề xuất.");
            if (p.Status != ProposalStatuses.Open) throw EntitlementProposals.NotOpen(p);
            // Decided by someone else since it was read (SQL Server, READ COMMITTED): theirs stands.
            if (await tx.ExecuteAsync(EntitlementProposals.Sql.Decide, new
            {
                p.Id,
                p.EntitlementId,
                Status = ProposalStatuses.Dismissed,
                By = cmd.Caller.Id,
                Now = clock.GetUtcNow(),
                Note = cmd.Body.Note!.Trim(),
                Open = ProposalStatuses.Open,
            }) == 0) throw EntitlementProposals.NotOpen(p);
            await tx.CommitAsync();
        }
        return EntitlementProposals.ToResponse((await EntitlementProposals.LoadAsync(db, cmd.Id, ct))!);
    }
}
