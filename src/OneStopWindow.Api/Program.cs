using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OneStopWindow.Api.Features.AdministrativeUnits;
using OneStopWindow.Api.Features.Beneficiaries;
using OneStopWindow.Api.Features.Calendar;
using OneStopWindow.Api.Features.Documents;
using OneStopWindow.Api.Features.Dossiers;
using OneStopWindow.Api.Features.Dossiers.Actions;
using OneStopWindow.Api.Features.Dossiers.GetAccessLog;
using OneStopWindow.Api.Features.Entitlements;
using OneStopWindow.Api.Features.Integration;
using OneStopWindow.Api.Features.Integration.Webhooks;
using OneStopWindow.Api.Features.Notifications;
using OneStopWindow.Api.Features.Papers;
using OneStopWindow.Api.Features.Payments;
using OneStopWindow.Api.Features.Payments.PayerFiles;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Features.Procedures.BenefitRules;
using OneStopWindow.Api.Features.Registries;
using OneStopWindow.Api.Features.Reports;
using OneStopWindow.Api.Features.WardInbox;
using OneStopWindow.Api.Features.Workflow;
using OneStopWindow.Api.Features.Zones;
using OneStopWindow.Api.Infrastructure.AccessLog;
using OneStopWindow.Api.Infrastructure.Auth;
using OneStopWindow.Api.Infrastructure.Data;
using OneStopWindow.Api.Infrastructure.Http;
using OneStopWindow.Api.Infrastructure.Jobs;
using OneStopWindow.Api.Infrastructure.OpenApi;
using OneStopWindow.Api.Infrastructure.Problems;

if (OperatorCommands.IsProbe(args)) return await OperatorCommands.ProbeAsync(OperatorCommands.ProbeUrl(args));
var builder = WebApplication.CreateBuilder(args);
if (TokenCommand.IsInvoked(args)) return TokenCommand.Run(args, builder.Configuration, builder.Environment, Console.Out);
var role = NodeRole.From(args, builder.Configuration);
builder.Services.AddSingleton(role);

builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
// Unreadable bodies throw, so the exception handler can name the bad JSON field.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddMediator((Mediator.MediatorOptions o) =>
{
    o.ServiceLifetime = ServiceLifetime.Scoped;
    o.PipelineBehaviors = [typeof(TransientRetryBehavior<,>), typeof(ValidationBehavior<,>)];
});
builder.Services.AddAuth(builder.Configuration, builder.Environment);
builder.Services.AddData();
builder.Services.AddCalendar();
builder.Services.AddDossiers();
builder.Services.AddAccessLog();
builder.Services.AddDocuments();
builder.Services.AddPapers();
builder.Services.AddNotifications(builder.Configuration);
builder.Services.AddRegistries();
builder.Services.AddBeneficiaries();
builder.Services.AddEntitlements();
builder.Services.AddPayerFiles();
builder.Services.AddPayments();
builder.Services.AddReports();
builder.Services.AddJobs(builder.Configuration, builder.Environment, role);
builder.Services.AddWorkflow(role);
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddApiDocs(builder.Configuration);
builder.Services.AddEdgeProtection(builder.Configuration);

var app = builder.Build();
if (OperatorCommands.IsRekey(args))
{
    var exitCode = await PersonalDataRekey.CommandAsync(app.Services, Console.Out);
    await app.DisposeAsync();
    return exitCode;
}
if (OperatorCommands.IsMigrate(args))
{
    var exitCode = await OperatorCommands.MigrateAsync(app.Services);
    await app.DisposeAsync();   // flushes the console log before the process ends
    return exitCode;
}
await app.Services.PrepareDatabaseAsync();
app.Services.RequirePaperCertificate();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseEdgeProtection();
app.UseAuth();
app.UseApiDocs();
app.UseReportPage();
app.UseJobs();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription();
if (!role.ServesApi)
{
    await app.RunAsync();   // a worker node: health probes and the background work only
    return 0;
}
app.MapProcedures();
app.MapBenefitRules();
app.MapAdminUnits();
app.MapCalendar();
app.MapDossiers();
app.MapAccessLog();
app.MapDossierActions();
app.MapNotifications();
app.MapDocuments();
app.MapPapers();
app.MapWardInbox();
app.MapClients();
app.MapIntegration();
app.MapWebhooks();
app.MapZones();
app.MapBeneficiaries();
app.MapBeneficiaryRecords();
app.MapEntitlements();
app.MapPayments();
app.MapPaymentFiles();
app.MapReports();

await app.RunAsync();
return 0;

/// <summary>Entry point; public for the integration tests' WebApplicationFactory.</summary>
public partial class Program;
