using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests.Attacks;

/// <summary>A representative policy and the allowed origins attacks are derived from.</summary>
internal sealed record RepresentativePolicy(string Name, PolicySpec Spec, IReadOnlyList<Reference> References)
{
    public override string ToString() => Name;
}

/// <summary>
/// The policy shapes the attack suite runs against: exact origins (DNS, IPv4, IPv6, explicit port), subdomain
/// wildcards, port wildcards and regexes, each without and with credentials.
/// </summary>
internal static class RepresentativePolicies
{
    private static readonly PolicySpec Common = new()
    {
        Methods = ["PUT"],
        RequestHeaders = ["x-trace"],
        ExposedHeaders = ["x-total-count"],
        MaxAgeSeconds = 600,
    };

    private static readonly RepresentativePolicy[] Shapes =
    [
        new("exact", Common with { Origins = ["https://allowed.com", "https://app.allowed.com:8443", "http://127.0.0.1:8080", "http://[::1]:8080"] },
        [
            new Reference("https", "allowed.com", null),
            new Reference("https", "app.allowed.com", 8443),
            new Reference("http", "127.0.0.1", 8080),
            new Reference("http", "[::1]", 8080),
        ]),
        new("subdomain-wildcard", Common with { Origins = ["https://*.allowed.com", "http://*.allowed.com:8080"] },
        [
            new Reference("https", "app.allowed.com", null, SubdomainsAllowed: true, ProtectedStart: 4),
            new Reference("http", "a.b.allowed.com", 8080, SubdomainsAllowed: true, ProtectedStart: 4),
        ]),
        new("port-wildcard", Common with { Origins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "https://dev.allowed.com:*"] },
        [
            new Reference("http", "localhost", 3000, AnyPort: true),
            new Reference("http", "127.0.0.1", 5173, AnyPort: true),
            new Reference("http", "[::1]", 8080, AnyPort: true),
            new Reference("https", "dev.allowed.com", 8443, AnyPort: true),
        ]),
        new("regex", Common with { OriginRegexes = [@"https://pr-[0-9]+\.preview\.allowed\.com", @"http://192\.168\.0\.[0-9]{1,3}:3000"] },
        [
            new Reference("https", "pr-17.preview.allowed.com", null),
            new Reference("http", "192.168.0.7", 3000),
        ]),
    ];

    public static IEnumerable<RepresentativePolicy> All =>
        Shapes.SelectMany(shape => new[]
        {
            shape,
            shape with { Name = shape.Name + "+credentials", Spec = shape.Spec with { Credentials = true, DangerouslyAllowInsecureHttp = true } },
        });

    public static RepresentativePolicy Named(string name) => All.Single(p => p.Name == name);
}
