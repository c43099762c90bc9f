using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Settings;
using Polly;

namespace OneStopWindow.Api.Features.Notifications;

public static class NotificationSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<NotificationOptions>(NotificationOptions.Section);
        services.AddSingleton<NotificationQueue>();
        services.AddSingleton<Entitlements.IFamilyNotices, FamilyNotices>();
        services.AddKeyedSingleton<ResiliencePipeline>(SmsGateway.Pipeline, (sp, _) => SmsGateway.Build(sp.GetRequiredService<IOptions<NotificationOptions>>().Value));
        services.AddKeyedSingleton<ResiliencePipeline>(EmailSender.Pipeline, (sp, _) => SmsGateway.Build(sp.GetRequiredService<IOptions<NotificationOptions>>().Value));
        services.AddHttpClient<SmsGateway>().WithoutRedirects();   // a 3xx fails the send
        services.AddTransient<EmailSender>();
        return services;
    }
}
