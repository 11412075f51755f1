using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>
/// Validates options at start-up (ValidateOnStart): one failure listing every error. Once the
/// <see cref="PolicyStore"/> serves, reloads are judged by the store instead: OptionsMonitor validates a reloaded value
/// before it tells any listener, so a failure here would escape from the change-token callback (out of
/// <c>IConfigurationRoot.Reload()</c>, or silently in a file watcher) and the store could neither log nor refuse it.
/// </summary>
internal sealed class CorsKitOptionsValidator : IValidateOptions<CorsKitOptions>
{
    private readonly PolicyServices _services;
    private readonly ReloadJudge _judge;

    public CorsKitOptionsValidator(IServiceProvider services, ReloadJudge judge)
    {
        _services = PolicyServices.From(services);
        _judge = judge;
    }

    public ValidateOptionsResult Validate(string? name, CorsKitOptions options)
    {
        if (_judge.StoreServing) return ValidateOptionsResult.Skip;
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

/// <summary>Records that the policy store serves, so it (not the options validator) judges every later reload.</summary>
internal sealed class ReloadJudge
{
    private volatile bool _storeServing;

    public bool StoreServing => _storeServing;

    public void StoreStarted() => _storeServing = true;
}
