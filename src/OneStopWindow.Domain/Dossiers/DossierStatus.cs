namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// Internal dossier statuses. Each maps to the ten-value national status list used by provincial
/// one-stop systems (DOMAIN.md §1.3), which integration payloads carry as the external code.
/// "Approved" and "rejected" are outcomes of <see cref="ResultReady"/>, not statuses; "overdue" is a flag.
/// </summary>
public enum DossierStatus
{
    /// <summary>Filed, intake not yet done (national 1 "Mới đăng ký").</summary>
    Submitted,

    /// <summary>In the handling ward's queue, appointment fixed (national 2 "Được tiếp nhận").</summary>
    Received,

    /// <summary>The residence could not be tied to one ward; waits in the provincial re-verification queue (national 1).</summary>
    AwaitingReverification,

    /// <summary>An officer is verifying it (national 4 "Đang xử lý").</summary>
    InVerification,

    /// <summary>Missing items were requested; the clock is paused (national 5).</summary>
    SupplementRequested,

    /// <summary>Publicly posted at the ward office for the procedure's posting period (national 4).</summary>
    PublicPosting,

    /// <summary>Forwarded to the ward chair (national 4).</summary>
    AwaitingDecision,

    /// <summary>Decided — granted or denied with reasons (national 9 "Đã xử lý xong").</summary>
    ResultReady,

    /// <summary>Result handed over (national 10, terminal).</summary>
    Returned,

    /// <summary>Withdrawn by the applicant before a decision (national 7, terminal).</summary>
    Withdrawn,

    /// <summary>Refused at reception with the reasons of Form 03: outside the ward's competence or not what the procedure covers (national 3, terminal).</summary>
    RefusedAtReception,
}

public enum DossierOutcome { Granted, Denied }

public static class DossierStatuses
{
    /// <summary>Statuses in which the deadline clock runs (supplement waits do not count).</summary>
    public static readonly IReadOnlySet<DossierStatus> ClockRunning = new HashSet<DossierStatus>
    {
        DossierStatus.Submitted, DossierStatus.Received, DossierStatus.AwaitingReverification, DossierStatus.InVerification,
        DossierStatus.PublicPosting, DossierStatus.AwaitingDecision,
    };

    public static bool IsOpen(this DossierStatus status) => !Deadline.Finished.Contains(status);

    public static int NationalCode(this DossierStatus status) => status switch
    {
        DossierStatus.Submitted or DossierStatus.AwaitingReverification => 1,
        DossierStatus.Received => 2,
        DossierStatus.RefusedAtReception => 3,
        DossierStatus.InVerification or DossierStatus.PublicPosting or DossierStatus.AwaitingDecision => 4,
        DossierStatus.SupplementRequested => 5,
        DossierStatus.Withdrawn => 7,
        DossierStatus.ResultReady => 9,
        DossierStatus.Returned => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string Label(this DossierStatus status, bool english) => (status, english) switch
    {
        (DossierStatus.Submitted, false) => "Mới đăng ký, đang chuyển đến xã/phường",
        (DossierStatus.Submitted, true) => "Submitted, being routed to the ward",
        (DossierStatus.Received, false) => "Đã tiếp nhận, đang chờ xã/phường xử lý",
        (DossierStatus.Received, true) => "Received, waiting in the ward's queue",
        (DossierStatus.AwaitingReverification, false) => "Đang xác minh địa bàn cư trú",
        (DossierStatus.AwaitingReverification, true) => "Residence being re-verified",
        (DossierStatus.InVerification, false) => "Đang thẩm định hồ sơ",
        (DossierStatus.InVerification, true) => "Being verified",
        (DossierStatus.SupplementRequested, false) => "Yêu cầu bổ sung hồ sơ",
        (DossierStatus.SupplementRequested, true) => "Supplement requested",
        (DossierStatus.PublicPosting, false) => "Đang niêm yết công khai",
        (DossierStatus.PublicPosting, true) => "Publicly posted",
        (DossierStatus.AwaitingDecision, false) => "Chờ Chủ tịch UBND quyết định",
        (DossierStatus.AwaitingDecision, true) => "Awaiting the chair's decision",
        (DossierStatus.ResultReady, false) => "Đã có kết quả",
        (DossierStatus.ResultReady, true) => "Result ready",
        (DossierStatus.Returned, false) => "Đã trả kết quả",
        (DossierStatus.Returned, true) => "Result returned",
        (DossierStatus.Withdrawn, false) => "Đã rút hồ sơ",
        (DossierStatus.Withdrawn, true) => "Withdrawn",
        (DossierStatus.RefusedAtReception, false) => "Không được tiếp nhận",
        (DossierStatus.RefusedAtReception, true) => "Refused at reception",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
