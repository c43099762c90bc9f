using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using OneStopWindow.Api.Infrastructure.Settings;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OneStopWindow.Api.Infrastructure.OpenApi;

public sealed class OpenApiOptions
{
    public const string Section = "OpenApi";

    /// <summary>Serve /swagger. Switch off (or protect) in Production.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Who answers for the API (info.contact): the operating unit's name, address and e-mail.</summary>
    public string ContactName { get; set; } = "Bộ phận vận hành Hệ thống một cửa điện tử tỉnh Phú Thọ";

    public string ContactUrl { get; set; } = "https://dichvucong.phutho.gov.vn";

    public string? ContactEmail { get; set; }

    /// <summary>The production address listed after this deployment's own in the document's servers.</summary>
    public string ProductionUrl { get; set; } = "https://onestopwindow.phutho.gov.vn";
}

public static class OpenApiSetup
{
    public const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddApiDocs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<OpenApiOptions>(OpenApiOptions.Section);
        var options = configuration.GetSection(OpenApiOptions.Section).Get<OpenApiOptions>() ?? new OpenApiOptions();
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(c =>
        {
            c.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "OneStopWindow API",
                Version = Http.EdgeProtection.ApiVersion,   // semantic (NLGov ADR); the major is the path's v1
                Contact = new OpenApiContact { Name = options.ContactName, Url = new Uri(options.ContactUrl), Email = options.ContactEmail },
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
            c.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from the identity provider, validated after RFC8725 (JWT best current practices): the configured issuer, " +
                              "audience and signing key only, an expiry required. In Development: dotnet run --project src/OneStopWindow.Api -- token --role ward-officer --ward 04795",
            });
            c.AddSecurityDefinition(Auth.ApiKey.Scheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Auth.ApiKey.Header,
                Description = "Integration clients: the key an administrator issued (POST /api/v1/clients), e.g. osw_abcd…",
            });
            // This deployment first (Swagger UI's "Try it out" calls it), then the province's production address.
            c.AddServer(new OpenApiServer
            {
                Url = "/",
                Description = "Dịch vụ đang chạy: local, test or production, whichever serves this document",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            });
            c.AddServer(new OpenApiServer
            {
                Url = options.ProductionUrl,
                Description = "Môi trường chính thức của tỉnh (production)",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            });
            c.DocumentFilter<ApiDesignRules>();
            c.OperationFilter<RequestExamples>();
            c.OperationFilter<BearerRequirement>();
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

/// <summary>Marks the operations that need a token or an API key, so Swagger UI sends the one given to its Authorize button.</summary>
public sealed class BearerRequirement : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
        var policies = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().ToList();
        var clientsOnly = policies.Count > 0 && policies.All(p => p.Policy?.StartsWith("client:", StringComparison.Ordinal) == true);
        // Anonymous endpoints that also accept a token or key (tracking, citizen actions) declare every option.
        var optional = anonymous && (context.ApiDescription.RelativePath?.StartsWith("api/v1/dossiers", StringComparison.Ordinal) ?? false);
        if (policies.Count == 0 && !optional) return;
        operation.Security ??= [];
        if (!clientsOnly) operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] });
        if (clientsOnly || optional)
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Auth.ApiKey.Scheme, context.Document)] = [] });
        if (optional) operation.Security.Add(new OpenApiSecurityRequirement());
    }
}

/// <summary>A request body that succeeds as is, declared beside its endpoint with <see cref="RequestExampleExtensions.WithRequestExample"/>.</summary>
public sealed record RequestExample(Func<JsonNode> Create);

public static class RequestExampleExtensions
{
    public static RouteHandlerBuilder WithRequestExample(this RouteHandlerBuilder route, Func<JsonNode> example) =>
        route.WithMetadata(new RequestExample(example));
}

/// <summary>
/// Puts each endpoint's request example into its operation, so Swagger UI's "Try it out", client generators and the
/// tests all send the same, valid thing.
/// </summary>
public sealed class RequestExamples : IOperationFilter
{
    /// <summary>Accepted by an endpoint only so routing passes every body on to authorization; not a real format.</summary>
    public const string AnyContentType = "*/*";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is not { } content) return;
        content.Remove(AnyContentType);
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().LastOrDefault() is not { } example) return;
        var body = example.Create();
        foreach (var media in content.Values.OfType<OpenApiMediaType>()) media.Example = body.DeepClone();
    }
}
