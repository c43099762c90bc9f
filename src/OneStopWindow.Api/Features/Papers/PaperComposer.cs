using System.Globalization;
using System.Text.Json;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Domain.Dossiers;
using OneStopWindow.Domain.Papers;

namespace OneStopWindow.Api.Features.Papers;

/// <summary>A unit as a paper names it: "Hòa Bình", "Phường Hòa Bình" (the province: "Phú Thọ", "Tỉnh Phú Thọ").</summary>
public sealed record PaperUnit
{
    public PaperUnit() { }

    public PaperUnit(string code, string name, string fullName) => (Code, Name, FullName) = (code, name, fullName);

    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string FullName { get; init; } = "";
    public bool IsProvince => Code.Length == 2;
}

/// <summary>One line of the processing-control sheet: a timeline event by kind, role and time (no officer's identity).</summary>
public sealed record PaperStep
{
    public string Kind { get; init; } = "";
    public string Role { get; init; } = "";
    public DateTimeOffset At { get; init; }
}

/// <summary>Everything a paper prints, read after the event's commit (the dossier) or captured at it (the facts).</summary>
public sealed record PaperSource(Guid PaperId, PaperDefinition Definition, DateTimeOffset IssuedAt, PaperFacts Facts, DossierRow Dossier,
    string ProcedureName, IReadOnlyDictionary<string, string> DocumentNames, PaperUnit Issuer, PaperUnit? Residence, IReadOnlyList<PaperStep> Steps)
{
    /// <summary>The code of the paper's public verification address (its QR), or null: papers issued before it existed print none.</summary>
    public string? VerifyCode { get; init; }
}

