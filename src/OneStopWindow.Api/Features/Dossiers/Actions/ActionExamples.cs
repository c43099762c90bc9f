using System.Text.Json.Nodes;

namespace OneStopWindow.Api.Features.Dossiers.Actions;

/// <summary>Request bodies of the lifecycle actions, by operation, each valid when sent as is to a dossier in the right status.</summary>
public static class ActionExamples
{
    /// <summary>The example's new appointment date: a Thursday, a working day in the seeded calendar.</summary>
    public const string DelayNoticeExampleDate = "2030-06-13";

    public static IReadOnlyDictionary<string, Func<JsonNode>> ByOperation { get; } = new Dictionary<string, Func<JsonNode>>(StringComparer.Ordinal)
    {
        ["RefuseReception"] = () => new JsonObject
        {
            ["reason"] = "outside-competence",
            ["explanation"] = "Trợ cấp thất nghiệp do Trung tâm Dịch vụ việc làm tỉnh Phú Thọ giải quyết; đề nghị nộp hồ sơ tại Trung tâm.",
        },
        ["AssignDossier"] = () => new JsonObject { ["officerId"] = "officer-04795-2", ["note"] = "Phân công theo lịch trực tuần." },
        ["RecordVerification"] = () => new JsonObject
        {
            ["findings"] = "Đã đối chiếu Cơ sở dữ liệu quốc gia về dân cư: thông tin khớp; hộ nghèo có giấy chứng nhận năm 2026.",
        },
        ["RequestSupplement"] = () => new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject { ["documentCode"] = "application-form", ["description"] = "Tờ khai chưa có chữ ký của người đề nghị." }),
            ["overrideReason"] = null,
        },
        ["SubmitSupplement"] = () => new JsonObject { ["note"] = "Đã ký bổ sung tờ khai và tải lên bản quét.", ["formFields"] = null },
        ["ForwardToChair"] = () => new JsonObject { ["note"] = "Đủ điều kiện hưởng trợ cấp xã hội hằng tháng; đề nghị Chủ tịch UBND quyết định." },
        ["ApproveDossier"] = () => new JsonObject { ["reasons"] = null, ["legalBasis"] = null },
        ["RejectDossier"] = () => new JsonObject { ["reasons"] = "Người đề nghị có con đang có nghĩa vụ và điều kiện phụng dưỡng.", ["legalBasis"] = null },
        ["ReturnResult"] = () => new JsonObject { ["note"] = "Trả kết quả trực tiếp tại Trung tâm Phục vụ hành chính công." },
        // A fixed date, so the document stays the same from day to day: a working day after any appointment given until then.
        ["RecordDelayNotice"] = () => new JsonObject
        {
            ["reason"] = "Cần xác minh thêm thông tin cư trú với Công an xã nơi ở trước đây.",
            ["newAppointmentDate"] = DelayNoticeExampleDate,
        },
        ["AssignWard"] = () => new JsonObject { ["wardCode"] = "04828", ["note"] = "Xác minh qua CSDL cư trú: thôn thuộc phần sáp nhập vào phường Thống Nhất." },
        ["WithdrawDossier"] = () => new JsonObject { ["reason"] = "Gia đình đã chuyển nơi ở sang tỉnh khác." },
        ["ReportDossierMisuse"] = () => new JsonObject { ["reason"] = "Tôi không nộp hồ sơ này và không nhờ ai nộp thay." },
        ["RateDossier"] = () => new JsonObject { ["score"] = 3, ["comment"] = "Cán bộ hướng dẫn tận tình." },
        ["FileObjection"] = () => new JsonObject
        {
            ["authorName"] = "Ban công tác Mặt trận tổ dân phố số 5",
            ["content"] = "Đề nghị xác minh lại hoàn cảnh gia đình trước khi quyết định.",
        },
    };
}
