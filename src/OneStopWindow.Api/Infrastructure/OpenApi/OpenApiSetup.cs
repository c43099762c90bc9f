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
            c.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from the identity provider; in Development: dotnet run --project src/OneStopWindow.Api -- token --role ward-officer --ward 04795",
            });
            c.AddSecurityDefinition(Auth.ApiKey.Scheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Auth.ApiKey.Header,
                Description = "Integration clients: the key an administrator issued (POST /api/v1/clients), e.g. osw_abcd…",
            });
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
            "SubmitIntegrationDossier" => Examples.SubmitIntegrationDossier(),
            var name => Examples.ForAction(name),
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

    /// <summary>The same filing arriving from the national public service portal's connector, with the portal's own reference.</summary>
    public static JsonNode SubmitIntegrationDossier()
    {
        var body = new JsonObject { ["externalReference"] = "DVCQG-G22.25-251129-000123" };
        foreach (var (name, value) in SubmitDossier().AsObject()) body[name] = value?.DeepClone();
        return body;
    }

    /// <summary>Bodies of the lifecycle actions, each valid when sent as is to a dossier in the right status.</summary>
    public static JsonNode? ForAction(string? operationId) => operationId switch
    {
        "AssignDossier" => new JsonObject { ["officerId"] = "officer-04795-2", ["note"] = "Phân công theo lịch trực tuần." },
        "RecordVerification" => new JsonObject { ["findings"] = "Đã đối chiếu Cơ sở dữ liệu quốc gia về dân cư: thông tin khớp; hộ nghèo có giấy chứng nhận năm 2026." },
        "RequestSupplement" => new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject { ["documentCode"] = "application-form", ["description"] = "Tờ khai chưa có chữ ký của người đề nghị." }),
            ["overrideReason"] = null,
        },
        "SubmitSupplement" => new JsonObject { ["note"] = "Đã ký bổ sung tờ khai và tải lên bản quét.", ["formFields"] = null },
        "ForwardToChair" => new JsonObject { ["note"] = "Đủ điều kiện hưởng trợ cấp xã hội hằng tháng; đề nghị Chủ tịch UBND quyết định." },
        "ApproveDossier" => new JsonObject { ["reasons"] = null, ["legalBasis"] = null },
        "RejectDossier" => new JsonObject { ["reasons"] = "Người đề nghị có con đang có nghĩa vụ và điều kiện phụng dưỡng.", ["legalBasis"] = null },
        "ReturnResult" => new JsonObject { ["note"] = "Trả kết quả trực tiếp tại Trung tâm Phục vụ hành chính công." },
        "AssignWard" => new JsonObject { ["wardCode"] = "04828", ["note"] = "Xác minh qua CSDL cư trú: thôn thuộc phần sáp nhập vào phường Thống Nhất." },
        "WithdrawDossier" => new JsonObject { ["reason"] = "Gia đình đã chuyển nơi ở sang tỉnh khác." },
        "RateDossier" => new JsonObject { ["score"] = 3, ["comment"] = "Cán bộ hướng dẫn tận tình." },
        // Multipart: the form's text field; the file itself is chosen in Swagger UI.
        "UploadDocument" => new JsonObject { ["documentCode"] = "application-form" },
        "RegisterClient" => new JsonObject
        {
            ["name"] = "Ngân hàng Chính sách xã hội — chi nhánh Phú Thọ",
            ["scopes"] = new JsonArray("events:read", "dossiers:read", "webhooks:manage"),
            ["procedures"] = new JsonArray("TD-01"),
            ["wards"] = null,
        },
        "RotateClientKey" => new JsonObject { ["overlapHours"] = 24 },
        "StartBeneficiaryImport" => JsonNode.Parse(SampleBeneficiaries()),
        "ResolveReverification" => new JsonObject
        {
            ["action"] = "confirm-ward",
            ["wardCode"] = "04828",
            ["addressDetail"] = null,
            ["mergeInto"] = null,
            ["note"] = "Đối chiếu CSDL cư trú và xác nhận của trưởng xóm: xóm Đồng Phú thuộc phần xã Vầy Nưa cũ sáp nhập vào phường Thống Nhất.",
        },
        "SetWardZone" => new JsonObject
        {
            ["zone"] = "mountainous",
            ["ethnicRegion"] = "III",
            ["population"] = 12450,
            ["source"] = "Quyết định phê duyệt danh sách xã khu vực III giai đoạn 2026–2030 (số, ngày ban hành) — ví dụ cho Xã Đà Bắc",
            ["validFrom"] = null,
        },
        "CreateWebhook" => new JsonObject
        {
            ["url"] = "https://ketnoi.phutho.gov.vn/motcua/webhooks",
            ["eventTypes"] = new JsonArray("RoutedToWard", "Approved", "Rejected", "ResultReturned"),
        },
        "FileObjection" => new JsonObject { ["authorName"] = "Ban công tác Mặt trận tổ dân phố số 5", ["content"] = "Đề nghị xác minh lại hoàn cảnh gia đình trước khi quyết định." },
        _ => null,
    };

    /// <summary>Two records in the documented import format (api-specs/beneficiary-import.md).</summary>
    private static string SampleBeneficiaries() => """
        [
          { "sourceRecordId": "HB-BTXH-000117", "idNumber": "017148000117", "fullName": "Bùi Thị Hoa", "dateOfBirth": "1948-02-11",
            "oldCommuneCode": "04789", "addressDetail": "Tổ 4, phường Thái Bình cũ", "benefitCode": "BTXH-01",
            "beneficiaryGroup": "elderly-poor-no-supporter", "monthlyAmountVnd": "750000", "startMonth": "2023-05", "decisionNumber": "215/QĐ-UBND" },
          { "sourceRecordId": "HB-BTXH-000902", "idNumber": "017170000902", "fullName": "Đinh Thị Lụa", "dateOfBirth": "1970-04-18",
            "oldCommuneCode": "04891", "addressDetail": "Xóm Đồng Phú, xã Vầy Nưa cũ", "benefitCode": "BTXH-01",
            "beneficiaryGroup": "disability-severe", "monthlyAmountVnd": "750000", "startMonth": "2019-01", "decisionNumber": "45/QĐ-UBND" }
        ]
        """;

    private static string CatalogueExample(string code)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Seed.procedures.json", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(assembly.GetManifestResourceStream(name)!);
        return doc.RootElement.EnumerateArray().Single(p => p.GetProperty("code").GetString() == code).GetProperty("exampleForm").GetRawText();
    }
}
