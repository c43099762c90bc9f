using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="WardCode">The current ward that will handle the dossier.</param>
/// <param name="Note">How the residence was settled.</param>
public sealed record AssignWardRequest(string? WardCode, string? Note);

/// <summary>The province settles the residence of a dossier awaiting re-verification and assigns its ward.</summary>
public sealed record AssignWard(string Code, Caller Caller, string? IfMatch, bool English, AssignWardRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (Body.WardCode is not { Length: 5 } w || !w.All(char.IsAsciiDigit)) yield return new("wardCode", "Mã xã/phường gồm 5 chữ số.");
        if (string.IsNullOrWhiteSpace(Body.Note) || Body.Note.Length > 1000) yield return new("note", "Ghi rõ căn cứ xác định địa bàn (tối đa 1000 ký tự).");
    }
}

public sealed class AssignWardHandler(DossierActionRunner runner) : ICommandHandler<AssignWard, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(AssignWard cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.AssignWard, async c =>
        {
            var exists = await c.Tx.ScalarAsync<long>(Sql.PhuThoWard, new { Code = cmd.Body.WardCode });
            if (exists == 0) throw ProblemException.Validation([new("wardCode", $"Mã {cmd.Body.WardCode} không phải xã/phường hiện hành của tỉnh Phú Thọ.")]);
            return new ActionPlan("WardAssigned", $"Tỉnh xác định địa bàn: {cmd.Body.WardCode}. {cmd.Body.Note}")
            {
                UpdateSql = Sql.AssignWard,
                UpdateArgs = new { Ward = cmd.Body.WardCode, Queue = "ward:" + cmd.Body.WardCode },
                Notify = ["received"],
                NotifyValues = new Dictionary<string, string> { ["ward"] = cmd.Body.WardCode!, ["appointment"] = Templates.Date(c.Row.AppointmentDate) },
            };
        }, ct);

    internal static class Sql
    {
        public const string PhuThoWard = """
            SELECT COUNT(*) FROM admin_unit WHERE era = 'current' AND code = @Code AND province_code = '25' AND unit_type IN ('ward', 'commune')
            """;
        public static readonly string AssignWard = $"""
            UPDATE dossier SET status = @Status, handling_ward_code = @Ward, queue_name = @Queue,
                need_score = {Priority.NeedSqlFor("@Ward", "vulnerable")}, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
