using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using OneStopWindow.Api.Infrastructure.Settings;
using OneStopWindow.Domain.Calendar;

namespace OneStopWindow.Api.Features.Calendar;

/// <summary>
/// The office's closing hour (Vietnam time): a dossier received at or after it counts from the next working day, and a
/// public posting ends then (DOMAIN.md §5; the example hours close at 17:00, Phú Thọ's own hours are unconfirmed).
/// </summary>
public sealed class OfficeHoursOptions
{
    public const string Section = "OfficeHours";

    /// <summary>"HH:mm", from 10:00 to 21:59.</summary>
    [Required]
    [RegularExpression("^(1[0-9]|2[01]):[0-5][0-9]$", ErrorMessage = "Giờ đóng cửa dạng HH:mm, từ 10:00 đến 21:59 (ví dụ 17:00).")]
    public string Close { get; set; } = "17:00";

    public OfficeHours ToOfficeHours() => new(TimeOnly.ParseExact(Close, "HH:mm", CultureInfo.InvariantCulture));

    /// <summary>Registers the validated setting and the <see cref="OfficeHours"/> every deadline computation is given.</summary>
    public static IServiceCollection Add(IServiceCollection services)
    {
        services.AddSettings<OfficeHoursOptions>(Section);
        return services.AddSingleton(sp => sp.GetRequiredService<IOptions<OfficeHoursOptions>>().Value.ToOfficeHours());
    }
}
