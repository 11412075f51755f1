using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>
/// Adds <see cref="OutputCacheOriginPolicy"/> to the app's output-cache base policies, and records that the app uses
/// <c>UseOutputCache</c> (its middleware reads these options when it is built).
/// </summary>
internal sealed class OutputCacheSetup(OutputCacheOriginPolicy policy, ResponseCacheUse use) : IConfigureOptions<OutputCacheOptions>
{
    public void Configure(OutputCacheOptions options)
    {
        options.AddBasePolicy(policy);
        use.Record();
    }
}
