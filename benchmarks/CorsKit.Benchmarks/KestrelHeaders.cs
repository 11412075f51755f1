using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CorsKit.Benchmarks;

/// <summary>
/// Kestrel's own request and response header collections. They are internal to Kestrel, so they are created by
/// reflection; with them, a header access costs in the benchmark what it costs behind Kestrel (typed fields for known
/// headers), instead of the hashed dictionary of <see cref="HeaderDictionary"/>.
/// </summary>
internal static class KestrelHeaders
{
    private const string Namespace = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.";

    public static IHeaderDictionary CreateRequestHeaders() =>
        Create("HttpRequestHeaders", [true, null]);

    public static IHeaderDictionary CreateResponseHeaders() =>
        Create("HttpResponseHeaders", [null]);

    private static IHeaderDictionary Create(string typeName, object?[] arguments)
    {
        var type = typeof(KestrelServerOptions).Assembly.GetType(Namespace + typeName, throwOnError: true)!;
        return (IHeaderDictionary)Activator.CreateInstance(
            type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, arguments, null)!;
    }
}
