using Microsoft.Extensions.FileProviders;

namespace OneStopWindow.Api.Features.Reports;

/// <summary>
/// <c>/reports</c>: the leaders' page (static HTML, JavaScript and the vendored Chart.js, embedded in the executable). The
/// page holds no data: it asks for a provincial officer's token and reads the report endpoints, which enforce the policy.
/// A strict content security policy keeps it to this origin.
/// </summary>
public static class ReportPage
{
    public static WebApplication UseReportPage(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(ReportPage).Assembly, "OneStopWindow.Api.wwwroot.reports");
        app.MapGet("/reports", () => Results.Redirect("/reports/index.html")).ExcludeFromDescription();
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/reports",
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }
}
