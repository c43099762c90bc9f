using OneStopWindow.Api.Features.Dossiers.Actions;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Dossiers.Submit;
using OneStopWindow.Api.Infrastructure.Settings;

namespace OneStopWindow.Api.Features.Dossiers;

public static class DossierSetup
{
    public static IServiceCollection AddDossiers(this IServiceCollection services)
    {
        services.AddSingleton<FormSchemas>();
        Calendar.OfficeHoursOptions.Add(services);   // submission, supplements, posting and the reports count from the closing hour
        services.AddSettings<ObjectionOptions>(ObjectionOptions.Section);
        services.AddScoped<DossierViews>();
        services.AddSingleton<BenefitChecks>();
        services.AddScoped<DossierActionRunner>();
        services.AddSingleton<DossierTransitions>();
        services.AddTransient<Submit.PurgeReceiptsJob>();
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, Submit.ReceiptRetentionSchedule>();
        services.AddTransient<RefreshNeedScoresJob>();
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, NeedScoreSchedule>();
        return services;
    }
}
