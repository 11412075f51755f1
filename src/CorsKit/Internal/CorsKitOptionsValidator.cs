using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>Validates options at start-up (ValidateOnStart) and on every reload: one failure per error.</summary>
internal sealed class CorsKitOptionsValidator : IValidateOptions<CorsKitOptions>
{
    private readonly PolicyServices _services;

    public CorsKitOptionsValidator(IServiceProvider services) => _services = PolicyServices.From(services);

    public ValidateOptionsResult Validate(string? name, CorsKitOptions options)
    {
        try
        {
            _ = PolicySet.Compile(options, [], _services);
            return ValidateOptionsResult.Success;
        }
        catch (CorsKitConfigurationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
