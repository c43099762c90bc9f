using OneStopWindow.Api.Features.Dossiers.Actions;
using OneStopWindow.Api.Features.Dossiers.Get;
using OneStopWindow.Api.Features.Dossiers.Submit;

namespace OneStopWindow.Api.Features.Dossiers;

public static class DossierSetup
{
    public static IServiceCollection AddDossiers(this IServiceCollection services)
    {
        services.AddSingleton<FormSchemas>();
        services.AddScoped<DossierViews>();
        services.AddScoped<DossierActionRunner>();
        services.AddSingleton<DossierTransitions>();
        services.AddTransient<Submit.PurgeReceiptsJob>();
        services.AddSingleton<Infrastructure.Jobs.IWorkerSchedule, Submit.ReceiptRetentionSchedule>();
        return services;
    }
}
