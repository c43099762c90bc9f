namespace OneStopWindow.Domain.Dossiers;

/// <summary>
/// Internal dossier statuses. Each maps to the ten-value national status list used by provincial
/// one-stop systems (DOMAIN.md §1.3), which integration payloads carry as the external code.
/// </summary>
public enum DossierStatus
{
    /// <summary>Filed, intake not yet done (national 1 "Mới đăng ký").</summary>
    Submitted,

    /// <summary>Routed to the handling ward's queue (national 2 "Được tiếp nhận").</summary>
    Received,

    /// <summary>The residence could not be tied to one ward; waits in the provincial re-verification queue (national 1).</summary>
    AwaitingReverification,
}

public static class DossierStatuses
{
    public static int NationalCode(this DossierStatus status) => status switch
    {
        DossierStatus.Submitted => 1,
        DossierStatus.Received => 2,
        DossierStatus.AwaitingReverification => 1,
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
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
