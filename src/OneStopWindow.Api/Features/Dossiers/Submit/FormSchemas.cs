using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using OneStopWindow.Api.Features.Procedures;
using OneStopWindow.Api.Infrastructure.Problems;

namespace OneStopWindow.Api.Features.Dossiers.Submit;

/// <summary>
/// Checks a submission's form fields against the procedure's JSON Schema (JsonSchema.Net), turning
/// each failure into a field error under "formFields.…" with a Vietnamese message.
/// Built schemas are cached per procedure definition.
/// </summary>
public sealed partial class FormSchemas
{
    // Lazy: building registers the schema's URI, which must happen once even when requests race.
    private readonly ConcurrentDictionary<string, Lazy<JsonSchema>> cache = new();

    public IReadOnlyList<FieldError> Validate(ProcedureDefinition procedure, JsonElement form)
    {
        var schemaText = procedure.FormSchema.GetRawText();
        var schema = cache.GetOrAdd(procedure.Code + "\n" + schemaText, _ => new Lazy<JsonSchema>(() =>
            JsonSchema.Build(procedure.FormSchema.Clone(), new BuildOptions(),
                new Uri($"https://onestopwindow.local/procedures/{procedure.Code}/{Guid.NewGuid():N}")))).Value;
        var result = schema.Evaluate(form, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return [];

        var errors = new List<FieldError>();
        foreach (var detail in result.Details ?? [])
        {
            if (detail.Errors is null) continue;
            var field = "formFields" + PointerToPath(detail.InstanceLocation.ToString());
            foreach (var (keyword, message) in detail.Errors)
            {
                if (keyword == "required")
                {
                    foreach (Match m in QuotedName().Matches(message))
                        errors.Add(new(field + "." + m.Groups[1].Value, "Trường này là bắt buộc."));
                    continue;
                }
                errors.Add(new(field, Vietnamese(keyword, message)));
            }
        }
        return errors.Count > 0 ? errors : [new FieldError("formFields", "Thông tin thủ tục chưa hợp lệ.")];
    }

    private static string PointerToPath(string pointer) =>
        string.IsNullOrEmpty(pointer) || pointer == "/" ? "" : "." + string.Join('.', pointer.TrimStart('/').Split('/'));

    private static string Vietnamese(string keyword, string english) => keyword switch
    {
        "type" => $"Sai kiểu dữ liệu ({english}).",
        "enum" or "const" => "Giá trị không nằm trong danh sách cho phép.",
        "minimum" or "exclusiveMinimum" => $"Giá trị nhỏ hơn mức tối thiểu ({english}).",
        "maximum" or "exclusiveMaximum" => $"Giá trị lớn hơn mức tối đa ({english}).",
        "minLength" => "Nội dung quá ngắn.",
        "maxLength" => "Nội dung quá dài.",
        "pattern" => "Giá trị không đúng mẫu quy định.",
        "format" => $"Giá trị không đúng định dạng ({english}).",
        "minItems" or "maxItems" => $"Số lượng phần tử không hợp lệ ({english}).",
        "additionalProperties" or "false" or "unevaluatedProperties" => "Trường này không thuộc biểu mẫu của thủ tục.",
        _ => $"Giá trị không hợp lệ ({english}).",
    };

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();
}
