using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Infrastructure.Data;

namespace OneStopWindow.Api.Features.Notifications;

/// <summary>The register's notices to a beneficiary's family, queued on the dossier's notification outbox.</summary>
public sealed class FamilyNotices(NotificationQueue notifications, WorkflowSignal workflow) : IFamilyNotices
{
    public async Task<bool> OfferFuneralSupportAsync(DbWrite tx, Guid dossierId, string lastMonth, DateTimeOffset now)
    {
        var target = await tx.SingleOrDefaultAsync<TargetRow>(Sql.Target, new { Id = dossierId });
        if (target is null) return false;
        await notifications.QueueAsync(tx, new NotificationTarget(dossierId, target.Code, target.Language, target.ApplicantEmail is not null),
            "funeral-support-offered", now, new Dictionary<string, string> { ["lastMonth"] = lastMonth });
        return true;
    }

    public async Task<bool> AmountChangesAsync(DbWrite tx, Guid dossierId, string month, decimal amountVnd, DateTimeOffset now)
    {
        var target = await tx.SingleOrDefaultAsync<TargetRow>(Sql.Target, new { Id = dossierId });
        if (target is null) return false;
        await notifications.QueueAsync(tx, new NotificationTarget(dossierId, target.Code, target.Language, target.ApplicantEmail is not null),
            "amount-changed", now, new Dictionary<string, string>
            {
                ["month"] = month,
                ["amount"] = amountVnd.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture).Replace(',', '.'),
            });
        return true;
    }

    public async Task<bool> PaymentMethodChangedAsync(DbWrite tx, Guid dossierId, string method, string? lastFour, bool byStaff, DateTimeOffset now)
    {
        var target = await tx.SingleOrDefaultAsync<TargetRow>(Sql.Target, new { Id = dossierId });
        if (target is null) return false;
        var masked = lastFour is null ? "" : " ••••" + lastFour;
        await notifications.QueueAsync(tx, new NotificationTarget(dossierId, target.Code, target.Language, target.ApplicantEmail is not null),
            "payment-method-changed", now, new Dictionary<string, string>
            {
                ["method"] = (Domain.Entitlements.PaymentMethodRules.Find(method)?.Label ?? method) + masked,
                ["methodEn"] = method switch
                {
                    Domain.Entitlements.PaymentMethodRules.BankAccount => "bank account",
                    Domain.Entitlements.PaymentMethodRules.EWallet => "e-wallet",
                    Domain.Entitlements.PaymentMethodRules.PostOfficeCash => "cash at a post-office payment point",
                    _ => "cash delivered at home",
                } + masked,
                ["date"] = Templates.Date(Domain.Calendar.Appointment.DateInVietnam(now)),
                ["by"] = byStaff ? "do cán bộ cập nhật" : "từ tài khoản định danh của ông/bà",
                ["byEn"] = byStaff ? "recorded by staff" : "from your own signed-in account",
            });
        return true;
    }

    public void Queued() => workflow.StepsWritten();

    private sealed record TargetRow(string Code, string Language, string? ApplicantEmail);

    internal static class Sql
    {
        public const string Target = "SELECT code, language, applicant_email FROM dossier WHERE id = @Id";
    }
}
