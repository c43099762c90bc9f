namespace OneStopWindow.Api.Infrastructure.Http;

public static class OutboundHttp
{
    /// <summary>
    /// For a client that sends credentials (an API key header): a redirect is answered as it is, a failure of the call, and
    /// never followed — .NET drops <c>Authorization</c> on a redirect but keeps every other header, the key included.
    /// </summary>
    public static IHttpClientBuilder WithoutRedirects(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
}
