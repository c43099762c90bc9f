using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using Polly.Timeout;

namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>
/// What went wrong with a call to an outside system, stored and shown as a class only: <c>timeout</c>,
/// <c>connection-refused</c>, <c>dns</c>, <c>tls</c>, <c>address-not-allowed</c>, <c>http-&lt;status&gt;</c> or <c>error</c>.
/// Never the exception's text: it names resolved addresses, ports and socket errors of the province's network, which
/// would let whoever registers a URL scan that network through our answers.
/// </summary>
public static partial class OutboundFailure
{
    public const string Timeout = "timeout";
    public const string ConnectionRefused = "connection-refused";
    public const string Dns = "dns";
    public const string Tls = "tls";
    public const string AddressNotAllowed = "address-not-allowed";
    public const string Other = "error";

    public static string Of(HttpStatusCode status) => $"http-{(int)status}";

    /// <summary>The class of a failed call (the caller's own cancellation is not a failure of the call: filter it first).</summary>
    public static string Of(Exception failure)
    {
        var chain = Chain(failure).ToList();
        if (chain.Any(e => e is AddressNotAllowedException)) return AddressNotAllowed;
        if (chain.Any(e => e is TimeoutRejectedException or TimeoutException or OperationCanceledException
                || e is SocketException { SocketErrorCode: SocketError.TimedOut }))
            return Timeout;
        if (chain.Any(e => e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }
                || e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }))
            return Dns;
        if (chain.Any(e => e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })) return ConnectionRefused;
        if (chain.Any(e => e is AuthenticationException or HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }))
            return Tls;
        return Other;
    }

    /// <summary>A stored value as it may be shown: a class, or <c>error</c> for text stored before failures were classified.</summary>
    public static string? Shown(string? stored) => stored is null || IsClass(stored) ? stored : Other;

    private static bool IsClass(string value) =>
        value is Timeout or ConnectionRefused or Dns or Tls or AddressNotAllowed or Other || HttpStatus().IsMatch(value);

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException) yield return e;
    }

    [GeneratedRegex("^http-[1-5][0-9]{2}$")]
    private static partial Regex HttpStatus();
}
