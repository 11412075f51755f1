using System.Globalization;

namespace CorsKit.Cli.Check;

/// <summary>
/// The request as the browser would send it, or why fetch() would refuse to send it at all: the method normalized,
/// headers script may not set dropped (with a warning, as the browser drops them silently), repeated names joined.
/// </summary>
internal sealed class PreparedRequest
{
    private PreparedRequest(Uri url, string method, List<KeyValuePair<string, string>> headers, string? body)
    {
        Url = url;
        Method = method;
        Headers = headers;
        Body = body;
    }

    public Uri Url { get; }

    public string Method { get; }

    public List<KeyValuePair<string, string>> Headers { get; }

    public string? Body { get; }

    public static PreparedRequest? Create(CorsCheckRequest request, List<string> warnings, out string? error)
    {
        error = CheckUrl(request.Url) ?? CheckOrigin(request.Origin) ?? CheckMethod(request.Method)
            ?? (request.Cookie is null ? null : CheckHeader("Cookie", request.Cookie));
        if (error is not null) return null;

        var method = FetchRules.NormalizeMethod(request.Method);
        var headers = PrepareHeaders(request.Headers, method, request.BodyType, request.Body, warnings, out error);
        if (headers is null) return null;

        if (string.Equals(OriginOf(request.Url), request.Origin, StringComparison.Ordinal))
        {
            warnings.Add($"{request.Url.AbsoluteUri} has the origin {request.Origin}: a same-origin request, to which CORS does not apply.");
        }

        return new PreparedRequest(request.Url, method, headers, request.Body);
    }

    /// <summary>The serialized origin of an http(s) URL: scheme, host and the port unless it is the default.</summary>
    public static string OriginOf(Uri url) => url.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// The headers the browser sends for script's headers and body (method already normalized): values trimmed,
    /// forbidden names dropped with a warning, repeated names joined, the body's Content-Type added.
    /// </summary>
    public static List<KeyValuePair<string, string>>? PrepareHeaders(IReadOnlyList<KeyValuePair<string, string>> scriptHeaders, string method,
        string? bodyType, string? body, List<string> warnings, out string? error)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, rawValue) in scriptHeaders)
        {
            // fetch strips leading and trailing whitespace from values before anything else looks at them.
            var value = rawValue.Trim(' ', '\t');
            error = CheckHeader(name, value);
            if (error is not null) return null;
            if (FetchRules.IsForbiddenRequestHeader(name))
            {
                warnings.Add($"Script cannot set the header {name}: the browser ignores it, and so does this check.");
                continue;
            }
            Append(headers, name, value);
        }

        var hasContentType = headers.Exists(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
        if (bodyType is not null)
        {
            if (hasContentType)
            {
                error = "Give the content type once: with --body-type or with --header Content-Type, not both.";
                return null;
            }
            error = CheckHeader("Content-Type", bodyType);
            if (error is not null) return null;
            headers.Add(new("Content-Type", bodyType.Trim(' ', '\t')));
            hasContentType = true;
        }

        if (body is not null)
        {
            if (method is "GET" or "HEAD")
            {
                error = $"fetch() refuses a body with {method}: a browser would throw a TypeError before sending anything.";
                return null;
            }
            // A string body gets this content type from fetch unless script sets one.
            if (!hasContentType) headers.Add(new("Content-Type", "text/plain;charset=UTF-8"));
        }

        error = null;
        return headers;
    }

    private static void Append(List<KeyValuePair<string, string>> headers, string name, string value)
    {
        // Headers.append() on a name already present: Chromium sends one header with the values joined by ", ".
        var index = headers.FindIndex(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (index < 0) headers.Add(new(name, value));
        else headers[index] = new(headers[index].Key, headers[index].Value + ", " + value);
    }

    private static string? CheckUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return $"The URL must be absolute http or https, not '{url.OriginalString}'.";
        }
        return url.UserInfo.Length != 0 ? "fetch() refuses a URL with a user name or password in it." : null;
    }

    private static string? CheckOrigin(string origin)
    {
        if (origin == "null") return null;
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var serialized = OriginOf(uri);
            if (string.Equals(serialized, origin, StringComparison.Ordinal)) return null;
            return $"'{origin}' is not an origin as a browser sends it (scheme://host[:port], lower case, no path, no trailing slash): did you mean "
                + $"'{serialized}'?";
        }
        return $"'{origin}' is not an origin: write it as a browser sends it, e.g. https://app.example.com or http://127.0.0.1:5101 (or null).";
    }

    public static string? CheckMethod(string method)
    {
        if (!FetchRules.IsToken(method)) return $"'{method}' is not a method name (an HTTP token).";
        if (FetchRules.IsForbiddenMethod(method)) return $"Browsers refuse to send {method.ToUpperInvariant()}: fetch() throws a TypeError.";
        return null;
    }

    private static string? CheckHeader(string name, string value)
    {
        if (!FetchRules.IsToken(name)) return $"'{name}' is not a header name (an HTTP token).";
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\0' || c > 0xFF)
            {
                return string.Create(CultureInfo.InvariantCulture, $"The value of {name} contains a character a browser refuses in a header "
                    + $"(U+{(int)c:X4}).");
            }
        }
        return null;
    }
}
