using Mediator;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Eligibility;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Payments;

/// <summary>Ward staff (or a provincial officer) (re)generate a ward's Draft list for a month now.</summary>
public sealed record GenerateWardPaymentList(string WardCode, string Month, Caller Caller) : ICommand<PaymentListResponse>, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (WardCode is not { Length: 5 } || !WardCode.All(char.IsAsciiDigit)) yield return new("wardCode", "Mã xã/phường gồm 5 chữ số.");
        foreach (var e in PaymentLists.ValidateMonth(Month)) yield return e;
    }
}

/// <summary>
/// Builds the ward's Draft for the month (<see cref="PaymentListGenerator"/>): up to next month (a list for a later month
/// would pay months not yet begun, 422); an Approved list never changes (409). Another ward's staff: 403.
/// </summary>
public sealed class GenerateWardPaymentListHandler(Db db, PaymentListGenerator generator, TimeProvider clock)
    : ICommandHandler<GenerateWardPaymentList, PaymentListResponse>
{
    public async ValueTask<PaymentListResponse> Handle(GenerateWardPaymentList cmd, CancellationToken ct)
    {
        var c = cmd.Caller;
        if (!(c.Role is Roles.ProvincialOfficer || (c.IsWardStaff && c.WardCode == cmd.WardCode)))
            throw ProblemException.Forbidden("Cán bộ xã/phường chỉ lập danh sách chi trả của đơn vị mình; cán bộ cấp tỉnh lập cho mọi xã/phường.");
        var month = Months.Parse(cmd.Month)!.Value;
        var next = Months.First(Appointment.DateInVietnam(clock.GetUtcNow())).AddMonths(1);
        if (month > next)
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "payment-list-too-early", "Chưa thể lập danh sách của tháng này",
                $"Danh sách chi trả được lập cho tháng sau ({Months.Format(next)}) hoặc các tháng trước đó.");
        var result = await generator.GenerateAsync(cmd.WardCode, month, new Dictionary<string, BenefitRules>(StringComparer.Ordinal), ct,
            keepEmpty: true);
        if (result.Outcome == GenerationOutcome.Approved)
            throw ProblemException.Conflict("payment-list-approved", "Danh sách chi trả đã được phê duyệt",
                $"Danh sách tháng {cmd.Month} của xã/phường {cmd.WardCode} đã được Chủ tịch phê duyệt và không thay đổi nữa; các điều chỉnh đưa vào danh sách tháng sau.");
        return (await db.SingleOrDefaultAsync<PaymentListRow>(PaymentLists.Sql.One, new { Id = result.ListId }, ct))!.ToResponse();
    }
}
