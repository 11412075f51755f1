using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>The methods a policy allows, checked against Access-Control-Request-Method without allocating.</summary>
internal sealed class MethodSet
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _methods;

    public MethodSet(IEnumerable<string> methods, bool allowsAny)
    {
        _methods = methods.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        AllowsAny = allowsAny;
    }

    public bool AllowsAny { get; }

    public CorsKitReason Check(StringValues requestMethod)
    {
        if (requestMethod.Count != 1) return CorsKitReason.MethodMalformed;
        var method = requestMethod[0].AsSpan();
        if (method.Length == 0 || method.Length > RequestLimits.MaxMethodLength || !HttpSyntax.IsToken(method))
        {
            return CorsKitReason.MethodMalformed;
        }

        if (ForbiddenMethods.Contains(method)) return CorsKitReason.MethodNotAllowed;
        if (HttpSyntax.IsSafelistedMethod(method) || AllowsAny || _methods.Contains(method)) return CorsKitReason.Allowed;
        return CorsKitReason.MethodNotAllowed;
    }
}
