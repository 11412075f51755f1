using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>Validates options at start-up (ValidateOnStart) and on every reload: one failure per error.</summary>
internal sealed class CorsKitOptionsValidator : IValidateOptions<CorsKitOptions>
{
    public ValidateOptionsResult Validate(string? name, CorsKitOptions options)
    {
        try
        {
            _ = PolicySet.Compile(options, []);
            return ValidateOptionsResult.Success;
        }
        catch (CorsKitConfigurationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
