using Microsoft.AspNetCore.ResponseCaching;
using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>Records that the app uses <c>UseResponseCaching</c> (its middleware reads these options when it is built).</summary>
internal sealed class ResponseCachingSetup(ResponseCacheUse use) : IConfigureOptions<ResponseCachingOptions>
{
    public void Configure(ResponseCachingOptions options) => use.Record();
}
