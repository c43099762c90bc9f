using System.Net;
using System.Net.Sockets;

namespace OneStopWindow.Api.Infrastructure.Http;

/// <summary>
/// Server-side request forgery guard for URLs that clients give us (webhooks). Only http(s); no loopback, private,
/// link-local, carrier-grade NAT, multicast, documentation or other special ranges — in any IPv4/IPv6 spelling —
/// unless <see cref="AllowedNetworks"/> lists the network. An IPv6 address that carries an IPv4 one (mapped, compatible,
/// translated, NAT64, 6to4, Teredo) is refused when the IPv4 address it carries is forbidden, whatever the allow-list
/// says of the IPv6 one. Checked when a URL is registered (its DNS answers) and again on every connection
/// (<see cref="ConnectAsync"/>), so a DNS answer that changes later (rebinding) is refused too.
/// </summary>
public sealed class OutboundGuard
{
    /// <summary>Said when a URL reaches a forbidden address; never names the address the host resolved to (a scanner's oracle).</summary>
    public const string NotAllowed = "Địa chỉ không được phép: chỉ nhận máy chủ trên mạng công cộng.";

    private static readonly IPNetwork[] Forbidden =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            // ::/96 holds ::, ::1 and the deprecated IPv4-compatible addresses; ::ffff:0:0:0/96 the IPv4-translated ones (RFC 2765).
            "::/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16",
            "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Translated = IPNetwork.Parse("::ffff:0:0:0/96");
    private static readonly IPNetwork WellKnownNat64 = IPNetwork.Parse("64:ff9b::/96");   // RFC 6052
    private static readonly IPNetwork LocalUseNat64 = IPNetwork.Parse("64:ff9b:1::/48");  // RFC 8215
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");           // RFC 3056
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");              // RFC 4380

    private readonly IPNetwork[] allowed;
    private readonly IPNetwork[] nat64;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve;

    /// <param name="allowedNetworks">CIDR networks permitted despite the rules (configuration; tests allow 127.0.0.1/32).</param>
    /// <param name="resolve">DNS; replaceable so tests can make a name resolve anywhere.</param>
    /// <param name="nat64Prefixes">The operator's NAT64 prefixes (RFC 6052 lengths): an address under one is the IPv4 address it carries.</param>
    public OutboundGuard(IEnumerable<string> allowedNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
        IEnumerable<string>? nat64Prefixes = null)
    {
        allowed = allowedNetworks.Select(IPNetwork.Parse).ToArray();
        nat64 = (nat64Prefixes ?? []).Select(p => IsNat64Prefix(p)
            ? IPNetwork.Parse(p)
            : throw new ArgumentException($"'{p}' is not an IPv6 prefix of length 32, 40, 48, 56, 64 or 96.", nameof(nat64Prefixes))).ToArray();
        this.resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    public IReadOnlyList<IPNetwork> AllowedNetworks => allowed;

    /// <summary>An IPv6 network with one of the prefix lengths RFC 6052 defines for embedding an IPv4 address.</summary>
    public static bool IsNat64Prefix(string? prefix) =>
        IPNetwork.TryParse(prefix, out var network) && network.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6
        && network.PrefixLength is 32 or 40 or 48 or 56 or 64 or 96;

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        // Behind the operator's NAT64 the address is the IPv4 one it carries, so it is judged as that one (allow-list included).
        foreach (var prefix in nat64)
            if (prefix.Contains(address)) return IsAllowed(Rfc6052(address.GetAddressBytes(), prefix.PrefixLength));
        if (EmbeddedIPv4(address).Any(IsForbidden)) return false;
        if (allowed.Any(n => n.Contains(address))) return true;
        return !IsForbidden(address);
    }

    /// <summary>
    /// The IPv4 addresses an IPv6 address carries: IPv4-mapped, -translated and -compatible (the last 32 bits), NAT64 under
    /// the well-known prefix, the local-use prefix (every length the operator may choose in it) and the configured prefixes
    /// (RFC 6052), 6to4 (bits 16–47) and Teredo (the server in bits 32–63, the client in the last 32 bits, inverted).
    /// </summary>
    public IReadOnlyList<IPAddress> EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return [];
        var bytes = address.GetAddressBytes();
        var found = new List<IPAddress>();
        if (address.IsIPv4MappedToIPv6 || Translated.Contains(address) || Compatible.Contains(address)) found.Add(new IPAddress(bytes[12..16]));
        if (WellKnownNat64.Contains(address)) found.Add(Rfc6052(bytes, 96));
        if (LocalUseNat64.Contains(address)) found.AddRange(new[] { 48, 56, 64, 96 }.Select(length => Rfc6052(bytes, length)));
        found.AddRange(nat64.Where(p => p.Contains(address)).Select(p => Rfc6052(bytes, p.PrefixLength)));
        if (SixToFour.Contains(address)) found.Add(new IPAddress(bytes[2..6]));
        if (Teredo.Contains(address))
        {
            found.Add(new IPAddress(bytes[4..8]));
            found.Add(new IPAddress(bytes[12..16].Select(b => (byte)~b).ToArray()));
        }
        return found;
    }

    /// <summary>The IPv4 address after a NAT64 prefix of <paramref name="prefixLength"/> bits; bits 64–71 are skipped (RFC 6052 §2.2).</summary>
    private static IPAddress Rfc6052(byte[] bytes, int prefixLength)
    {
        var ipv4 = new byte[4];
        for (int i = prefixLength / 8, n = 0; n < 4; i++)
            if (i != 8) ipv4[n++] = bytes[i];
        return new IPAddress(ipv4);
    }

    private static bool IsForbidden(IPAddress address) => Forbidden.Any(n => n.Contains(address));

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
        return addresses.All(IsAllowed) ? null : NotAllowed;
    }

    /// <summary><see cref="SocketsHttpHandler.ConnectCallback"/>: connects only to allowed addresses of the host.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await AddressesAsync(context.DnsEndPoint.Host, ct);
        var permitted = addresses.Where(IsAllowed).ToArray();
        if (permitted.Length == 0 || permitted.Length != addresses.Length) throw new AddressNotAllowedException();
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

/// <summary>A connection refused by <see cref="OutboundGuard"/>: the host resolved to a forbidden network.</summary>
public sealed class AddressNotAllowedException() : IOException("The host resolves to a forbidden network.");
