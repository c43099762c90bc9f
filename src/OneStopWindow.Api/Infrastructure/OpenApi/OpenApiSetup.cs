using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OneStopWindow.Api.Infrastructure.OpenApi;

public sealed class OpenApiOptions
{
    public const string Section = "OpenApi";

    /// <summary>Serve /swagger. Switch off (or protect) in Production.</summary>
    public bool Enabled { get; set; } = true;
}

public static class OpenApiSetup
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "OneStopWindow API",
                Version = "v1",
                Description = """
                    The one-stop electronic service window of Phú Thọ province for social-security procedures:
                    the procedure catalogue, administrative units before and after the 1 July 2025 reform, online
                    submission with a receipt and appointment date counted in working days, and tracking.

                    Errors are RFC 9457 problem documents (`application/problem+json`); bad input lists every
                    bad field under `errors`, keyed by its JSON path, with a Vietnamese message. Texts are in
                    Vietnamese by default; send `Accept-Language: en` for English where available.
                    Idempotency keys are kept for 7 days.
                    """,
            });
            c.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml"));
            c.OperationFilter<RequestExamples>();
            c.SupportNonNullableReferenceTypes();
            c.CustomSchemaIds(t => t.Name);
        });
        return services;
    }

    public static WebApplication UseApiDocs(this WebApplication app)
    {
        if (!app.Configuration.GetSection(OpenApiOptions.Section).Get<OpenApiOptions>()?.Enabled ?? false) return app;
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "OneStopWindow API");
        return app;
    }
}

/// <summary>
/// Puts a request example that succeeds as is into every operation with a body, so Swagger UI's
/// "Try it out", client generators and the tests all send the same, valid thing.
/// </summary>
public sealed class RequestExamples : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is not { } content) return;
        var example = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<EndpointNameMetadata>().FirstOrDefault()?.EndpointName switch
        {
            "SubmitDossier" => Examples.SubmitDossier(),
            _ => null,
        };
        if (example is null) return;
        foreach (var media in content.Values.OfType<OpenApiMediaType>()) media.Example = example.DeepClone();
    }
}

public static class Examples
{
    /// <summary>
    /// An elderly woman of a poor household in Phường Hòa Bình applying for the monthly social allowance.
    /// The form fields are the catalogue's own example for BTXH-01, so the two cannot drift apart.
    /// </summary>
    public static JsonNode SubmitDossier() => new JsonObject
    {
        ["procedureCode"] = "BTXH-01",
        ["applicant"] = new JsonObject
        {
            ["fullName"] = "Nguyễn Thị Lan",
            ["dateOfBirth"] = "1950-03-15",
            ["idNumber"] = "025150001234",
            ["phone"] = "0912345678",
            ["email"] = null,
        },
        ["residence"] = new JsonObject { ["era"] = "current", ["unitCode"] = "04795", ["detail"] = "Tổ 5, đường Lý Nam Đế" },
        ["channel"] = "online",
        ["formFields"] = JsonNode.Parse(CatalogueExample("BTXH-01")),
    };

    private static string CatalogueExample(string code)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Seed.procedures.json", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(assembly.GetManifestResourceStream(name)!);
        return doc.RootElement.EnumerateArray().Single(p => p.GetProperty("code").GetString() == code).GetProperty("exampleForm").GetRawText();
    }
}
