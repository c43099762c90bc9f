using System.Data.Common;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Problems;
using OneStopWindow.Domain.Entitlements;

namespace OneStopWindow.Api.Features.Entitlements.PaymentMethods;

/// <summary>Who changes a payment method, and through which of the owner's entitlements (staff) — for the audit row.</summary>
public sealed record PaymentMethodActor(Caller Caller, string Channel, Guid? Through)
{
    /// <summary>A citizen is recorded as "beneficiary": a citizen token's subject may be their identity number.</summary>
    public string Id => Channel == PaymentMethodStore.CitizenChannel ? "beneficiary" : Caller.Id;

    public string? Unit => Channel == PaymentMethodStore.CitizenChannel ? null : Caller.IsProvincial ? "tỉnh Phú Thọ" : Caller.WardCode;
}

/// <summary>
/// The one path of a payment-method change, by staff or by the beneficiary: If-Match against the method's version (412
/// when stale), the home-delivery rule (<see cref="PaymentMethodRules.GroundsProven"/> over the register's own data),
/// the numbers sealed, the audit row (methods before and after, never a number) and the beneficiary's notification on
/// the dossier behind their latest benefit — all in one transaction.
/// </summary>
public sealed class PaymentMethodWriter(Db db, PersonalData personalData, PaymentMethodViews views, IFamilyNotices notices, TimeProvider clock)
{
    /// <param name="entitlements">Every entitlement of the owner: the open ones prove the home-delivery grounds, the latest with a dossier is notified.</param>
    public async Task SetAsync(PaymentOwner owner, IReadOnlyList<EntitlementRow> entitlements, PaymentMethodActor actor, string? ifMatch,
        PaymentMethodChoice choice, CancellationToken ct)
    {
        var expected = Infrastructure.Http.IfMatch.Version(ifMatch);
        if (choice.Method == PaymentMethodRules.HomeDelivery)
        {
            var proven = await views.GroundsAsync(entitlements, ct);
            if (!proven.Contains(choice.Body.HomeDeliveryGround!)) throw NotEligible(choice.Body.HomeDeliveryGround!);
        }
        var dossier = entitlements.Where(e => e.DossierId is not null).OrderByDescending(e => e.CreatedAt).Select(e => e.DossierId).FirstOrDefault();
        var notified = false;
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var now = clock.GetUtcNow();
            var existing = await PaymentMethodStore.LoadAsync(tx, owner);
            if (expected is { } v && v != (existing?.Version ?? 0)) throw Stale();
            var b = choice.Body;
            var args = new
            {
                Id = existing?.Id ?? Guid.CreateVersion7(),
                owner.PersonIdHash,
                owner.EntitlementId,
                choice.Method,
                BankCode = Clean(b.BankCode),
                BankName = Clean(b.BankName),
                AccountHolder = Clean(b.AccountHolder),
                AccountNumber = choice.AccountDigits is { } digits ? personalData.Seal(digits).Stored : null,
                WalletProvider = Clean(b.WalletProvider),
                WalletNumber = choice.WalletE164 is { } e164 ? personalData.Seal(e164).Stored : null,
                NumberLast4 = choice.Number is { } number ? PaymentMethodRules.LastFour(number) : null,
                PostOfficePoint = Clean(b.PostOfficePoint),
                DeliveryAddress = Clean(b.DeliveryAddress),
                DeliveryGround = choice.Method == PaymentMethodRules.HomeDelivery ? b.HomeDeliveryGround : null,
                Version = existing?.Version ?? 0,
                Now = now,
            };
            if (existing is null)
            {
                try { await tx.ExecuteAsync(Sql.Insert, args); }
                catch (DbException e) when (DbErrors.IsUniqueViolation(e)) { throw Stale(); }   // recorded meanwhile by someone else
            }
            else if (await tx.ExecuteAsync(Sql.Update, args) == 0) throw Stale();

            if (dossier is { } dossierId)
                notified = await notices.PaymentMethodChangedAsync(tx, dossierId, choice.Method, args.NumberLast4,
                    actor.Channel == PaymentMethodStore.StaffChannel, now);
            await tx.ExecuteAsync(Sql.InsertChange, new
            {
                Id = Guid.CreateVersion7(),
                MethodId = args.Id,
                Version = args.Version + 1,
                Old = existing?.Method,
                New = choice.Method,
                actor.Channel,
                Actor = actor.Id,
                Role = actor.Caller.Role,
                actor.Unit,
                Entitlement = actor.Through,
                Notified = notified,
                Now = now,
            });
            await tx.CommitAsync();
        }
        if (notified) notices.Queued();
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static ProblemException Stale() => new(StatusCodes.Status412PreconditionFailed, "payment-method-changed",
        "Phương thức nhận trợ cấp vừa được cập nhật", "Phiên bản gửi kèm (If-Match) đã cũ. Vui lòng tải lại rồi thực hiện lại.");

    private static ProblemException NotEligible(string ground)
    {
        var g = PaymentMethodRules.Ground(ground)!;
        return new(StatusCodes.Status422UnprocessableEntity, "home-delivery-not-eligible", "Không đủ điều kiện chi trả tại nhà",
            $"Chi trả tại nhà dành cho người cao tuổi (từ đủ {PaymentMethodRules.ElderlyAge} tuổi) và người khuyết tật nặng, đặc biệt nặng không tự " +
            $"đến điểm chi trả được; hồ sơ hưởng trợ cấp hiện không cho thấy người hưởng là {g.Label}. Vui lòng chọn phương thức khác hoặc liên hệ UBND xã/phường.",
            new Dictionary<string, string[]>
            {
                ["homeDeliveryGround"] = [$"Hồ sơ hưởng trợ cấp không cho thấy người hưởng là {g.Label}."],
                ["rule"] = ["home-delivery-not-eligible"],
                ["source"] = [g.Source.LegalText],
            });
    }

    internal static class Sql
    {
        public const string Insert = """
            INSERT INTO payment_method (id, person_id_hash, entitlement_id, method, bank_code, bank_name, account_holder, account_number, wallet_provider,
                wallet_number, number_last4, post_office_point, delivery_address, delivery_ground, version, created_at, updated_at)
            VALUES (@Id, @PersonIdHash, @EntitlementId, @Method, @BankCode, @BankName, @AccountHolder, @AccountNumber, @WalletProvider,
                @WalletNumber, @NumberLast4, @PostOfficePoint, @DeliveryAddress, @DeliveryGround, 1, @Now, @Now)
            """;
        public const string Update = """
            UPDATE payment_method SET method = @Method, bank_code = @BankCode, bank_name = @BankName, account_holder = @AccountHolder,
                account_number = @AccountNumber, wallet_provider = @WalletProvider, wallet_number = @WalletNumber, number_last4 = @NumberLast4,
                post_office_point = @PostOfficePoint, delivery_address = @DeliveryAddress, delivery_ground = @DeliveryGround,
                version = version + 1, updated_at = @Now
            WHERE id = @Id AND version = @Version
            """;
        public const string InsertChange = """
            INSERT INTO payment_method_change (id, payment_method_id, version, old_method, new_method, channel, actor, actor_role, actor_unit,
                entitlement_id, notified, changed_at)
            VALUES (@Id, @MethodId, @Version, @Old, @New, @Channel, @Actor, @Role, @Unit, @Entitlement, @Notified, @Now)
            """;
    }
}
