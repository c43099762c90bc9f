using System.Net;
using System.Net.Sockets;

namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>
/// Server-side request forgery guard for URLs that clients give us (webhooks). Only http(s); no loopback, private,
/// link-local, carrier-grade NAT, multicast, documentation or other special ranges — in any IPv4/IPv6 spelling —
/// unless <see cref="AllowedNetworks"/> lists the network. Checked when a URL is registered (its DNS answers) and
/// again on every connection (<see cref="ConnectAsync"/>), so a DNS answer that changes later (rebinding) is refused too.
/// </summary>
public sealed class OutboundGuard
{
    private static readonly IPNetwork[] Forbidden =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    private readonly IPNetwork[] allowed;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve;

    /// <param name="allowedNetworks">CIDR networks permitted despite the rules (configuration; tests allow 127.0.0.1/32).</param>
    /// <param name="resolve">DNS; replaceable so tests can make a name resolve anywhere.</param>
    public OutboundGuard(IEnumerable<string> allowedNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        allowed = allowedNetworks.Select(IPNetwork.Parse).ToArray();
        this.resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    public IReadOnlyList<IPNetwork> AllowedNetworks => allowed;

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (allowed.Any(n => n.Contains(address))) return true;
        return !Forbidden.Any(n => n.Contains(address));
    }

    /// <summary>Why <paramref name="url"/> may not be called, or null when it may.</summary>
    public async Task<string?> CheckAsync(string? url, CancellationToken ct)
    {
        if (url is null || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return "Địa chỉ phải là một URL tuyệt đối (tối đa 2000 ký tự).";
        if (uri.Scheme is not ("http" or "https")) return "Chỉ chấp nhận địa chỉ http hoặc https.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "Địa chỉ không được chứa tên đăng nhập hoặc mật khẩu.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "Địa chỉ không được chứa phần '#'.";
        IPAddress[] addresses;
        try
        {
            addresses = await AddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"Không phân giải được tên máy '{uri.Host}'.";
        }
        if (addresses.Length == 0) return $"Không phân giải được tên máy '{uri.Host}'.";
        var refused = addresses.FirstOrDefault(a => !IsAllowed(a));
        return refused is null ? null : $"Địa chỉ trỏ tới mạng nội bộ hoặc đặc biệt ({refused}); không được phép.";
    }

    /// <summary><see cref="SocketsHttpHandler.ConnectCallback"/>: connects only to allowed addresses of the host.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await AddressesAsync(context.DnsEndPoint.Host, ct);
        var permitted = addresses.Where(IsAllowed).ToArray();
        if (permitted.Length == 0 || permitted.Length != addresses.Length)
            throw new HttpRequestException($"Refused: {context.DnsEndPoint.Host} resolves to a forbidden network.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handler that never follows redirects, never uses a proxy (which would bypass the check) and checks every connection.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = ConnectAsync,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    private async Task<IPAddress[]> AddressesAsync(string host, CancellationToken ct)
    {
        var bare = host.Trim('[', ']');
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await resolve(bare, ct);
    }
}
