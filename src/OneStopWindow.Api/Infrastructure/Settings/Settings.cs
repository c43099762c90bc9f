using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace OneStopWindow.Api.Infrastructure.Settings;

/// <summary>
/// Every options section is bound and validated the same way: its data annotations (and
/// <see cref="IValidatableObject"/>, for rules across settings) are checked when the host starts, so a bad value stops
/// the process at once with a message naming the setting as it is written in configuration ("Workflow:BatchSize …"),
/// instead of failing later on a request or in a job.
/// </summary>
public static class Settings
{
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new AnnotatedSettings<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Reads a section for use while services are still being registered, with the same checks.</summary>
    public static T Read<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var value = configuration.GetSection(section).Get<T>() ?? new T();
        var result = new AnnotatedSettings<T>(section).Validate(null, value);
        return result.Failed ? throw new OptionsValidationException(section, typeof(T), result.Failures) : value;
    }
}

/// <summary>Validates one section; each failure reads "Section:Setting: what is wrong".</summary>
public sealed class AnnotatedSettings<T>(string section) : IValidateOptions<T> where T : class
{
    public string Section { get; } = section;

    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (results.Count == 0) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{string.Join(", ", r.MemberNames.DefaultIfEmpty("").Select(m => m.Length == 0 ? Section : $"{Section}:{m}"))}: {r.ErrorMessage}"));
    }
}