/// <summary>
/// What each paper says (Circular 01/2018/TT-VPCP Forms 01-05 and the chair's decision), as a <see cref="PaperDocument"/>.
/// The applicant's phone is printed masked and their identity number never; under the signatures, the QR code of the
/// paper's verification address and the signer's name.
/// </summary>
public static class PaperComposer
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    /// <param name="publicBaseUrl">The installation's public address, which the QR code opens (with <see cref="PaperVerifyCodes.Path"/>).</param>
    /// <param name="signedBy">The signing certificate's name, printed beside the QR; null for an unsigned rendering.</param>
    public static PaperDocument Compose(PaperSource s, string? publicBaseUrl = null, string? signedBy = null) => Layout(s) with
    {
        Verification = s.VerifyCode is { } code && publicBaseUrl is not null ? new(VerifyUrl(publicBaseUrl, code), signedBy) : null,
    };

    public static string VerifyUrl(string publicBaseUrl, string code) => publicBaseUrl.TrimEnd('/') + PaperVerifyCodes.Path + code;

    private static PaperDocument Layout(PaperSource s) => s.Definition.Kind switch
    {
        PaperKind.Receipt => Receipt(s),
        PaperKind.SupplementRequest => SupplementRequest(s),
        PaperKind.Refusal => Refusal(s),
        PaperKind.Apology => Apology(s),
        PaperKind.ControlSheet => ControlSheet(s),
        PaperKind.Decision => Decision(s),
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Definition.Kind, "no layout for this paper"),
    };

    private static PaperDocument OneStop(PaperSource s, IReadOnlyList<PaperBlock> blocks, IReadOnlyList<PaperSigner> signers) => new(
        s.PaperId, s.IssuedAt, s.Definition.A4,
        s.Issuer.IsProvince ? "UBND " + Upper(s.Issuer.FullName) : "UBND " + Upper(s.Issuer.FullName),
        s.Issuer.IsProvince ? "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" : "BỘ PHẬN MỘT CỬA",
        null, s.Issuer.Name, "Mẫu số " + s.Definition.Form, s.Definition.Title, "Mã hồ sơ: " + s.Dossier.Code, blocks, signers, Footer(s))
    {
        MetadataTitle = $"{s.Definition.Title} - {s.Dossier.Code}",
    };

    private static string Footer(PaperSource s) =>
        $"Hồ sơ {s.Dossier.Code} · {(s.Definition.Form is { } f ? "Mẫu số " + f + " · " : "")}Mã giấy {s.PaperId:N}";

    private static PaperDocument Receipt(PaperSource s)
    {
        var d = s.Dossier;
        var f = s.Facts;
        var received = Local(d.ReceivedAt);
        var documents = f.Items.Select(c => s.DocumentNames.GetValueOrDefault(c, c)).ToList();
        var blocks = new List<PaperBlock>
        {
            new PaperParagraph($"{Unit(s)} tiếp nhận hồ sơ của:"),
            new PaperField("Ông/Bà", d.ApplicantName, Strong: true),
            new PaperField("Số điện thoại", MaskPhone(d.ApplicantPhone)),
            new PaperField("Địa chỉ", Address(s)),
            new PaperField("Nội dung yêu cầu giải quyết", s.ProcedureName),
            new PaperField("Kênh nộp hồ sơ", Channel(d.Channel)),
            new PaperParagraph("Thành phần hồ sơ theo quy định:"),
            documents.Count == 0 ? new PaperParagraph("(Không có giấy tờ phải nộp.)", Italic: true) : new PaperList(documents),
            new PaperField("Số lượng hồ sơ", "01 bộ"),
            new PaperField("Thời gian giải quyết hồ sơ theo quy định", $"{f.ProcessingDays ?? d.ProcessingDays} ngày làm việc"),
            new PaperField("Thời gian nhận hồ sơ", $"{received:HH} giờ {received:mm} phút, ngày {received:dd/MM/yyyy}"),
            new PaperField("Thời gian trả kết quả giải quyết hồ sơ", $"ngày {Date(f.Appointment ?? d.AppointmentDate)}", Strong: true),
            new PaperField("Nhận kết quả tại", $"{Unit(s)}, hoặc trực tuyến theo mã hồ sơ"),
        };
        var online = d.Channel == "online";
        return OneStop(s, blocks, online
            ? [new("BỘ PHẬN TIẾP NHẬN", "(Tiếp nhận trực tuyến)", null)]
            : [new("NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", null), new("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", null)]);
    }

    private static PaperDocument SupplementRequest(PaperSource s)
    {
        var d = s.Dossier;
        var blocks = new List<PaperBlock>
        {
            new PaperParagraph($"Ngày {Date(Local(d.ReceivedAt))}, {Unit(s)} tiếp nhận hồ sơ của:"),
            new PaperField("Ông/Bà", d.ApplicantName, Strong: true),
            new PaperField("Nội dung yêu cầu giải quyết", s.ProcedureName),
            new PaperParagraph("Sau khi xem xét, hồ sơ của Ông/Bà cần bổ sung, hoàn thiện các nội dung sau:"),
            new PaperList(s.Facts.Items),
        };
        if (s.Facts.ProcessingDays is { } remaining)
            blocks.Add(new PaperParagraph($"Thời hạn giải quyết tạm dừng từ ngày {Date(Local(s.IssuedAt))}; còn {remaining} ngày làm việc kể từ khi nhận đủ hồ sơ bổ sung."));
        blocks.Add(new PaperParagraph("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ Bộ phận một cửa để được hướng dẫn."));
        blocks.Add(new PaperParagraph("Xin trân trọng cảm ơn!", Italic: true));
        return OneStop(s, blocks, [new("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", null)]);
    }

    private static PaperDocument Refusal(PaperSource s)
    {
        var d = s.Dossier;
        var blocks = new List<PaperBlock>
        {
            new PaperParagraph($"{Unit(s)} tiếp nhận hồ sơ của:"),
            new PaperField("Ông/Bà", d.ApplicantName, Strong: true),
            new PaperField("Nội dung yêu cầu giải quyết", s.ProcedureName),
            new PaperParagraph("Qua xem xét, Bộ phận một cửa từ chối tiếp nhận, giải quyết hồ sơ này."),
            new PaperField("Lý do", s.Facts.Reason ?? "", Strong: true),
            new PaperParagraph(s.Facts.Explanation ?? ""),
            new PaperParagraph("Xin thông báo để Ông/Bà được biết và thực hiện./."),
        };
        return OneStop(s, blocks, [new("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", null)]);
    }

    private static PaperDocument Apology(PaperSource s)
    {
        var d = s.Dossier;
        var f = s.Facts;
        var blocks = new List<PaperBlock>
        {
            new PaperParagraph($"Ngày {Date(Local(d.ReceivedAt))}, {Unit(s)} tiếp nhận hồ sơ của:"),
            new PaperField("Ông/Bà", d.ApplicantName, Strong: true),
            new PaperField("Nội dung yêu cầu giải quyết", s.ProcedureName),
            new PaperField("Thời gian hẹn trả kết quả", $"ngày {Date(f.OldAppointment ?? d.AppointmentDate)}"),
            new PaperParagraph($"Hồ sơ của Ông/Bà không thể giải quyết đúng hẹn. Lý do: {f.Reason?.TrimEnd('.')}."),
            new PaperParagraph("Sự chậm trễ này gây phiền hà cho Ông/Bà. Chúng tôi thành thật xin lỗi và hẹn lại thời gian trả kết quả:"),
            new PaperField("Ngày hẹn trả kết quả mới", $"ngày {Date(f.Appointment ?? d.AppointmentDate)}", Strong: true),
            new PaperParagraph("Mong nhận được sự thông cảm của Ông/Bà. Xin trân trọng cảm ơn!", Italic: true),
        };
        return OneStop(s, blocks, [new("ĐẠI DIỆN BỘ PHẬN MỘT CỬA", "(Ký và ghi rõ họ tên)", null)]);
    }

    private static PaperDocument ControlSheet(PaperSource s)
    {
        var d = s.Dossier;
        var due = s.Facts.Appointment ?? d.AppointmentDate;
        var rows = s.Steps.Select(e =>
        {
            var at = Local(e.At);
            IReadOnlyList<string> row = [$"{at:HH:mm} {at:dd/MM/yyyy}", StepLabel(e.Kind), RoleLabel(e.Role),
                DateOnly.FromDateTime(at.DateTime) <= due ? "Đúng hạn" : "Quá hạn"];
            return row;
        }).ToList();
        var blocks = new List<PaperBlock>
        {
            new PaperField("Ông/Bà", d.ApplicantName, Strong: true),
            new PaperField("Nội dung yêu cầu giải quyết", s.ProcedureName),
            new PaperField("Ngày nhận hồ sơ", Date(Local(d.ReceivedAt))),
            new PaperField("Ngày hẹn trả kết quả", Date(due)),
            new PaperSpace(4),
            new PaperTable(["Thời gian", "Nội dung công việc", "Người thực hiện", "Kết quả"], [1.5, 2.3, 1.5, 0.9], rows),
        };
        return OneStop(s, blocks, []);
    }

    private static PaperDocument Decision(PaperSource s)
    {
        var d = s.Dossier;
        var f = s.Facts;
        var decision = f.Decision ?? throw new InvalidOperationException($"The decision paper of {d.Code} has no decision.");
        var number = decision.GetProperty("number").GetString()!;
        var ward = Upper(s.Issuer.FullName);
        var blocks = new List<PaperBlock> { new PaperParagraph($"CHỦ TỊCH ỦY BAN NHÂN DÂN {ward}", Bold: true, Centred: true), new PaperSpace(4) };
        blocks.Add(new PaperParagraph("Căn cứ Luật Tổ chức chính quyền địa phương;", Italic: true));
        foreach (var basis in (f.LegalBasis ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            blocks.Add(new PaperParagraph($"Căn cứ {basis};", Italic: true));
        blocks.Add(new PaperParagraph($"Xét hồ sơ số {d.Code} của Ông/Bà {d.ApplicantName} và đề nghị của công chức phụ trách,", Italic: true));
        blocks.Add(new PaperSpace(4));
        blocks.Add(new PaperParagraph("QUYẾT ĐỊNH:", Bold: true, Centred: true));
        blocks.Add(new PaperSpace(2));
        var beneficiary = f.BeneficiaryName ?? d.ApplicantName;
        blocks.Add(new PaperParagraph($"Chấp thuận đề nghị của Ông/Bà {d.ApplicantName} về việc {LowerFirst(s.ProcedureName)}, cụ thể:", Lead: "Điều 1."));
        blocks.Add(new PaperField("Người hưởng", beneficiary, Strong: true));
        blocks.Add(new PaperField("Nơi cư trú", Address(s)));
        blocks.Add(new PaperField("Chế độ", s.ProcedureName));
        if (Decimal(decision, "amountVnd") is { } amount)
        {
            var monthly = decision.TryGetProperty("monthly", out var m) && m.ValueKind == JsonValueKind.True;
            blocks.Add(new PaperField("Mức hưởng", Money(amount) + (monthly ? "/tháng" : ""), Strong: true));
        }
        if (Str(decision, "effectiveMonth") is { } from) blocks.Add(new PaperField("Thời điểm hưởng", "từ tháng " + Month(from), Strong: true));
        if (Str(decision, "lastMonth") is { } last) blocks.Add(new PaperField("Thôi hưởng", $"chi trả đến hết tháng {Month(last)}", Strong: true));
        blocks.Add(new PaperSpace(3));
        blocks.Add(new PaperParagraph("Quyết định này có hiệu lực kể từ ngày ký.", Lead: "Điều 2."));
        blocks.Add(new PaperParagraph($"Công chức phụ trách, bộ phận tài chính - kế toán {s.Issuer.FullName} và Ông/Bà có tên tại Điều 1 "
            + "chịu trách nhiệm thi hành Quyết định này./.", Lead: "Điều 3."));
        return new PaperDocument(s.PaperId, s.IssuedAt, A4: true, "ỦY BAN NHÂN DÂN", ward, $"Số: {number}", s.Issuer.Name, null,
            s.Definition.Title, $"Về việc {LowerFirst(s.ProcedureName)}", blocks,
            [new("CHỦ TỊCH", "(Ký, ghi rõ họ tên và đóng dấu)", f.SignerName)], Footer(s))
        {
            MetadataTitle = $"Quyết định {number} - {d.Code}",
            UnitAboveBold = true,   // both lines name the issuing authority, bold (Decree 30/2020, Appendix I)
            Recipients = ["- Như Điều 3;", $"- Lưu: VT, hồ sơ {d.Code}."],
        };
    }

    /// <summary>Who issued the paper, as the verification page names it.</summary>
    public static string IssuerName(PaperSource s) => s.Definition.Kind == PaperKind.Decision ? "Ủy ban nhân dân " + s.Issuer.FullName : Unit(s);

    private static string Unit(PaperSource s) => s.Issuer.IsProvince ? "Trung tâm Phục vụ hành chính công tỉnh Phú Thọ" : $"Bộ phận một cửa UBND {s.Issuer.FullName}";

    private static string Address(PaperSource s)
    {
        var d = s.Dossier;
        var unit = s.Residence is { } r ? $"{r.FullName}, tỉnh Phú Thọ" : d.ResidenceCode;
        return string.IsNullOrWhiteSpace(d.ResidenceDetail) ? unit : $"{d.ResidenceDetail}, {unit}";
    }

    private static string Channel(string channel) => channel switch
    {
        "counter" => "Trực tiếp tại Bộ phận một cửa",
        "postal" => "Qua dịch vụ bưu chính công ích",
        _ => "Trực tuyến trên Cổng dịch vụ công",
    };

    private static string StepLabel(string kind) => kind switch
    {
        "Submitted" => "Tiếp nhận hồ sơ",
        "RoutedToWard" => "Chuyển xã/phường xử lý",
        "SentToReverification" => "Xác minh địa bàn cư trú",
        "WardAssigned" => "Xác định xã/phường xử lý",
        "Claimed" or "Assigned" => "Giao công chức xử lý",
        "Verified" => "Thẩm định hồ sơ",
        "SupplementRequested" => "Yêu cầu bổ sung hồ sơ (Mẫu 02)",
        "SupplementReceived" => "Nhận hồ sơ bổ sung",
        "PostingStarted" => "Niêm yết công khai",
        "PostingEnded" => "Kết thúc niêm yết",
        "ForwardedToChair" => "Trình Chủ tịch UBND",
        "Approved" => "Ký quyết định (chấp thuận)",
        "Rejected" => "Văn bản trả lời (không chấp thuận)",
        "DelayNoticeIssued" => "Xin lỗi, hẹn lại ngày trả (Mẫu 04)",
        "RegistryChecked" => "Đối chiếu cơ sở dữ liệu",
        "DocumentAttached" => "Bổ sung giấy tờ đính kèm",
        _ => kind,
    };

    private static string RoleLabel(string role) => role switch
    {
        Roles.WardOfficer => "Công chức một cửa",
        Roles.WardChair => "Chủ tịch UBND",
        Roles.ProvincialOfficer => "Cán bộ cấp tỉnh",
        Roles.System => "Hệ thống",
        "applicant" or Roles.Citizen => "Người nộp hồ sơ",
        "client" => "Hệ thống tích hợp",
        _ => role,
    };

    /// <summary>"0912***678": enough to recognise one's own number on a slip left on a counter.</summary>
    private static string MaskPhone(string phone)
    {
        var national = phone.StartsWith("+84", StringComparison.Ordinal) ? "0" + phone[3..] : phone;
        return national.Length < 8 ? "***" : national[..4] + new string('*', national.Length - 7) + national[^3..];
    }

    public static string Money(decimal vnd) => vnd.ToString("#,0", Vi) + " đồng";

    private static string Month(string yyyyMm) => yyyyMm.Length == 7 ? $"{yyyyMm[5..]}/{yyyyMm[..4]}" : yyyyMm;

    private static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset local) => local.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Domain.Calendar.Appointment.VietnamTime);

    private static string Upper(string text) => text.ToUpper(Vi);

    private static string LowerFirst(string text) => text.Length == 0 ? text : char.ToLower(text[0], Vi) + text[1..];

    private static decimal? Decimal(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
