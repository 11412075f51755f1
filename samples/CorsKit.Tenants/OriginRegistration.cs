namespace CorsKit.Tenants;

/// <summary>The body of <c>POST /tenants/origins</c>.</summary>
public sealed record OriginRegistration(string? Origin)
{
    /// <summary>
    /// Null when the origin is one a browser would send (lower case, no path, no default port) over https, or over
    /// http on localhost; otherwise why not. Credentialed CORS with a plain-http origin would expose the users' cookies.
    /// </summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Origin)) return "Send {\"origin\": \"https://shop.example\"}.";
        if (!Uri.TryCreate(Origin, UriKind.Absolute, out var uri) || uri.HostNameType is UriHostNameType.Unknown || uri.UserInfo.Length > 0)
        {
            return $"'{Origin}' is not an origin; write it as scheme://host[:port].";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
        {
            return $"'{Origin}' must use https (plain http is accepted for localhost only).";
        }

        var canonical = uri.GetLeftPart(UriPartial.Authority);
        return string.Equals(canonical, Origin, StringComparison.Ordinal)
            ? null
            : $"'{Origin}' is not in the form browsers send; register '{canonical}'.";
    }
}
