using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Reason">Why the result will be late, in words the applicant understands (it is sent to them, also by SMS and e-mail).</param>
/// <param name="NewAppointmentDate">The one new appointment date (yyyy-MM-dd): a working day after the current one.</param>
public sealed record DelayNoticeRequest(string? Reason, DateOnly? NewAppointmentDate);

/// <summary>
/// Record the delay notice (Form 04): the apology to the applicant with the reason and the one new date, no later than one
/// working day before the appointment (Decree 61/2018, carried into Decree 118/2025; DOMAIN.md §1.7, §10 item 4).
/// </summary>
public sealed record RecordDelayNotice(string Code, Caller Caller, string? IfMatch, bool English, DelayNoticeRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public const int MaxReasonLength = 1000;

    public string? TrackingSecret => null;

    public IEnumerable<FieldError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Body.Reason) || Body.Reason.Length > MaxReasonLength)
            yield return new("reason", $"Ghi lý do chậm trả kết quả (tối đa {MaxReasonLength} ký tự).");
        if (Body.NewAppointmentDate is null) yield return new("newAppointmentDate", "Ghi ngày hẹn trả kết quả mới (yyyy-MM-dd).");
    }
}

public sealed class RecordDelayNoticeHandler(DossierActionRunner runner) : ICommandHandler<RecordDelayNotice, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(RecordDelayNotice cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.RecordDelayNotice, c =>
        {
            var appointment = c.Row.AppointmentDate;
            switch (DelayNotice.MayRecord(c.Row.Rescheduled, c.Row.OverdueSince is not null, appointment, c.Today, c.Calendar))
            {
                case DelayNotice.Verdict.AlreadyGiven:
                    throw ProblemException.Conflict("delay-notice-already-given", "Đã hẹn lại ngày trả kết quả một lần",
                        $"Ngày hẹn mới chỉ được đặt một lần; hồ sơ đã được hẹn lại đến ngày {Templates.Date(appointment)}.");
                case DelayNotice.Verdict.TooLate:
                    throw ProblemException.Conflict("delay-notice-too-late", "Đã quá thời hạn gửi phiếu xin lỗi và hẹn lại",
                        $"Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04) phải gửi chậm nhất một ngày làm việc trước ngày hẹn "
                        + $"{Templates.Date(appointment)}, tức ngày {Templates.Date(DelayNotice.LastDay(appointment, c.Calendar))}. "
                        + "Hồ sơ quá hạn được chuyển cán bộ cấp tỉnh theo dõi, đôn đốc.");
            }
            var newDate = cmd.Body.NewAppointmentDate!.Value;
            if (DelayNotice.NewDateProblem(appointment, newDate, c.Calendar) is { } problem)
                throw ProblemException.Validation([new("newAppointmentDate", problem)]);

            var reason = cmd.Body.Reason!.Trim();
            var note = $"Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04). Lý do: {reason.TrimEnd('.')}. "
                       + $"Ngày hẹn cũ {Templates.Date(appointment)}, ngày hẹn mới {Templates.Date(newDate)}.";
            return Task.FromResult(new ActionPlan("DelayNoticeIssued", note)
            {
                UpdateSql = Sql.Record,
                UpdateArgs = new { NewDate = newDate, Reason = reason, CalendarVersion = c.Calendar.Version },
                Notify = ["delay-notice"],
                NotifyValues = new Dictionary<string, string>
                {
                    ["reason"] = reason.TrimEnd('.'),
                    ["appointment"] = Templates.Date(appointment),
                    ["newDate"] = Templates.Date(newDate),
                },
                PaperFacts = new() { Reason = reason, OldAppointment = appointment, Appointment = newDate, ActorRole = c.Role },
            });
        }, ct);

    internal static class Sql
    {
        // The warning is given again before the new date (at_risk_at cleared); the one new date is now set (rescheduled), checked on this calendar version.
        public const string Record = """
            UPDATE dossier SET status = @Status, original_appointment_date = appointment_date, appointment_date = @NewDate,
                delay_new_date = @NewDate, calendar_version = @CalendarVersion, rescheduled = 1, delay_noticed_at = @Now, delay_reason = @Reason, at_risk_at = NULL,
                version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
