using System.Text.Json;
using Mediator;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Dossiers.Submit;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Calendar;
using OneStopWindow.Domain.Dossiers;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <param name="Note">What the citizen supplies (documents are uploaded separately to /documents).</param>
/// <param name="FormFields">Corrected procedure fields, replacing the previous ones; must satisfy the procedure's schema.</param>
public sealed record SubmitSupplementRequest(string? Note, JsonElement? FormFields);

/// <summary>The applicant supplies what was requested; the clock resumes with the days that were left.</summary>
public sealed record SubmitSupplement(string Code, Caller Caller, string? TrackingSecret, string? IfMatch, bool English, SubmitSupplementRequest Body)
    : ICommand<DossierResponse>, IDossierCommand, IValidatable
{
    public IEnumerable<FieldError> Validate()
    {
        if (Body.Note?.Length > 2000) yield return new("note", "Ghi chú tối đa 2000 ký tự.");
        if (Body.FormFields is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Undefined and not JsonValueKind.Null })
            yield return new("formFields", "Thông tin thủ tục phải là một đối tượng JSON.");
    }
}

public sealed class SubmitSupplementHandler(DossierActionRunner runner, FormSchemas schemas, PersonalData personalData, OfficeHours hours) : ICommandHandler<SubmitSupplement, DossierResponse>
{
    public async ValueTask<DossierResponse> Handle(SubmitSupplement cmd, CancellationToken ct) =>
        await runner.RunAsync(cmd, DossierAction.SubmitSupplement, async c =>
        {
            var formData = c.Row.FormData;
            var beneficiary = new BeneficiaryColumns(c.Row.BeneficiaryIdHash, c.Row.BeneficiaryAdult, c.Row.BeneficiaryIsOther);
            if (cmd.Body.FormFields is { ValueKind: JsonValueKind.Object } form)
            {
                var errors = schemas.Validate(await ProcedureDefinition.LoadAsync(c.Tx, c.Row.ProcedureCode), form);
                if (errors.Count > 0) throw ProblemException.Validation(errors);
                formData = personalData.Seal(form.GetRawText());
                // A corrected form may name another beneficiary: who the dossier is for follows it.
                beneficiary = BeneficiaryColumns.Of(form, c.Row.ApplicantBirthDate, c.Today, personalData);
            }
            var appointment = Supplement.AppointmentOnResume(c.Now, c.Row.RemainingWorkingDays ?? 0, c.Calendar, hours);
            return new ActionPlan("SupplementReceived", $"Đã bổ sung. {cmd.Body.Note} Hẹn trả kết quả mới: {Templates.Date(appointment)}.".Trim())
            {
                UpdateSql = Sql.ResumeClock,
                UpdateArgs = new
                {
                    Appointment = appointment,
                    CalendarVersion = c.Calendar.Version,
                    FormData = formData,
                    beneficiary.BeneficiaryIdHash,
                    beneficiary.BeneficiaryAdult,
                    beneficiary.BeneficiaryIsOther,
                },
            };
        }, ct);

    internal static class Sql
    {
        public const string ResumeClock = """
            UPDATE dossier SET status = @Status, clock_paused_at = NULL, remaining_working_days = NULL, appointment_date = @Appointment,
                calendar_version = @CalendarVersion, form_data = @FormData, beneficiary_id_hash = @BeneficiaryIdHash, beneficiary_adult = @BeneficiaryAdult,
                beneficiary_is_other = @BeneficiaryIsOther, at_risk_at = NULL, version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
    }
}
