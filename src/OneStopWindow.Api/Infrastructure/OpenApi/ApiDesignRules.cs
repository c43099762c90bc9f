using Microsoft.OpenApi;
using OneStopWindow.Api.Infrastructure.Http;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace OneStopWindow.Api.Infrastructure.OpenApi;

/// <summary>
/// What every operation answers besides its own responses, written into the document once instead of on 90 endpoints
/// (issue 21's API design gate, api-specs/LINT.md): the <c>API-Version</c> header on every response and the caller's
/// rate-limit headers on every 2xx and 4xx (both sent by <see cref="EdgeProtection"/>); 429 with <c>Retry-After</c> on
/// every operation (the edge limiter covers them all); 400 on every write (a header, parameter or body that cannot be
/// read); 401 on every operation that takes credentials (a wrong key or token); 500 as a problem document. Integers get
/// their type's bounds where the endpoint states none (int32/int64: what the server can read at all).
/// </summary>
public sealed class ApiDesignRules : IDocumentFilter
{
    private const string Problem = "application/problem+json";
    private const string CorsOrigin = "Access-Control-Allow-Origin";

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        var headers = document.Components.Headers;
        headers[EdgeProtection.ApiVersionHeader] = Header("The API's semantic version (info.version), on every response.", JsonSchemaType.String, "1.0.0");
        headers[EdgeProtection.LimitHeader] = Header("Requests a minute the caller's bucket allows (per client, per signed-in person, per address).",
            JsonSchemaType.Integer, 600);
        headers[EdgeProtection.RemainingHeader] = Header("Requests left in the caller's bucket now.", JsonSchemaType.Integer, 599);
        headers[EdgeProtection.ResetHeader] = Header("Seconds until the caller's bucket is full again.", JsonSchemaType.Integer, 1);
        headers["Retry-After"] = Header("Seconds to wait before trying again.", JsonSchemaType.Integer, 1);
        headers[CorsOrigin] = Header("Present only when the request's Origin is one of Edge:CorsOrigins (the citizen web app); then that origin.",
            JsonSchemaType.String, "https://dichvucong.phutho.gov.vn");

        foreach (var (_, path) in document.Paths)
            foreach (var (method, operation) in path.Operations ?? [])
            {
                operation.Responses ??= [];
                var write = method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch || method == HttpMethod.Delete;
                if (write) Add(document, operation, "400", "Bad Request: a header, parameter or body that cannot be read, or fields that are invalid (listed under `errors`).");
                if (operation.Security is { Count: > 0 }) Add(document, operation, "401", "Unauthorized: a missing, wrong or expired token or key.");
                Add(document, operation, "429", "Too Many Requests: the caller's bucket is empty; wait the seconds in Retry-After.");
                Add(document, operation, "500", "Internal Server Error: logged with the trace id given in the problem document; nothing was changed.");
                foreach (var (code, response) in operation.Responses)
                {
                    if (response is not OpenApiResponse r) continue;
                    r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    r.Headers[EdgeProtection.ApiVersionHeader] = new OpenApiHeaderReference(EdgeProtection.ApiVersionHeader, document);
                    r.Headers[CorsOrigin] = new OpenApiHeaderReference(CorsOrigin, document);
                    if (code.StartsWith('2') || code.StartsWith('4'))
                        foreach (var name in new[] { EdgeProtection.LimitHeader, EdgeProtection.RemainingHeader, EdgeProtection.ResetHeader })
                            r.Headers[name] = new OpenApiHeaderReference(name, document);
                    if (code == "429") r.Headers["Retry-After"] = new OpenApiHeaderReference("Retry-After", document);
                }
                foreach (var parameter in operation.Parameters ?? []) Bound(parameter.Schema);
            }
        foreach (var schema in document.Components.Schemas?.Values ?? [])
        {
            Bound(schema);
            if (schema.Properties is { } properties)
                foreach (var property in properties.Values) Bound(property);
        }
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type, System.Text.Json.Nodes.JsonNode example) => new()
    {
        Description = description,
        Schema = new OpenApiSchema
        {
            Type = type,
            Format = type == JsonSchemaType.Integer ? "int32" : null,
            Minimum = type == JsonSchemaType.Integer ? "0" : null,
            Maximum = type == JsonSchemaType.Integer ? int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            MaxLength = type == JsonSchemaType.String ? 200 : null
        },
        Example = example,
    };

    private static void Add(OpenApiDocument document, OpenApiOperation operation, string code, string description)
    {
        if (operation.Responses!.ContainsKey(code)) return;
        operation.Responses[code] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { [Problem] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", document) } },
        };
    }

    /// <summary>An integer without bounds gets its format's: what the server can read at all (larger values are a 400).</summary>
    private static void Bound(IOpenApiSchema? schema)
    {
        if (schema is not OpenApiSchema s || s.Type is not { } type || !type.HasFlag(JsonSchemaType.Integer)) return;
        var (min, max) = s.Format == "int32" ? (int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : (long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        s.Minimum ??= min;
        s.Maximum ??= max;
    }
}
